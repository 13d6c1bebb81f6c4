"""The SIRENE ingestion: three INSEE files -> the tables of one release, every heavy step in DuckDB.

Steps (each timed, each in `report`; one module each in essor.sirene.steps):
1. stage: check the inputs (types, encoding, columns); CSV is converted once to Parquet with the needed columns;
2. units: the legal units that are ESS (flag 'O', the statistical perimeter, or ESS France's list);
3. establishments: active establishments joined to the ESS units; what is set aside or flagged is counted;
4. geolocation: where each establishment is (geolocation file, else the stock's coordinates) and INSEE's QPV;
5. geometry: point-in-polygon and the 300 m band, in Python (shapely) only for points that need it;
6. outputs: the ESS establishments and the counts by commune x zone x QPV x NAF division x family x employer.

Python never loops over rows in the hot path: DuckDB joins and aggregates, shapely works on numpy arrays.
"""

# SQL is assembled from code constants and quoted literals (steps.sql.literal), never from file contents.
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from django.conf import settings

from essor.sirene import ess_france, formats, reference, rules
from essor.sirene.steps import establishments, geolocation, geometry, outputs, sql, units

SAMPLE_SIZE = sql.SAMPLE_SIZE


class Progress:
    """What the pipeline tells the person running it; the command plugs rich progress bars in."""

    def step(self, name: str, total: int | None = None) -> None: ...

    def set_total(self, total: int) -> None: ...

    def advance(self, amount: int = 1) -> None: ...

    def done(self) -> None: ...


@dataclass
class PipelineResult:
    inputs: list[formats.InputFile]
    timings: dict[str, float] = field(default_factory=dict)
    # CPU seconds of the whole process (DuckDB's threads included) by step: on a shared machine they say more
    # than the wall time.
    cpu: dict[str, float] = field(default_factory=dict)
    report: dict = field(default_factory=dict)
    summary: dict = field(default_factory=dict)


def bounded_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB within settings.SIRENE_MEMORY_LIMIT and SIRENE_THREADS that never downloads an
    extension, keeping insertion order: every DuckDB that works on a release's rows (pipeline, snapshots, open
    data) opens this one."""
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    con.execute(f"SET memory_limit = {sql.literal(settings.SIRENE_MEMORY_LIMIT)}")
    con.execute(f"SET threads = {int(settings.SIRENE_THREADS)}")
    con.execute("SET preserve_insertion_order = true")
    return con


def connect(workdir: Path) -> duckdb.DuckDBPyConnection:
    """The pipeline's DuckDB: bounded, spilling to the work directory, with the macros of the per-row rules."""
    spill = workdir / "spill"
    spill.mkdir(parents=True, exist_ok=True)
    con = bounded_connection()
    con.execute(f"SET temp_directory = {sql.literal(spill)}")
    for statement in [*sql.MACROS, *sql.enum_types(rules.family_table().values())]:
        con.execute(statement)
    return con


class Pipeline:
    def __init__(
        self, inputs: list[formats.InputFile], workdir: Path, progress: Progress | None = None,
        ess_france_path: Path | None = None,
    ):  # fmt: skip
        self.inputs = {item.role: item for item in inputs}
        self.workdir = workdir
        self.progress = progress or Progress()
        self.result = PipelineResult(inputs=inputs)
        self.con = connect(workdir)
        self.sources: dict[str, str] = {}
        self.ess_france_path = ess_france_path
        self.has_ess_france = ess_france_path is not None
        self.ess_france_bad: dict = {}

    @contextmanager
    def timed(self, name: str, total: int | None = None):
        self.progress.step(name, total)
        start, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.result.timings[name] = round(time.perf_counter() - start, 3)
            self.result.cpu[name] = round(time.process_time() - cpu, 3)
            self.progress.done()

    def scalar(self, query: str, params=None):
        return self.con.execute(query, params or []).fetchone()[0]

    def run(self) -> PipelineResult:
        with self.timed("stage"):
            self.stage()
        with self.timed("reference"):
            self.indexes = reference.qpv_indexes()
            reference.load(self.con, self.indexes)
        with self.timed("units"):
            self.units()
        with self.timed("establishments"):
            self.establishments()
        with self.timed("geolocation"):
            self.geolocation()
        with self.timed("geometry"):
            self.geometry()
        with self.timed("outputs"):
            self.outputs()
        return self.result

    def stage(self) -> None:
        report = self.result.report
        report["rows_read"], report["malformed_lines"] = {}, {}
        # The inputs open side by side (a zip member inflates on its own thread; docs/adr/019-zip-members-
        # inflated-by-isa-l.md); each is staged in role order as soon as it is open, while the others inflate.
        workers = max(1, min(len(self.inputs), int(settings.SIRENE_THREADS)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="essor-open") as pool:
            opened = {
                role: pool.submit(formats.open_input, item, self.workdir)
                for role, item in self.inputs.items()
            }
            for role, item in self.inputs.items():
                opened[role].result()
                self.sources[role] = formats.stage(self.con, item, self.workdir, SAMPLE_SIZE)
                report["rows_read"][role] = item.rows
                report["malformed_lines"][role] = {"count": item.malformed_count, "sample": item.malformed}
        report["invalid_values"] = formats.invalid_values(self.con, self.inputs)
        if self.has_ess_france:
            self.ess_france_bad = ess_france.load(self.con, self.ess_france_path)

    # Each step is a module of essor.sirene.steps (methods kept so a test can interrupt one step).
    def units(self) -> None:
        units.run(self)

    def establishments(self) -> None:
        establishments.run(self)

    def geolocation(self) -> None:
        geolocation.run(self)

    def geometry(self) -> None:
        geometry.run(self)

    def outputs(self) -> None:
        outputs.run(self)

    def close(self) -> None:
        self.con.close()
