"""A territory's own figures for each zone, from the release's count rows and ESS establishments.

`live_figures` computes them for one territory (`figures_document`); rollup.py for every territory at once, the
documents written by DuckDB in the same shape; the tests check they agree for every kind and zone.
"""

from collections import defaultdict

from django.db import connection
from django.db.models import Case, CharField, Count, Max, Min, Sum, Value, When
from django.db.models.functions import Cast, Substr

from essor.observatory.scope import Scope
from essor.sirene.models import EssEstablishment, EstablishmentCount, Family
from essor.sirene.rules import employees_estimate
from essor.sirene.territory_filter import ZONES
from essor.territories.models import QpvGeneration, qpv_generation_of

FAMILIES = [family.value for family in Family]
CREATION_YEARS = 10

COUNT_DIMENSIONS = ("zone", "naf_division", "is_ess", "family", "employer")
COUNT_SUMS = {
    "n": Sum("establishments"),
    "low": Sum("employees_low"),
    "high": Sum("employees_high"),
    "unbounded": Sum("unbounded"),
}


def figures_from_rows(
    counts: list[dict],
    bands: list[dict],
    years: list[dict],
    zone: str,
    population,
    vintage_year,
    extent=None,
    whole: tuple[str, ...] | None = None,
):
    """The figures of one territory and zone. Rows carry a `zone` key; zone "all" sums the zones in `whole`
    (every zone by default). `extent`: the bounding box of the located ESS establishments (zone "all" only)."""

    def keep(row):
        if zone == "all":
            return whole is None or row["zone"] in whole
        return row["zone"] == zone

    active = ess = employer = ess_employer = 0
    by_family = dict.fromkeys(FAMILIES, 0)
    sums = {"all": [0, 0, 0], "ess": [0, 0, 0]}
    divisions: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in counts:
        if not keep(row):
            continue
        n = row["n"] or 0
        active += n
        employer += n if row["employer"] else 0
        targets = ["all"]
        if row["is_ess"]:
            ess += n
            ess_employer += n if row["employer"] else 0
            if row["family"] in by_family:
                by_family[row["family"]] += n
            targets.append("ess")
        for target in targets:
            sums[target][0] += row["low"] or 0
            sums[target][1] += row["high"] or 0
            sums[target][2] += row["unbounded"] or 0
        division = divisions[row["naf_division"] or ""]
        division[0] += n
        division[1] += n if row["is_ess"] else 0
    band_counts: dict[str, int] = defaultdict(int)
    for row in bands:
        if keep(row):
            band_counts[row["band"] or ""] += row["n"]
    creation_counts: dict[str, int] = defaultdict(int)
    first_year = vintage_year - CREATION_YEARS + 1
    for row in years:
        year = int(row["year"]) if row["year"] is not None else None
        if keep(row) and year is not None and first_year <= year <= vintage_year:
            creation_counts[str(year)] += row["n"]
    return figures_document(
        (active, ess, employer, ess_employer), by_family, sums["all"], sums["ess"], dict(divisions),
        dict(band_counts), dict(creation_counts), population if zone == "all" else None,
        _bounds(extent) if zone == "all" else None,
    )  # fmt: skip


def figures_document(
    totals, by_family: dict, employees_all, employees_ess, divisions: dict | str, bands: dict | str,
    creations: dict | str, population, bounds,
) -> dict:  # fmt: skip
    """The figures' shape, from their sums: totals = (active, ess, employer, ess employer), employees_* = (low,
    high, unbounded) sums. The document's shape: at ingestion rollup.py writes the same shape in SQL (key for
    key, in this order), and the tests check both agree for every kind and zone; change them together."""
    active, ess, employer, ess_employer = totals
    return {
        "establishments": {
            "active": active,
            "ess": ess,
            "ess_share": round(ess / active, 6) if active else None,
            "ess_by_family": by_family,
            "employer": employer,
            "ess_employer": ess_employer,
        },
        "employees_estimate": {
            "all": employees_estimate(*employees_all),
            "ess": employees_estimate(*employees_ess),
        },
        "divisions": divisions,
        "bands": bands,
        "creations": creations,
        "population": population,
        "bounds": bounds,
    }


def _merged(extents: list[dict]) -> dict | None:
    """One bounding box from several (an EPT is made of its communes' boxes)."""
    boxes = [box for box in extents if box.get("min_lat") is not None]
    if not boxes:
        return None
    return {
        "min_lon": min(box["min_lon"] for box in boxes),
        "min_lat": min(box["min_lat"] for box in boxes),
        "max_lon": max(box["max_lon"] for box in boxes),
        "max_lat": max(box["max_lat"] for box in boxes),
    }


def _bounds(extent) -> list | None:
    if not extent or extent.get("min_lat") is None:
        return None
    return [[extent["min_lat"], extent["min_lon"]], [extent["max_lat"], extent["max_lon"]]]


