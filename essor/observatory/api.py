"""Observatory API v1: indicators of a territory, the metropolis benchmark, the directory, one establishment.

Errors use the API's one format ({"error": {"code", "message", "details"}}) through ApiError.
"""

from django.http import QueryDict
from ninja import Query, Router, Schema

from essor.core.errors import ApiError
from essor.core.urls_absolute import absolute_url
from essor.observatory import benchmark as benchmark_domain
from essor.observatory import directory
from essor.observatory.indicators import NotCovered, indicators_document
from essor.observatory.releases import UnknownRelease, citation_json, kept_vintages, requested_release
from essor.observatory.scope import get_scope
from essor.sirene.models import EssEstablishment
from essor.sirene.territory_filter import ZONES
from essor.territories.identifiers import UnknownTerritory

router = Router(tags=["observatory"])


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


@router.get("/territories/{kind}/{code}/indicators", summary="Indicators of a territory")
def territory_indicators(request, kind: str, code: str, zone: str = "all", release: str = ""):
    """The DESIGN §5 core indicators (the same JSON as `essor indicators KIND:CODE --json`), plus sectors with a
    specialisation index, size bands, creations per year, density, and the reference territory's and France's
    headline figures. `zone`: all, qpv, proximite or hors_qpv. `release`: the vintage (YYYY-MM-DD) of a kept
    older release, to cite figures that stay true; by default the serving release. `release` in the answer says
    which release answered, with the methodology and the licence."""
    if zone not in ZONES:
        raise ApiError(
            400, "invalid_parameters", "Invalid zone.", [{"field": "zone", "message": ", ".join(ZONES)}]
        )
    answering = _release(request)
    scope = _scope(kind, code)
    try:
        document = indicators_document(answering, scope, zone)
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
    family: str = ""
    section: str = ""
    division: str = ""
    employer: str = ""
    zone: str = ""
    sort: str = directory.DEFAULT_SORT
    release: str = ""
    page: int = 1
    page_size: int = directory.PAGE_SIZE


@router.get("/territories/{kind}/{code}/establishments", summary="ESS establishments of a territory")
def territory_establishments(request, kind: str, code: str, query: Query[DirectoryQuery]):
    """The directory: filters `family`, `section` (NAF letter), `division` (2 digits), `employer` (yes/no),
    `zone`; `sort` (name, -name, created, -created, commune, naf); `page` and `page_size` (at most 200).
    Sole proprietors (legal category 1xxx) are listed without name, address or position."""
    try:
        filters = directory.DirectoryFilters.parse(query.dict())
    except directory.InvalidFilter as exc:
        raise ApiError(
            400, "invalid_parameters", "Invalid filter.", [{"field": exc.field, "message": exc.value}]
        ) from None
    if query.page < 1 or not 1 <= query.page_size <= directory.MAX_PAGE_SIZE:
        raise ApiError(400, "invalid_parameters", "Invalid page or page_size.")
    release = _release(request)
    scope = _scope(kind, code)
    rows = directory.filtered(release, scope, filters)
    total = rows.count()
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


@router.get("/establishments/{siret}", summary="One ESS establishment")
def establishment(request, siret: str, release: str = ""):
    release = _release(request)
    row = EssEstablishment.objects.filter(release=release, siret=siret).first()
    if row is None:
        raise ApiError(404, "unknown_establishment", f"No ESS establishment {siret} in the current release.")
    return {"release": _release_json(request, release), **directory.public_records([row])[0]}


@router.get("/benchmark", summary="Metropolis benchmark")
def benchmark(request, release: str = ""):
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
