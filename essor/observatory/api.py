"""Observatory API v1: indicators of a territory, the metropolis benchmark, the directory, one establishment.

Errors use the API's one format ({"error": {"code", "message", "details"}}) through ApiError.
"""

from django.http import QueryDict
from ninja import Field, Path, Query, Router, Schema

from essor.core.api_schemas import errors, one_of, page_field, page_size_field
from essor.core.errors import ApiError
from essor.core.urls_absolute import absolute_url
from essor.observatory import benchmark as benchmark_domain
from essor.observatory import directory
from essor.observatory.api_schemas import (
    BenchmarkOut,
    DirectoryOut,
    EstablishmentWithReleaseOut,
    IndicatorsOut,
)
from essor.observatory.indicators import NotCovered, indicators_document
from essor.observatory.releases import UnknownRelease, citation_json, kept_vintages, requested_release
from essor.observatory.scope import KINDS, get_scope
from essor.sirene.models import EssEstablishment, Family, Zone
from essor.sirene.territory_filter import ZONES
from essor.territories.identifiers import UnknownTerritory

router = Router(tags=["observatory"])


# The kinds are published as an enum; another kind is a URL that names no territory: 404 unknown_territory.
class TerritoryPath(Schema):
    kind: str = Field(description="Kind of territory.", json_schema_extra={"enum": list(KINDS)})
    code: str = Field(max_length=20, description="Code of the territory (INSEE, SIREN, QPV, FR).")


RELEASE_HELP = "Vintage (YYYY-MM-DD) of a kept release; the serving one by default."
RELEASE = Field("", max_length=10, description=RELEASE_HELP)


def _release(request):
    """The release that answers (`?release=VINTAGE`, else the serving one), noted on the request for the
    Last-Modified / Essor-Release headers."""
    try:
        release = requested_release(request)
    except UnknownRelease as exc:
        raise ApiError(
            404, "unknown_release", str(exc), [{"field": "release", "message": ", ".join(kept_vintages())}]
        ) from None
    if release is None:
        raise ApiError(503, "no_release", "No SIRENE release is loaded yet.")
    request.essor_release = release
    return release


def _scope(kind: str, code: str):
    try:
        return get_scope(kind, code)
    except UnknownTerritory:
        raise ApiError(404, "unknown_territory", f"Unknown territory {kind}:{code}.") from None


def _release_json(request, release) -> dict:
    return citation_json(release, lambda path: absolute_url(path, request))


class IndicatorsQuery(Schema):
    zone: one_of(ZONES, blank=False) = "all"  # type: ignore[valid-type]
    release: str = RELEASE


@router.get(
    "/territories/{kind}/{code}/indicators",
    response={200: IndicatorsOut, **errors(400, 404, 503)},
    summary="Indicators of a territory",
)
def territory_indicators(request, path: Path[TerritoryPath], query: Query[IndicatorsQuery]):
    """The DESIGN §5 core indicators (the same JSON as `essor indicators KIND:CODE --json`), plus sectors with a
    specialisation index, size bands, creations per year, density, and the reference territory's and France's
    headline figures. `zone`: all, qpv, proximite or hors_qpv. `release`: the vintage (YYYY-MM-DD) of a kept
    older release, to cite figures that stay true; by default the serving release. `release` in the answer says
    which release answered, with the methodology and the licence."""
    kind, code = path.kind, path.code
    answering = _release(request)
    scope = _scope(kind, code)
    try:
        document = indicators_document(answering, scope, query.zone)
    except NotCovered:
        raise ApiError(
            404,
            "not_covered",
            f"{scope.name} ({kind}:{scope.code}) is not covered by this release "
            f"({answering.vintage.isoformat()}): its files hold no establishment there.",
        ) from None
    document["release"] = _release_json(request, answering)
    return document


class DirectoryQuery(Schema):
    family: one_of(Family.values) = ""  # type: ignore[valid-type]
    section: str = Field("", pattern=r"^[A-Za-z]?$", description="NAF section letter.")
    division: str = Field("", pattern=r"^(\d\d)?$", description="NAF division (2 digits).")
    employer: one_of(("yes", "no")) = ""  # type: ignore[valid-type]
    zone: one_of(Zone.values) = ""  # type: ignore[valid-type]
    sort: one_of(directory.SORTS, blank=False) = directory.DEFAULT_SORT  # type: ignore[valid-type]
    release: str = RELEASE
    page: int = page_field()
    page_size: int = page_size_field(directory.PAGE_SIZE, directory.MAX_PAGE_SIZE)


