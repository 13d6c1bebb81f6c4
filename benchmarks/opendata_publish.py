"""Side by side, on one release: the open-data publication as it was (the ORM's rows, Python's csv module, CSV
converted to Parquet by DuckDB) and as it is (DuckDB COPY), from the database and from the pipeline's views.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/opendata_publish.py --workdir /work/scratch-Y/b [--repeat 2]

WORKDIR is the one of benchmarks/ingest/run.py (WORKDIR/bench.sqlite3, data in WORKDIR/data); the latest ready
release is published. The pipeline's connection is gone after the ingest, so it is rebuilt as release_built has
it: out_ess and out_counts loaded from the release's own Parquet export (release.export_parquet, a COPY of those
very tables) and writer.create_views over them (loading them is not timed: at ingestion they are there).

Each variant writes the whole package (three tables, both formats, the descriptor with sizes and SHA-256) into
WORKDIR/opendata-bench/<variant>/; CPU seconds are the process's (DuckDB's threads included), wall seconds too.
Then the files are compared: the two current paths must be byte-identical; the former one must have the same rows
(the former count table was ordered by its first ten columns only, so ties may come in another order).
"""

import argparse
import csv
import hashlib
import json
import os
import platform
import shutil
import sys
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def setup(workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "essor.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["ESSOR_DATA_DIR"] = str(workdir / "data")
    import django

    django.setup()


# --- the former publication (essor/diffusion/opendata.py before docs/adr/015), kept here to be measured ---


def _former_cell(value) -> str:
    import datetime as dt

    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _former_ess_rows(release):
    from essor.diffusion.tables import BATCH, is_restricted
    from essor.sirene.models import EssEstablishment

    rows = EssEstablishment.objects.filter(release=release).order_by("siret")
    for row in rows.iterator(chunk_size=BATCH):
        hidden = is_restricted(row)  # the rule as it is now, so that the contents compare

        def shown(value, hidden=hidden):
            return None if hidden else value

        yield (
            row.siret, row.siren, hidden, shown(row.name), row.family, row.legal_category, row.ess_source,
            row.naf, row.naf_division, row.naf_section, row.band, row.employer, row.employees_low,
            row.employees_high, row.created_on, row.is_siege, shown(row.address), shown(row.postcode),
            row.commune_code, row.arrondissement_code, row.epci_code, row.departement_code, row.region_code,
            shown(row.zone), shown(row.qpv24_code), shown(row.qpv24_source), shown(row.qpv15_code),
            shown(row.near_qpv24_code), shown(row.lon), shown(row.lat),
        )  # fmt: skip


def _former_count_rows(release):
    from essor.diffusion.tables import BATCH, COUNTS
    from essor.sirene.models import EstablishmentCount

    fields = [column.name for column in COUNTS.columns]
    rows = EstablishmentCount.objects.filter(release=release).order_by(*fields[:10]).values_list(*fields)
    yield from rows.iterator(chunk_size=BATCH)


def former_publish(release, work: Path, split: dict | None = None) -> None:
    from django.conf import settings
    from django.db import transaction

    from essor.diffusion import opendata, tables
    from essor.sirene.formats import sql_literal

    rows = {"ess_establishments": _former_ess_rows, "establishment_counts": _former_count_rows,
            "indicators": tables.indicator_rows}  # fmt: skip
    resources = []
    with transaction.atomic():
        for table in tables.TABLES:
            cpu = time.process_time()
            csv_path, parquet_path = work / f"{table.name}.csv", work / f"{table.name}.parquet"
            count = 0
            with csv_path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow([column.name for column in table.columns])
                for row in rows[table.name](release):
                    writer.writerow([_former_cell(value) for value in row])
                    count += 1
            columns = ", ".join(
                f"{sql_literal(c.name)}: {sql_literal(tables.DUCKDB_TYPES[c.type])}" for c in table.columns
            )
            con = duckdb.connect()
            con.execute(f"SET memory_limit = {sql_literal(settings.SIRENE_MEMORY_LIMIT)}")
            con.execute(f"SET threads = {int(settings.SIRENE_THREADS)}")
            source = (
                f"read_csv({sql_literal(str(csv_path))}, header = true, delim = ',', quote = '\"', escape = '\"', "
                f"columns = {{{columns}}})"
            )
            con.execute(
                f"COPY (SELECT * FROM {source}) TO {sql_literal(str(parquet_path))} (FORMAT parquet, COMPRESSION zstd)"
            )
            con.close()
            resources.append(opendata._resource(table, "csv", csv_path, count, release.synthetic))
            resources.append(opendata._resource(table, "parquet", parquet_path, count, release.synthetic))
            if split is not None:
                split[table.name] = round(time.process_time() - cpu, 2)
    descriptor = opendata.build_descriptor(release, resources)
    (work / opendata.PACKAGE_FILE).write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8"
    )


# --- the pipeline's connection, rebuilt ---


def pipeline_connection(release) -> duckdb.DuckDBPyConnection:
    from essor.diffusion import opendata_files
    from essor.sirene import writer
    from essor.sirene.release import release_dir

    con = opendata_files.connect()
    for table, name in (("out_ess", "ess_establishments"), ("out_counts", "establishment_counts")):
        path = release_dir(release.pk) / f"{name}.parquet"
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet('{path}')")
    writer.create_views(con, release.pk)
    return con


