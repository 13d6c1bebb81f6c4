"""Partner API additions: find a territory by name or code (the identifiers every other endpoint takes)."""

from ninja import Field, Query, Router, Schema

from essor.core.api_schemas import MAX_TEXT, errors, one_of
from essor.core.errors import ApiError
from essor.core.urls_absolute import absolute_url
from essor.territories.search import KIND_ORDER
from essor.territories.search import search as search_territories

router = Router(tags=["territories"])
MAX_RESULTS = 50


class TerritoryHit(Schema):
    id: str = Field(
        description="Identifier `kind:code`, as the other endpoints take it.", examples=["epci:200046977"]
    )
    kind: str = Field(description="region, departement, epci, commune or qpv.")
    code: str = Field(description="Code of the territory (text).")
    name: str
    context: str = Field(description="Where it is (département of a commune, communes of a QPV…).")
    population: int | None
    url: str = Field(description="The territory's page.")
    indicators: str = Field(description="The territory's indicators in this API.")


class SearchOut(Schema):
    query: str
    count: int
    results: list[TerritoryHit]


class SearchQuery(Schema):
    q: str = Field(..., min_length=1, max_length=MAX_TEXT, description="A name or a code.")
    kind: one_of(KIND_ORDER) = Field("", description="Keep one kind of territory.")  # type: ignore[valid-type]
    limit: int = Field(10, ge=1, le=MAX_RESULTS, description=f"At most {MAX_RESULTS} results.")


@router.get(
    "/territories/search",
    response={200: SearchOut, **errors(400)},
    summary="Find territories by name or code",
)
def territory_search(request, params: Query[SearchQuery]):
    """Accent-, case- and hyphen-insensitive; codes (INSEE, SIREN, QPV, postcode) first, then exact names, names
    starting with the query, and so on; larger territories first within a rank. `kind` keeps one kind;
    `limit` at most 50."""
    query, kind, limit = params.q.strip(), params.kind, params.limit
    if not query:
        raise ApiError(400, "invalid_parameters", "`q` is required.", [{"field": "q", "message": "empty"}])
    found = search_territories(query, limit=MAX_RESULTS if kind else limit)
    if kind:
        found = [hit for hit in found if hit.kind == kind][:limit]
    results = [
        {
            "id": hit.identifier,
            "kind": hit.kind,
            "code": hit.code,
            "name": hit.name,
            "context": hit.context,
            "population": hit.population,
            "url": absolute_url(hit.ref.get_absolute_url(), request),
            "indicators": absolute_url(f"/api/v1/territories/{hit.kind}/{hit.code}/indicators", request),
        }
        for hit in found
    ]
    return {"query": query, "count": len(results), "results": results}
