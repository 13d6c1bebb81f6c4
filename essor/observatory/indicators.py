"""The observatory's indicators JSON: DESIGN §5 core keys, plus sectors with a specialisation index, size
bands, creations per year, density, and the same headline figures for the reference territory and France.

The figures come from precomputed snapshots (precompute.py) when the release has them, else live.
"""

from essor.observatory.coverage import is_covered, per_1000
from essor.observatory.figures import CREATION_YEARS, empty_figures, live_figures
from essor.observatory.models import IndicatorSnapshot
from essor.observatory.nomenclature import band_label, band_order, division_to_section, naf_labels
from essor.observatory.scope import FRANCE_CODE, Scope, france, get_scope
from essor.sirene.models import Release
from essor.sirene.territory_filter import check_zone

TOP_DIVISIONS = 10


def load_figures(release, wanted: list[tuple[Scope, str]]) -> list[dict]:
    """The own figures of each (territory, zone), in order: one query when the release is precomputed."""
    keys = {(scope.kind, scope.code, zone) for scope, zone in wanted} | {("france", FRANCE_CODE, "all")}
    # IN lists on the columns of the unique index (release, kind, code, zone): an index lookup, where an OR of
    # exact triples made SQLite scan every snapshot of the release.
    candidates = IndicatorSnapshot.objects.filter(
        release=release,
        kind__in={key[0] for key in keys},
        code__in={key[1] for key in keys},
        zone__in={key[2] for key in keys},
    ).values_list("kind", "code", "zone", "data")
    found = {(kind, code, zone): data for kind, code, zone, data in candidates if (kind, code, zone) in keys}
    precomputed = ("france", FRANCE_CODE, "all") in found
    live_cache: dict[str, dict] = {}
    result = []
    for scope, zone in wanted:
        data = found.get((scope.kind, scope.code, zone))
        if data is None and precomputed:
            data = empty_figures(zone, scope.population)  # nothing located there in this release
        if data is None:
            if scope.identifier not in live_cache:
                live_cache[scope.identifier] = live_figures(release, scope)
            data = live_cache[scope.identifier][zone]
        elif zone == "all" and data.get("population") != scope.population:
            # The population is the reference's, read now: a QPV population loaded after the release was built
            # counts at once (the snapshot froze the one known then), as it does in live figures.
            data = {**data, "population": scope.population}
        result.append(data)
    return result


def release_json(release) -> dict:
    return {"id": release.pk, "vintage": release.vintage.isoformat(), "synthetic": release.synthetic}


def core_json(scope: Scope, zone: str, release, figures: dict) -> dict:
    """The DESIGN §5 contract, key for key."""
    return {
        "territory": scope.as_json(),
        "zone": zone,
        "release": release_json(release),
        "establishments": figures["establishments"],
        "employees_estimate": figures["employees_estimate"],
    }


def density(figures: dict, release) -> dict:
    population = figures.get("population")
    establishments = figures["establishments"]
    return {
        "population": population,
        "ess_per_1000": per_1000(establishments["ess"], population, release),
        "active_per_1000": per_1000(establishments["active"], population, release),
    }


def share(whole: int | None, part: int | None):
    """part / whole (six decimals), or None when the whole is 0 or unknown: the one rule of every share."""
    return round(part / whole, 6) if whole and part is not None else None


_share = share


def _sector_rows(groups: dict[str, list[int]], reference: dict[str, list[int]] | None) -> list[dict]:
    labels = naf_labels()
    rows = []
    for code, (active, ess) in groups.items():
        if not code or not ess:
            continue
        share = _share(active, ess)
        ref_share = _share(*reference.get(code, (0, 0))) if reference is not None else None
        rows.append(
            {
                "code": code,
                "label": labels.get(code, code),
                "active": active,
                "ess": ess,
                "ess_share": share,
                "reference_ess_share": ref_share,
                # Above 1: the ESS weighs more in this sector here than in the reference territory.
                "specialisation": (share / ref_share) if share is not None and ref_share else None,
            }
        )
    rows.sort(key=lambda row: (-row["ess"], row["code"]))
    return rows


def _by_section(divisions: dict[str, list[int]]) -> dict[str, list[int]]:
    sections: dict[str, list[int]] = {}
    mapping = division_to_section()
    for division, (active, ess) in divisions.items():
        section = mapping.get(division, "")
        total = sections.setdefault(section, [0, 0])
        total[0] += active
        total[1] += ess
    return sections


def sectors(figures: dict, reference: dict | None) -> dict:
    own_divisions = figures["divisions"]
    ref_divisions = reference["divisions"] if reference else None
    return {
        "sections": _sector_rows(
            _by_section(own_divisions), _by_section(ref_divisions) if ref_divisions is not None else None
        ),
        "divisions": _sector_rows(own_divisions, ref_divisions)[:TOP_DIVISIONS],
    }


def size_bands(figures: dict) -> list[dict]:
    counts = figures["bands"]
    order = [code for code in band_order() if code in counts] + sorted(set(counts) - set(band_order()))
    return [{"band": code, "label": band_label(code), "ess": counts[code]} for code in order]


def creations(figures: dict, vintage_year: int) -> list[dict]:
    counts = figures["creations"]
    return [
        {"year": year, "ess": counts.get(str(year), 0)}
        for year in range(vintage_year - CREATION_YEARS + 1, vintage_year + 1)
    ]


def summary(scope: Scope, figures: dict, release) -> dict:
    return {
        "territory": scope.as_json(),
        "zone": "all",
        # False: the release holds no establishment of part of this territory (its figures are not shown).
        "covered": is_covered(release, scope),
        "establishments": figures["establishments"],
        "employees_estimate": figures["employees_estimate"],
        "density": density(figures, release),
    }


class NotCovered(LookupError):
    """The release holds no establishment of (part of) the territory: its figures would read as zeros."""


def indicators_document(release, scope: Scope, zone: str = "all") -> dict:
    """The full indicators JSON of the API and of the profile page; NotCovered outside the release's coverage."""
    if not is_covered(release, scope):
        raise NotCovered(scope.identifier)
    reference = scope.reference
    nation = france() if scope.kind != "france" else None
    wanted = [(scope, zone)] + [(other, "all") for other in (reference, nation) if other is not None]
    loaded = load_figures(release, wanted)
    own = loaded[0]
    ref_figures = loaded[1] if reference is not None else None
    nation_figures = loaded[-1] if nation is not None else None
    document = core_json(scope, zone, release, own)
    document.update(
        {
            "covered": True,
            "density": density(own, release),
            "sectors": sectors(own, ref_figures),
            "size_bands": size_bands(own),
            "creations": creations(own, release.vintage.year),
            # [[south, west], [north, east]] of the located ESS establishments (frames the map), or null.
            "bounds": own.get("bounds"),
            "reference": summary(reference, ref_figures, release) if reference and ref_figures else None,
            "national": summary(nation, nation_figures, release) if nation and nation_figures else None,
        }
    )
    return document


class NoRelease(LookupError):
    """No SIRENE release is serving yet."""


def territory_indicators(kind: str, code: str, zone: str = "all", release=None) -> dict:
    """`indicators_document` of `kind:code` for the serving release: what `essor indicators` prints, what the API
    returns, what surveys prefill from. Raises UnknownTerritory, UnknownZone, NoRelease or NotCovered."""
    check_zone(zone)
    scope = get_scope(kind, code)
    release = release or Release.objects.active()
    if release is None:
        raise NoRelease("No SIRENE release is serving yet: run `essor sirene ingest`.")
    return indicators_document(release, scope, zone)
