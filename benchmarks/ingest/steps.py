"""The SIRENE pipeline's DuckDB steps alone (stage -> outputs), to compare two versions of the code on the same files.

    PYTHONPATH=<checkout> nice .venv/bin/python benchmarks/ingest/steps.py --files WORKDIR/files-0.1-parquet \\
        --database WORKDIR/bench.sqlite3 --out /tmp/steps-new [--trace]

`--database`: a SQLite database with the territories loaded (benchmarks/ingest/run.py prepares one in its
workdir). Prints the CPU and wall seconds of each step (`Pipeline.run`'s `cpu` and `timings`) and the load
average; `--trace` adds the CPU seconds of every DuckDB statement, heaviest first. Writes OUT/cpu.json and, to
diff two versions, OUT/report.json (quality report and summary) and OUT/out_ess.csv, OUT/out_counts.csv (the
release's two tables in their order) with their column types. The machine is shared: run the two versions
alternately, several times, and compare the best CPU seconds of each step.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--files", type=Path, required=True, help="folder of the three synthetic files")
parser.add_argument("--format", choices=("parquet", "csv", "zip"), default="parquet", help="their format")
parser.add_argument("--database", type=Path, required=True, help="SQLite database with the territories")
parser.add_argument("--out", type=Path, required=True)
parser.add_argument("--trace", action="store_true", help="CPU seconds of every DuckDB statement")
args = parser.parse_args()

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "essor.settings")
os.environ.setdefault("DEBUG", "1")
os.environ["DATABASE_URL"] = f"sqlite:///{args.database.resolve()}"
os.environ.setdefault("ESSOR_SIRENE_MEMORY_LIMIT", "4GB")
os.environ.setdefault("ESSOR_SIRENE_THREADS", str(os.cpu_count()))

import django  # noqa: E402

django.setup()

from essor.sirene import formats  # noqa: E402
from essor.sirene.pipeline import Pipeline  # noqa: E402

FILES = {
    formats.UNITES_LEGALES: "StockUniteLegale_utf8",
    formats.ETABLISSEMENTS: "StockEtablissement_utf8",
    formats.GEOLOCALISATION: "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8",
}


class Traced:
    """The DuckDB connection, with the CPU seconds of each statement recorded."""

    def __init__(self, con, log: list):
        self._con, self._log = con, log

    def execute(self, query, params=None):
        cpu = time.process_time()
        result = self._con.execute(query) if params is None else self._con.execute(query, params)
        self._log.append((time.process_time() - cpu, " ".join(query.split())[:110]))
        return result

    def __getattr__(self, name):
        return getattr(self._con, name)


def main() -> None:
    out = args.out
    (out / "work").mkdir(parents=True, exist_ok=True)
    inputs = [formats.describe(role, args.files / f"{name}.{args.format}") for role, name in FILES.items()]
    pipeline = Pipeline(inputs, out / "work")
    log: list = []
    if args.trace:
        pipeline.con = Traced(pipeline.con, log)
    result = pipeline.run()
    duckdb_cpu = sum(v for step, v in result.cpu.items() if step != "reference")
    print(f"CPU s {json.dumps(result.cpu)}\nwall s {json.dumps(result.timings)}")
    print(f"DuckDB steps (reference excluded): {duckdb_cpu:.2f} CPU s; load average {os.getloadavg()}")
    for cpu, query in sorted(log, reverse=True)[:25]:
        print(f"{cpu:7.3f}  {query}")
    (out / "cpu.json").write_text(
        json.dumps({"cpu": result.cpu, "wall": result.timings, "load": os.getloadavg()})
    )
    document = {"report": result.report, "summary": result.summary}
    (out / "report.json").write_text(json.dumps(document, indent=1, sort_keys=True, default=str))
    con = pipeline.con
    for table in ("out_ess", "out_counts"):
        (out / f"{table}.types").write_text(repr(con.execute(f"DESCRIBE {table}").fetchall()))
        con.execute(f"COPY (SELECT * FROM {table}) TO '{out / table}.csv' (HEADER)")
    pipeline.close()


if __name__ == "__main__":
    sys.exit(main())
