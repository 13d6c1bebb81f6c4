"""The directory: a territory's ESS establishments, filtered, sorted, paginated, ready for pages and exports.

No personal data: an entrepreneur individuel (legal category 1xxx) is a person, so the name, the address and
the exact position of such an establishment are never shown or exported (only its commune and activity).
"""

from dataclasses import asdict, dataclass

from django.core.cache import caches
from django.utils.translation import gettext as _

from essor.observatory.nomenclature import band_label, division_to_section, naf_labels
from essor.observatory.scope import Scope
from essor.sirene import rules
from essor.sirene.models import EssEstablishment, Family, Zone
from essor.territories.models import Commune, QpvGeneration, qpv_generation_of

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
SORTS = {
    "name": ("name", "siret"),
    "-name": ("-name", "siret"),
    "created": ("created_on", "siret"),
    "-created": ("-created_on", "siret"),
    "commune": ("commune_code", "name", "siret"),
    "naf": ("naf", "name", "siret"),
}
DEFAULT_SORT = "name"
# A built release never changes: what is counted over its rows is kept per worker (the "local" cache) under the
# release's id and fingerprint. At national scale a directory's COUNT and its DISTINCT sectors each read up to
# ~2 M rows (seconds on SQLite) on every page view otherwise; measured in docs/benchmarks.md (load benchmark).
CACHE_SECONDS = 24 * 3600


class InvalidFilter(ValueError):
    def __init__(self, field: str, value: str):
        super().__init__(f"{field}={value!r}")
        self.field, self.value = field, value


@dataclass(frozen=True)
class DirectoryFilters:
    family: str = ""
    section: str = ""
    division: str = ""
    employer: str = ""  # "", "yes" or "no"
    zone: str = ""
    sort: str = DEFAULT_SORT

    @classmethod
    def parse(cls, params) -> "DirectoryFilters":
        """From query parameters; InvalidFilter names the first bad one."""

        def get(name):
            return (params.get(name) or "").strip()

        values = {
            "family": get("family"),
            "section": get("section").upper(),
            "division": get("division"),
            "employer": get("employer").lower(),
            "zone": get("zone"),
            "sort": get("sort") or DEFAULT_SORT,
        }
        checks = {
            "family": lambda v: v in Family.values,
            "section": lambda v: len(v) == 1 and v.isalpha(),
            "division": lambda v: len(v) == 2 and v.isdigit(),
            "employer": lambda v: v in ("yes", "no"),
            "zone": lambda v: v in Zone.values,
            "sort": lambda v: v in SORTS,
        }
        for name, valid in checks.items():
            if values[name] and not valid(values[name]):
                raise InvalidFilter(name, values[name])
        return cls(**values)

    def as_params(self, **overrides) -> dict:
        params = {**asdict(self), **overrides}
        return {
            key: value
            for key, value in params.items()
            if value and not (key == "sort" and value == DEFAULT_SORT)
        }


def establishments_of(release, scope: Scope):
    """A territory's ESS establishments; a QPV's include those within 300 m of it (zone 'proximite')."""
    rows = EssEstablishment.objects.of_release(release)
    if scope.kind == "qpv" and qpv_generation_of(scope.code) == QpvGeneration.QPV_2024:
        return rows.in_territory(scope) | rows.in_territory(scope, "proximite")
    return rows.in_territory(scope)


def filtered(release, scope: Scope, filters: DirectoryFilters):
    rows = establishments_of(release, scope)
    if filters.family:
        rows = rows.filter(family=filters.family)
    if filters.section:
        rows = rows.filter(naf_section=filters.section)
    if filters.division:
        rows = rows.filter(naf_division=filters.division)
    if filters.employer:
        rows = rows.filter(employer=filters.employer == "yes")
    if filters.zone:
        rows = rows.filter(zone=filters.zone)
    return rows.order_by(*SORTS[filters.sort])


def is_person(establishment) -> bool:
    return rules.is_person(establishment.legal_category)


def is_masked(establishment) -> bool:
    """Published with its commune only: an entrepreneur individuel, or partially diffusible in SIRENE (the
    pipeline already stores no name, address nor coordinates for them; this guards older releases)."""
    return rules.is_restricted(establishment.legal_category, getattr(establishment, "private", False))


def commune_names(codes) -> dict[str, str]:
    return dict(Commune.objects.filter(code__in=set(codes)).values_list("code", "name"))


def public_record(establishment, communes: dict[str, str]) -> dict:
    """What may be published about an establishment (pages, API, exports)."""
    person = is_person(establishment)
    masked = is_masked(establishment)
    if person:
        name = _("Sole proprietor (name not published)")
    elif masked:
        name = _("Partially diffusible establishment (name not published)")
    else:
        name = establishment.name
    return {
        "siret": establishment.siret,
        "name": name,
        "family": establishment.family,
        "family_label": str(Family(establishment.family).label)
        if establishment.family in Family.values
        else "",
        "legal_category": establishment.legal_category,
        "naf": establishment.naf,
        "naf_label": naf_labels().get(establishment.naf_division, ""),
        "naf_section": establishment.naf_section,
        "band": establishment.band,
        "band_label": band_label(establishment.band),
        "employer": establishment.employer,
        "created_on": establishment.created_on.isoformat() if establishment.created_on else None,
        "is_siege": establishment.is_siege,
        "address": "" if masked else establishment.address,
        "postcode": "" if masked else establishment.postcode,
        "commune_code": establishment.commune_code,
        "commune": communes.get(establishment.commune_code, ""),
        "zone": establishment.zone,
        "zone_label": str(Zone(establishment.zone).label) if establishment.zone in Zone.values else "",
        "qpv24_code": establishment.qpv24_code,
        "qpv15_code": establishment.qpv15_code,
        "near_qpv24_code": establishment.near_qpv24_code,
        "lon": None if masked else establishment.lon,
        "lat": None if masked else establishment.lat,
    }


def public_records(rows) -> list[dict]:
    rows = list(rows)
    communes = commune_names(row.commune_code for row in rows)
    return [public_record(row, communes) for row in rows]


def _release_cached(release, name: str, parts: tuple, compute):
    key = ":".join(
        ["observatory-directory", name, str(release.pk), release.fingerprint[:16], *map(str, parts)]
    )
    cache = caches["local"]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def facet_choices(release, scope: Scope) -> dict:
    """The NAF sections and divisions present in the whole selection the directory lists (for a QPV: inside and
    within 300 m), whatever the page: one DISTINCT query on the (release, territory) index, once per release."""
    labels = naf_labels()
    mapping = division_to_section()

    def present():
        rows = (
            establishments_of(release, scope).exclude(naf_division="").values_list("naf_division", flat=True)
        )
        return sorted(set(rows.order_by().distinct()))

    divisions = _release_cached(release, "divisions", (scope.kind, scope.code), present)
    sections = sorted({mapping[code] for code in divisions if code in mapping})
    return {
        "sections": [(code, labels.get(code, code)) for code in sections],
        "divisions": [(code, labels.get(code, code)) for code in divisions],
    }


def directory_count(release, scope: Scope) -> int:
    """How many establishments the directory of the territory lists (for a QPV: inside and within 300 m)."""
    return filtered_count(release, scope, DirectoryFilters())


def filtered_count(release, scope: Scope, filters: DirectoryFilters) -> int:
    """len(filtered(release, scope, filters)), counted once per release, territory and filters (not the sort)."""
    criteria = (scope.kind, scope.code, filters.family, filters.section, filters.division, filters.employer,
                filters.zone)  # fmt: skip
    return _release_cached(release, "count", criteria, lambda: filtered(release, scope, filters).count())
