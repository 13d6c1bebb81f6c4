"""CPU time of the observatory's snapshot roll-up on an existing release, as at ingestion (docs/adr/011).

    DATABASE_URL=sqlite:///WORKDIR/bench.sqlite3 .venv/bin/python benchmarks/observatory_rollup.py [--repeat 3]
        [--profile OUT.prof] [--explain]

Reads the active release's ESS and count rows from the database (not timed) into DuckDB tables typed like the
pipeline's, defines the views `release_ess`/`release_counts` with the pipeline's own `writer.create_views`, then
runs the `release_built` receiver's work, `precompute_release(release, duckdb=con)`, `--repeat` times (it replaces
the release's snapshots by the same ones each time) and prints the CPU and wall seconds of each run and the best.
Run it from two checkouts (PYTHONPATH) on the same database to compare two versions side by side; dump the
snapshots after each (benchmarks/ingest/dump_release.py) to check they are identical. `--profile` writes the
cProfile of the last run; `--explain` prints DuckDB's EXPLAIN ANALYZE of the roll-up's statements.
"""

import argparse
import cProfile
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "essor.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

import duckdb  # noqa: E402
import numpy as np  # noqa: E402
from django.db import connection  # noqa: E402

from essor.observatory.precompute import precompute_release  # noqa: E402
from essor.sirene import writer  # noqa: E402
from essor.sirene.models import Release  # noqa: E402

TYPES = {"BooleanField": "BOOLEAN", "DateField": "DATE", "FloatField": "DOUBLE", "IntegerField": "BIGINT",
         "PositiveIntegerField": "BIGINT", "BigIntegerField": "BIGINT"}  # fmt: skip


def pipeline_connection(release) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection holding the release's rows as the pipeline's out_* tables, and its views."""
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    con.execute("SET threads = 2")
    for table, model, columns in writer.VIEWS.values():
        types = [TYPES.get(model._meta.get_field(c).get_internal_type(), "VARCHAR") for c in columns]
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {quoted} FROM {model._meta.db_table} WHERE release_id = %s", [release.pk])  # noqa: S608
            rows = cursor.fetchall()
        data = {c: np.array(v, dtype=object) for c, v in zip(columns, zip(*rows, strict=True), strict=True)}
        con.register("source", data)
        casts = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in zip(columns, types, strict=True))
        con.execute(f"CREATE TABLE {table} AS SELECT {casts} FROM source")  # noqa: S608
        con.unregister("source")
    writer.create_views(con, release.pk)
    return con


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    release = Release.objects.filter(is_active=True).order_by("-pk").first()
    con = pipeline_connection(release)
    print(f"release {release.pk}: load average {os.getloadavg()}")
    if args.explain:
        con.execute("PRAGMA enable_profiling = 'query_tree'")
    best = None
    for run in range(args.repeat):
        profiler = cProfile.Profile() if args.profile and run == args.repeat - 1 else None
        wall, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        written = precompute_release(release, duckdb=con)
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        best = cpu if best is None else min(best, cpu)
        print(
            f"run {run + 1}: {cpu:.2f} CPU s, {wall:.2f} s wall, {sum(v for k, v in written.items() if k != 'seconds')} snapshots"
        )
    print(f"best: {best:.2f} CPU s; load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
