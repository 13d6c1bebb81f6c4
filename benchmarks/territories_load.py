"""Territorial reference: time a full load, a no-change reload, and name searches, on a fresh SQLite database.

    DEBUG=1 .venv/bin/python benchmarks/territories_load.py [--keep DB_PATH]

Prints one line per measurement; record them with the machine in docs/benchmarks.md.
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

QUERIES = ["lyon", "saint etienne", "ST-ETIENNE", "toulouse", "31555", "243100518", "QN03104M", "marseille",
           "paris", "bellevue", "saint", "grand paris", "lille", "mosson", "montpellier", "2A", "pierrefitte",
           "villeneuve", "les mureaux", "nanterre"]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", help="SQLite file to use (kept); default: a temporary file")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="essor-bench-")
    database = Path(args.keep or Path(workdir) / "bench.sqlite3").resolve()
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "essor.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    from essor.territories.loader import load_reference
    from essor.territories.search import search
    from essor.territories.sources import DATA_DIR

    call_command("migrate", verbosity=0)
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    for label in ("first load", "second load (no change)"):
        started = time.perf_counter()
        result = load_reference(DATA_DIR)
        elapsed = time.perf_counter() - started
        total = sum(c["total"] for k, c in result.counts.items() if k != "search_entry")
        print(f"{label}: {elapsed:.1f} s, {total} rows, changed={result.changed}")
    search("warm up")
    timings = []
    for query in QUERIES:
        started = time.perf_counter()
        search(query, limit=50)
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"search ({len(QUERIES)} queries, limit 50): median {statistics.median(timings):.1f} ms, max {max(timings):.1f} ms"
    )


if __name__ == "__main__":
    main()
