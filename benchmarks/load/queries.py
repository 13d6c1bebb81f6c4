"""Service time of the directory's queries, territory by territory, on the serving release (no cache).

    DATABASE_URL=... .venv/bin/python benchmarks/load/queries.py [--repeat 3]

Run by benchmarks/load/run.py before the load (same database, same settings). For each territory of the load
mix: the directory's COUNT, its DISTINCT sectors and its first page (50 rows sorted by name), best of --repeat,
in milliseconds; and the indicators document (the precomputed snapshots the profile page and the API read).
These are what a page view would cost without the per-release cache of essor/observatory/directory.py.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "essor.settings")


def best_ms(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return round(min(times) * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    django.setup()
    from django.db import connection
    from mix import territories

    from essor.observatory import directory
    from essor.observatory.indicators import NotCovered, indicators_document
    from essor.observatory.scope import get_scope
    from essor.sirene.models import Release

    release = Release.objects.active()
    filters = directory.DirectoryFilters()
    result = {"vendor": connection.vendor, "release": release.pk, "territories": {}}
    for kind, code in territories():
        scope = get_scope(kind, code)
        rows = directory.filtered(release, scope, filters)
        sectors = rows.exclude(naf_division="").values_list("naf_division", flat=True).order_by().distinct()
        result["territories"][f"{kind}:{code}"] = {
            "listed": rows.count(),
            "count_ms": best_ms(lambda rows=rows: rows.all().count(), args.repeat),
            "sectors_ms": best_ms(lambda sectors=sectors: set(sectors.all()), args.repeat),
            "first_page_ms": best_ms(lambda rows=rows: list(rows[:50]), args.repeat),
        }
        try:
            indicators_ms = best_ms(
                lambda scope=scope: indicators_document(release, scope, "all"), args.repeat
            )
        except NotCovered:  # e.g. France with a synthetic release that leaves some départements empty
            indicators_ms = None
        result["territories"][f"{kind}:{code}"]["indicators_ms"] = indicators_ms
    print(json.dumps(result))


if __name__ == "__main__":
    main()
