"""The request-time queries on the count table (EstablishmentCount) of a loaded release: plan and time.

    DATABASE_URL=sqlite:///WORKDIR/bench.sqlite3 .venv/bin/python benchmarks/ingest/count_queries.py [--qpvs 50]

A release with its snapshots (every ingest precomputes them) reads the count table at request time in one place:
the QPV page's comparison with the rest of its communes (observatory.figures.figures_where, commune_code IN ...).
`live_figures` reads it for every kind of territory, but only for a release without snapshots (the fallback).
For each query shape this prints the database's plan (SQLite EXPLAIN QUERY PLAN, PostgreSQL EXPLAIN) and the
median wall time of the live Python call over the territories sampled.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "essor.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from essor.observatory.figures import _grouped, figures_where, live_figures  # noqa: E402
from essor.observatory.scope import get_scope  # noqa: E402
from essor.sirene.models import Release  # noqa: E402
from essor.sirene.territory_filter import outside_qpvs_q  # noqa: E402
from essor.territories.models import CommuneKind, Qpv  # noqa: E402


def plan(queryset) -> list[str]:
    sql, params = queryset.query.sql_with_params()
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return [" ".join(str(part) for part in row[-1:]) for row in cursor.fetchall()]


def timed(call, items) -> dict:
    times = []
    for item in items:
        started = time.perf_counter()
        call(item)
        times.append(time.perf_counter() - started)
    return {"n": len(times), "median_ms": round(statistics.median(times) * 1000, 1),
            "max_ms": round(max(times) * 1000, 1)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--qpvs", type=int, default=50, help="QPVs sampled for the comparison")
    parser.add_argument("--live", type=int, default=5, help="territories of each kind for the live fallback")
    args = parser.parse_args()
    release = Release.objects.filter(is_active=True).get()
    counted = set(release.counts.values_list("qpv24_code", flat=True).distinct()[: args.qpvs * 4])
    qpvs = list(Qpv.objects.filter(code__in=counted).order_by("code")[: args.qpvs])

    def rest(qpv):
        codes = list(qpv.communes.filter(kind=CommuneKind.COMMUNE).values_list("code", flat=True))
        return figures_where(release, outside_qpvs_q(codes, qpv.generation), None)

    codes = list(qpvs[0].communes.filter(kind=CommuneKind.COMMUNE).values_list("code", flat=True))
    result = {
        "comparison": {
            "plan": plan(_grouped(release, outside_qpvs_q(codes, qpvs[0].generation), None)[0]),
            **timed(rest, qpvs),
        }
    }
    rows = release.counts.exclude(commune_code="").values_list(
        "region_code", "departement_code", "epci_code", "commune_code", "qpv24_code"
    )
    sample = list(rows.distinct().order_by("commune_code")[:: max(1, rows.count() // 200)][: args.live])
    for index, kind in enumerate(("region", "departement", "epci", "commune")):
        scopes = [get_scope(kind, codes[index]) for codes in sample]
        result[f"live {kind}"] = {
            "plan": plan(_grouped(release, scopes[0].row_filter("all"), None)[0]),
            **timed(lambda scope: live_figures(release, scope), scopes),
        }
    scopes = [get_scope("qpv", qpv.code) for qpv in qpvs[: args.live]]
    result["live qpv"] = {
        "plan": plan(_grouped(release, scopes[0].row_filter("all"), None)[0]),
        **timed(lambda scope: live_figures(release, scope), scopes),
    }
    result["load_average"] = os.getloadavg()
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