def measure(name: str, publish, out: Path) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    started, cpu = time.perf_counter(), time.process_time()
    publish()
    figures = {
        "seconds": round(time.perf_counter() - started, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
    }
    print(f"  {name:<22} {figures['seconds']:7.2f} s wall {figures['cpu_seconds']:7.2f} CPU s")
    return figures


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def compare(folders: dict[str, Path]) -> dict:
    from essor.diffusion.tables import TABLES

    checks: dict = {}
    new, db, former = folders["pipeline views"], folders["database"], folders["former"]
    for table in TABLES:
        for fmt in ("csv", "parquet"):
            file = f"{table.name}.{fmt}"
            checks[f"{file}: pipeline = database (bytes)"] = _digest(new / file) == _digest(db / file)
        same_bytes = _digest(new / f"{table.name}.csv") == _digest(former / f"{table.name}.csv")
        if not same_bytes:
            lines = sorted((new / f"{table.name}.csv").read_text(encoding="utf-8").splitlines())
            same_rows = lines == sorted(
                (former / f"{table.name}.csv").read_text(encoding="utf-8").splitlines()
            )
        checks[f"{table.name}.csv: former = now"] = "same bytes" if same_bytes else (
            "same rows, other order of ties" if same_rows else "DIFFERENT"
        )  # fmt: skip
        query = "SELECT * FROM read_parquet('{}') ORDER BY ALL"
        rows = [
            duckdb.sql(query.format(folder / f"{table.name}.parquet")).fetchall() for folder in (new, former)
        ]
        checks[f"{table.name}.parquet: former = now (rows)"] = rows[0] == rows[1]
    package = json.loads((new / "datapackage.json").read_text())
    checks["datapackage: pipeline = database"] = package == json.loads((db / "datapackage.json").read_text())
    checks["rows"] = {r["path"]: r["essor:rows"] for r in package["resources"] if r["format"] == "csv"}
    return checks


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each variant (the best is kept)")
    args = parser.parse_args()
    workdir = args.workdir.resolve()
    setup(workdir)
    from essor.diffusion import opendata
    from essor.sirene.models import Release, ReleaseStatus

    release = Release.objects.filter(status=ReleaseStatus.READY).latest("id")
    bench = workdir / "opendata-bench"
    bench.mkdir(exist_ok=True)
    folders = {name: bench / name.replace(" ", "-") for name in ("former", "database", "pipeline views")}
    models = [line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
              if line.startswith("model name")] if Path("/proc/cpuinfo").exists() else []  # fmt: skip
    info: dict = {"release": release.pk, "load_average_at_start": os.getloadavg(),
                  "cpu": models[0] if models else platform.processor(),
                  "cores": os.cpu_count(), "duckdb": duckdb.__version__, "runs": {}}  # fmt: skip
    print(f"Release {release.pk} ({release.summary.get('written')}), load average {os.getloadavg()}")
    con = pipeline_connection(release)
    opendata.publish(release, force=True)  # indicators precomputed if missing, caches warm: not measured

    def current(duckdb_con, folder):
        def run():
            opendata.publish(release, force=True, duckdb=duckdb_con)
            shutil.copytree(opendata.package_dir(release), folder)

        return run

    def former(folder):
        def run():
            folder.mkdir(parents=True)
            former_publish(release, folder, info["split"]["former"])

        return run

    def two_tables(folder):
        """Only what changed at ingestion: the two tables written from the views (indicators left out)."""
        from essor.diffusion import opendata_files
        from essor.diffusion.tables import COUNTS, ESTABLISHMENTS

        def run():
            folder.mkdir(parents=True)
            for table in (ESTABLISHMENTS, COUNTS):
                cpu = time.process_time()
                relation = opendata_files.PIPELINE_VIEWS[table.name]
                opendata_files.write(
                    con, table, relation, folder / f"{table.name}.csv", folder / f"{table.name}.parquet"
                )
                info["split"]["pipeline views"][table.name] = round(time.process_time() - cpu, 2)

        return run

    info["split"] = {"former": {}, "pipeline views": {}}
    variants = {"former": former(folders["former"]), "database": current(None, folders["database"]),
                "pipeline views": current(con, folders["pipeline views"]),
                "two tables (views)": two_tables(bench / "two-tables")}  # fmt: skip
    folders["two tables (views)"] = bench / "two-tables"
    for _ in range(args.repeat):
        for name, run in variants.items():
            figures = measure(name, run, folders[name])
            best = info["runs"].get(name)
            if best is None or figures["cpu_seconds"] < best["cpu_seconds"]:
                info["runs"][name] = figures
    con.close()
    info["load_average_at_end"] = os.getloadavg()
    info["checks"] = compare(folders)
    for key, value in info["checks"].items():
        print(f"  {key}: {value}")
    print(f"  CPU s by table (last run): {info['split']}")
    result = workdir / f"opendata-publish-{release.pk}.json"
    result.write_text(json.dumps(info, indent=2))
    print(f"  saved {result}")


if __name__ == "__main__":
    main()
