"""A territory's own figures for each zone, from the release's count rows and ESS establishments.

`live_figures` computes them for one territory; `bulk_figures` for every territory of a kind in a few GROUP BY
queries (used at ingestion by precompute.py). Both go through `figures_from_rows`, so they cannot disagree.
"""

from collections import defaultdict

from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import ExtractYear

from essor.observatory.scope import ZONES, Scope
from essor.sirene.models import EssEstablishment, EstablishmentCount, Family

FAMILIES = [family.value for family in Family]
CREATION_YEARS = 10

COUNT_DIMENSIONS = ("zone", "naf_division", "is_ess", "family", "employer")
COUNT_SUMS = {
    "n": Sum("establishments"),
    "low": Sum("employees_low"),
    "high": Sum("employees_high"),
    "unbounded": Sum("unbounded"),
}

# Bulk precomputation: the row field that holds each kind's code.
KIND_FIELDS = {
    "region": "region_code",
    "departement": "departement_code",
    "epci": "epci_code",
    "commune": "commune_code",
    "qpv": "qpv24_code",
}


def _employees(low: int, high: int, unbounded: int) -> dict:
    # The top band has no upper bound: the high estimate is then unknown.
    return {"low": low, "high": None if unbounded else high}


def figures_from_rows(
    counts: list[dict], bands: list[dict], years: list[dict], zone: str, population, vintage_year, extent=None
):
    """The figures of one territory and zone. Rows carry a `zone` key; zone "all" sums them.
    `extent`: the bounding box of the located ESS establishments (kept for zone "all", to frame the map)."""

    def keep(row):
        return zone == "all" or row["zone"] == zone

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
        if keep(row) and row["year"] is not None and first_year <= row["year"] <= vintage_year:
            creation_counts[str(row["year"])] += row["n"]
    return {
        "establishments": {
            "active": active,
            "ess": ess,
            "ess_share": (ess / active) if active else None,
            "ess_by_family": by_family,
            "employer": employer,
            "ess_employer": ess_employer,
        },
        "employees_estimate": {"all": _employees(*sums["all"]), "ess": _employees(*sums["ess"])},
        "divisions": dict(divisions),
        "bands": dict(band_counts),
        "creations": dict(creation_counts),
        "population": population if zone == "all" else None,
        "bounds": _bounds(extent) if zone == "all" else None,
    }


def _bounds(extent) -> list | None:
    if not extent or extent.get("min_lat") is None:
        return None
    return [[extent["min_lat"], extent["min_lon"]], [extent["max_lat"], extent["max_lon"]]]


def empty_figures(zone: str, population) -> dict:
    return figures_from_rows([], [], [], zone, population, 2000)


def _grouped(release, scope_filter, key: str | None):
    keys = (key,) if key else ()
    counts = (
        EstablishmentCount.objects.filter(release=release)
        .filter(scope_filter)
        .values(*keys, *COUNT_DIMENSIONS)
        .annotate(**COUNT_SUMS)
        .order_by()
    )
    ess = EssEstablishment.objects.filter(release=release).filter(scope_filter)
    bands = ess.values(*keys, "zone", "band").annotate(n=Count("id")).order_by()
    years = (
        ess.exclude(created_on=None)
        .annotate(year=ExtractYear("created_on"))
        .values(*keys, "zone", "year")
        .annotate(n=Count("id"))
        .order_by()
    )
    extents = (
        ess.exclude(lat=None)
        .values(*keys)
        .annotate(min_lon=Min("lon"), min_lat=Min("lat"), max_lon=Max("lon"), max_lat=Max("lat"))
        .order_by()
    )
    return counts, bands, years, extents


def live_figures(release, scope: Scope) -> dict[str, dict]:
    """zone -> figures for one territory, computed from the release's rows (three queries)."""
    counts, bands, years = (list(rows) for rows in _grouped(release, scope.row_filter(), None))
    return {
        zone: figures_from_rows(counts, bands, years, zone, scope.population, release.vintage.year)
        for zone in ZONES
    }


def bulk_figures(release, kind: str, populations: dict[str, int | None]):
    """Yield (code, zone, figures) for every territory of `kind` that has at least one establishment.

    `kind` "qpv15" walks the 2015 QPV codes (stored under kind "qpv" like the 2024 ones)."""
    if kind == "france":
        key, scope_filter = None, Q()
    else:
        key = KIND_FIELDS[kind] if kind != "qpv15" else "qpv15_code"
        scope_filter = ~Q(**{key: ""})
    grouped: dict[str, tuple[list, list, list, list]] = defaultdict(lambda: ([], [], [], []))
    for index, rows in enumerate(_grouped(release, scope_filter, key)):
        for row in rows.iterator(chunk_size=20_000):
            code = row.pop(key) if key else "FR"
            grouped[code][index].append(row)
    for code, (counts, bands, years, extents) in grouped.items():
        population = populations.get(code)
        extent = extents[0] if extents else None
        for zone in ZONES:
            figures = figures_from_rows(counts, bands, years, zone, population, release.vintage.year, extent)
            # Empty zones are not stored: a missing snapshot of a precomputed release means "no establishment".
            if zone == "all" or figures["establishments"]["active"] or figures["bands"]:
                yield code, zone, figures
