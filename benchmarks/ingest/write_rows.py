"""Benchmark of the database write of a release alone (essor.sirene.writer), from a release's own Parquet.

    .venv/bin/python benchmarks/ingest/write_rows.py RELEASE_DIR --workdir /work/scratch-Y/write [--database postgresql]

RELEASE_DIR holds `ess_establishments.parquet` and `establishment_counts.parquet` (what an ingest exports to
ESSOR_DATA_DIR/releases/<id>/). A scratch database is migrated (SQLite WORKDIR/write.sqlite3, or a throwaway
PostgreSQL 15 cluster, benchmarks/pgcluster.py), a first release is written as the serving one (an ingest always
writes next to the release that serves), then a second one is timed table by table: wall and CPU seconds of this
process (the SQLite writes run in it) and, for PostgreSQL, of the server's processes.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
from pgcluster import throwaway_cluster  # noqa: E402


def server_cpu(server_root: Path | None) -> float:
    """CPU seconds so far of the PostgreSQL server's processes (0 for SQLite, which runs in this process)."""
    if server_root is None:
        return 0.0
    import psutil

    postmaster = psutil.Process(int((server_root / "data" / "postmaster.pid").read_text().split()[0]))
    return sum(sum(p.cpu_times()[:2]) for p in [postmaster, *postmaster.children(recursive=True)])


def measure(release_dir: Path, database_url: str, repeat: int, server_root: Path | None = None) -> dict:
    os.environ.update(
        {"DATABASE_URL": database_url, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "essor.settings"}
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-m", "essor.cli", "migrate", "--no-input", "-v0"], env=env, check=True)
    import django

    django.setup()
    import datetime as dt

    import duckdb

    from essor.sirene import writer
    from essor.sirene.models import EssEstablishment, EstablishmentCount, Release, ReleaseStatus

    con = duckdb.connect()
    # Parquet has no HUGEINT: the counts' sums come back as DOUBLE; the pipeline's table holds them as HUGEINT.
    sums = "REPLACE (CAST(employees_low AS HUGEINT) AS employees_low, CAST(employees_high AS HUGEINT) AS employees_high)"
    for table, name, replace in (
        ("out_ess", "ess_establishments", ""),
        ("out_counts", "establishment_counts", sums),
    ):
        source = f"read_parquet('{release_dir / name}.parquet')"
        con.execute(f"CREATE TABLE {table} AS SELECT * {replace} FROM {source}")  # noqa: S608
    tables = {"ess": ("out_ess", EssEstablishment, writer.ESS_COLUMNS),
              "counts": ("out_counts", EstablishmentCount, writer.COUNT_COLUMNS)}  # fmt: skip
    serving = Release.objects.create(vintage=dt.date(2026, 10, 1), status=ReleaseStatus.READY, is_active=True)
    writer.write_release_rows(con, serving.pk)
    runs = []
    for _ in range(repeat):
        building = Release.objects.create(vintage=dt.date(2026, 11, 1), status=ReleaseStatus.BUILDING)
        run = {}
        for key, (table, model, columns) in tables.items():
            wall, cpu, server = time.perf_counter(), time.process_time(), server_cpu(server_root)
            rows = writer.write_table(con, table, model, columns, building.pk)
            run[key] = {"rows": rows, "seconds": round(time.perf_counter() - wall, 2),
                        "cpu_seconds": round(time.process_time() - cpu, 2),
                        "server_cpu_seconds": round(server_cpu(server_root) - server, 2)}  # fmt: skip
        runs.append(run)
        writer.delete_release_rows(building.pk)
        building.delete()
    return {"database": database_url.split(":")[0], "runs": runs, "load_average": os.getloadavg()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("release_dir", type=Path)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/essor-write"))
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    if args.database == "postgresql":
        with throwaway_cluster(workdir / "pg") as database_url:
            result = measure(args.release_dir.resolve(), database_url, args.repeat, workdir / "pg")
    else:
        database = workdir / "write.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        result = measure(args.release_dir.resolve(), f"sqlite:///{database}", args.repeat)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