@router.get(
    "/territories/{kind}/{code}/establishments",
    response={200: DirectoryOut, **errors(400, 404, 503)},
    summary="ESS establishments of a territory",
)
def territory_establishments(request, path: Path[TerritoryPath], query: Query[DirectoryQuery]):
    """The directory: filters `family`, `section` (NAF letter), `division` (2 digits), `employer` (yes/no),
    `zone`; `sort` (name, -name, created, -created, commune, naf); `page` and `page_size` (at most 200).
    Sole proprietors (legal category 1xxx) are listed without name, address or position."""
    kind, code = path.kind, path.code
    try:
        filters = directory.DirectoryFilters.parse(query.dict())
    except directory.InvalidFilter as exc:
        raise ApiError(
            400, "invalid_parameters", "Invalid filter.", [{"field": exc.field, "message": exc.value}]
        ) from None
    release = _release(request)
    scope = _scope(kind, code)
    rows = directory.filtered(release, scope, filters)
    total = directory.filtered_count(release, scope, filters)
    start = (query.page - 1) * query.page_size
    if start and start >= total:
        raise ApiError(404, "page_out_of_range", f"Page {query.page} is past the last page.")
    return {
        "territory": scope.as_json(),
        "release": _release_json(request, release),
        "filters": filters.as_params(),
        "count": total,
        "page": query.page,
        "page_size": query.page_size,
        "pages": max(1, -(-total // query.page_size)),
        "results": directory.public_records(rows[start : start + query.page_size]),
    }


@router.get(
    "/establishments/{siret}",
    response={200: EstablishmentWithReleaseOut, **errors(400, 404, 503)},
    summary="One ESS establishment",
)
def establishment(request, siret: str, release: str = Query("", max_length=10, description=RELEASE_HELP)):
    release = _release(request)
    row = EssEstablishment.objects.filter(release=release, siret=siret).first()
    if row is None:
        raise ApiError(404, "unknown_establishment", f"No ESS establishment {siret} in the current release.")
    return {"release": _release_json(request, release), **directory.public_records([row])[0]}


def _query_list(name: str, items: dict, description: str) -> dict:
    return {
        "in": "query",
        "name": name,
        "description": description,
        "schema": {"type": "array", "items": items},
        "style": "form",
        "explode": True,
    }


# Repeatable parameters are read from the query string by benchmark.Selection.parse (the page uses it too); the
# schema declares them, once each.
BENCHMARK_PARAMETERS = [
    _query_list(
        "nature", {"type": "string", "enum": list(benchmark_domain.PICKABLE_NATURES)}, "EPCI natures."
    ),
    {
        "in": "query",
        "name": "min_population",
        "description": "Only EPCI with at least this population.",
        "schema": {"type": "integer", "minimum": 0, "maximum": benchmark_domain.MAX_POPULATION},
    },
    _query_list("epci", {"type": "string", "pattern": r"^\d{9}(,\d{9})*$"}, "SIREN codes of EPCI."),
    {
        "in": "query",
        "name": "sort",
        "description": "Column to sort on.",
        "schema": {"type": "string", "enum": sorted(benchmark_domain.SORT_KEYS), "default": "ess"},
    },
    {"in": "query", "name": "order", "schema": {"type": "string", "enum": ["asc", "desc"]}},
]


@router.get(
    "/benchmark",
    response={200: BenchmarkOut, **errors(400, 404, 503)},
    summary="Metropolis benchmark",
    openapi_extra={"parameters": BENCHMARK_PARAMETERS},
)
def benchmark(request, release: str = Query("", max_length=10, description=RELEASE_HELP)):
    """The 22 métropoles by default; or pick EPCI with `nature` (repeatable: METRO, CU, CA, CC),
    `min_population`, `epci` (SIREN codes, repeatable or comma-separated); `sort` on any column, `order`."""
    params = request.GET if isinstance(request.GET, QueryDict) else QueryDict()
    try:
        selection = benchmark_domain.Selection.parse(params)
    except ValueError as exc:
        field, _sep, value = str(exc).partition("=")
        raise ApiError(
            400, "invalid_parameters", "Invalid parameter.", [{"field": field, "message": value}]
        ) from None
    release = _release(request)
    rows = benchmark_domain.benchmark_rows(release, selection)
    return {"release": _release_json(request, release), "count": len(rows), "results": rows}