def empty_figures(zone: str, population) -> dict:
    return figures_from_rows([], [], [], zone, population, 2000)


def _grouped(release, scope_filter, key: str | None):
    """Four GROUP BY querysets (counts, size bands, creation years, extent), by `key` when given."""
    keys = (key,) if key else ()
    counts = (
        EstablishmentCount.objects.filter(release=release)
        .filter(scope_filter)
        .values(*keys, *COUNT_DIMENSIONS)
        .annotate(**COUNT_SUMS)
        .order_by()
    )
    ess = EssEstablishment.objects.filter(release=release).filter(scope_filter)
    # Size band and creation year in one pass. The year is cut from the ISO date text: SQLite's EXTRACT is a
    # Python function called once per row, which cost more than the whole query on a national release.
    year = creation_year()
    ess_groups = (
        ess.annotate(year=year).values(*keys, "zone", "band", "year").annotate(n=Count("id")).order_by()
    )
    box = {"min_lon": Min("lon"), "min_lat": Min("lat"), "max_lon": Max("lon"), "max_lat": Max("lat")}
    located = ess.exclude(lat=None)
    # Without a key, values() would group by every column: aggregate the whole set instead.
    extents = located.values(*keys).annotate(**box).order_by() if keys else [located.aggregate(**box)]
    return counts, ess_groups, extents


def _passes(scope: Scope):
    """The row sets that make up one territory's figures: (filter, key field, zone label forced on the rows).

    Most territories are one set whose rows keep their zone. A QPV follows the pipeline's definition
    (essor.sirene.territory_filter): its rows are "qpv"; a 2024 QPV adds, as "proximite", the rows outside every
    QPV whose nearest QPV within 300 m is this one; its "all" is the inside only.
    """
    if scope.kind == "qpv":
        passes = [(scope.row_filter("all"), None, "qpv")]
        if qpv_generation_of(scope.code) == QpvGeneration.QPV_2024:
            passes.append((scope.row_filter("proximite"), None, "proximite"))
        return passes
    return [(scope.row_filter("all"), None, None)]


def _raw_rows(queryset, chunk: int = 20_000):
    """The rows of a values() queryset as dicts, straight from the cursor: the ORM's per-row converters cost more
    than the query itself on millions of rows. Booleans may come back as 0/1, which the sums treat alike."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column[0] for column in cursor.description]
        while batch := cursor.fetchmany(chunk):
            for values in batch:
                yield dict(zip(columns, values, strict=True))


def _collect(release, passes) -> dict[str, tuple[list, list, list]]:
    grouped: dict[str, tuple[list, list, list]] = defaultdict(lambda: ([], [], []))
    for scope_filter, key, zone_label in passes:
        for index, rows in enumerate(_grouped(release, scope_filter, key)):
            if zone_label == "proximite" and index == 2:
                continue  # the map is framed on the territory itself
            for row in _raw_rows(rows) if hasattr(rows, "query") else rows:
                code = row.pop(key) if key else "FR"
                if zone_label and "zone" in row:
                    row["zone"] = zone_label
                grouped[code][index].append(row)
    return grouped


def creation_year():
    """The creation year, cut from the ISO date text; None for a placeholder or impossible date (SIRENE's
    1900-01-01, years such as 0004 or 2218: kept in the directory, left out of the creations chart)."""
    year = Substr(Cast("created_on", output_field=CharField()), 1, 4)
    return Case(When(created_plausible=True, then=year), default=Value(None, output_field=CharField()))


def _figures_by_zone(rows, kind: str, population, vintage_year) -> dict[str, dict]:
    counts, ess_groups, extents = rows
    extent = _merged(extents)
    whole = ("qpv",) if kind == "qpv" else None
    return {
        zone: figures_from_rows(counts, ess_groups, ess_groups, zone, population, vintage_year, extent, whole)
        for zone in ZONES
    }


def live_figures(release, scope: Scope) -> dict[str, dict]:
    """zone -> figures for one territory, computed from the release's rows (4 to 8 queries)."""
    grouped = _collect(release, _passes(scope))
    rows = grouped.get("FR", ([], [], []))
    return _figures_by_zone(rows, scope.kind, scope.population, release.vintage.year)


def figures_where(release, row_filter, population) -> dict:
    """The figures (zone "all") of the release's rows matching `row_filter`, whatever territory they make up:
    e.g. the rest of a QPV's communes (sirene.territory_filter.outside_qpvs_q). Three queries."""
    counts, ess_groups, _extents = _grouped(release, row_filter, None)
    counts, ess_groups = list(_raw_rows(counts)), list(_raw_rows(ess_groups))
    return figures_from_rows(counts, ess_groups, ess_groups, "all", population, release.vintage.year)
