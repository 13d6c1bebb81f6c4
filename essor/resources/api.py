"""Public API of the resource bundle and the experiences inventory, for partner platforms.

Content comes in both languages (`title_fr`, `title_en`...; an empty English value means "not translated").
Only published rows; organisations are public bodies; no person's data is exposed.
"""

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from essor.core.api_schemas import errors, page_field, page_size_field, text_field
from essor.core.urls_absolute import absolute_url
from essor.resources import places
from essor.resources.models import Assessment, CriterionKind, ExperienceFormat, Level, ResourceKind
from essor.resources.queries import (
    filter_experiences,
    filter_resources,
    public_collections,
    public_experiences,
    public_resources,
)

router = Router(tags=["resources"])
MAX_PAGE_SIZE = 100


def _absolute(path: str, request) -> str:
    return absolute_url(path, request)


class ResourceOut(Schema):
    slug: str
    title_fr: str
    title_en: str
    summary_fr: str
    summary_en: str
    kind: str
    format: str
    languages: list[str]
    level: str
    duration_minutes: int | None
    author: str
    year: int | None
    licence: str
    link: str
    audiences: list[str]
    themes: list[str]
    demo: bool
    url: str
    created_at: str


class ExperienceOut(Schema):
    slug: str
    title_fr: str
    title_en: str
    summary_fr: str
    summary_en: str
    territory_label: str
    territory: str
    region_code: str
    region_name: str
    longitude: float | None
    latitude: float | None
    period: str
    start_year: int | None
    end_year: int | None
    carrier: str
    partners: str
    format: str
    format_label: str
    audiences: list[str]
    link: str
    demo: bool
    url: str


class AssessmentOut(Schema):
    criterion: str
    criterion_name_fr: str
    criterion_name_en: str
    score: int | None
    scale_max: int | None
    option: str | None
    demo: bool


class ExperienceDetailOut(ExperienceOut):
    analysis_grid: list[AssessmentOut]
    resources: list[str]


class CollectionOut(Schema):
    slug: str
    title_fr: str
    title_en: str
    description_fr: str
    description_en: str
    demo: bool
    url: str
    resources: list[str]


class ResourcePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ResourceOut]


class ExperiencePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ExperienceOut]


class PageParams(Schema):
    page: int = page_field()
    page_size: int = page_size_field(50, MAX_PAGE_SIZE)


def _slug_field(what: str):
    return Field("", max_length=100, description=f"Slug of {what}.")


class ResourceFilters(PageParams):
    q: str = text_field()
    audience: str = _slug_field("an audience")
    theme: str = _slug_field("a theme")
    kind: ResourceKind | None = None
    language: str = Field("", max_length=8, description="ISO 639-1 code of a language (fr, en...).")
    level: Level | None = None


YEAR = {"ge": 1000, "le": 9999}


class ExperienceFilters(PageParams):
    q: str = text_field()
    region: str = Field("", max_length=10, description="INSEE code of a région, or `national`.")
    audience: str = _slug_field("an audience")
    format: ExperienceFormat | None = None
    year_from: int | None = Field(
        None, **YEAR, description="Experiences still running in or after that year."
    )
    year_to: int | None = Field(None, **YEAR, description="Experiences started in or before that year.")


def _paginate(queryset, params: PageParams) -> tuple[int, list]:
    # Bounds are checked by the schema (400 invalid_parameters): start stays a small SQL integer.
    start = (params.page - 1) * params.page_size
    return queryset.count(), list(queryset[start : start + params.page_size])


def _slugs(related) -> list[str]:
    return [term.slug for term in related.all()]


def _resource_out(r, request) -> dict:
    return {
        "slug": r.slug,
        "title_fr": r.title_fr,
        "title_en": r.title_en,
        "summary_fr": r.summary_fr,
        "summary_en": r.summary_en,
        "kind": r.kind,
        "format": r.format,
        "languages": r.language_list,
        "level": r.level,
        "duration_minutes": r.duration_minutes,
        "author": r.author,
        "year": r.year,
        "licence": r.licence,
        "link": r.url or (_absolute(r.file.url, request) if r.file else ""),
        "audiences": _slugs(r.audiences),
        "themes": _slugs(r.themes),
        "demo": r.is_demo,
        "url": _absolute(r.get_absolute_url(), request),
        "created_at": r.created_at.isoformat(),
    }


def _experience_out(e, request) -> dict:
    return {
        "slug": e.slug,
        "title_fr": e.title_fr,
        "title_en": e.title_en,
        "summary_fr": e.summary_fr,
        "summary_en": e.summary_en,
        "territory_label": e.territory_label,
        "territory": e.territory_id,
        "region_code": e.region_code,
        "region_name": places.region_name(e.region_code) if e.region_code else "",
        "longitude": e.longitude,
        "latitude": e.latitude,
        "period": e.period_label,
        "start_year": e.start_year,
        "end_year": e.end_year,
        "carrier": e.carrier,
        "partners": e.partners,
        "format": e.format,
        "format_label": e.format_label,
        "audiences": _slugs(e.audiences),
        "link": e.url,
        "demo": e.is_demo,
        "url": _absolute(e.get_absolute_url(), request),
    }


@router.get(
    "/resources",
    response={200: ResourcePage, **errors(400)},
    summary="List published resources (filters, search, pages)",
)
def list_resources(request, filters: Query[ResourceFilters]):
    values = filters.dict()
    queryset = filter_resources(values).prefetch_related("audiences", "themes").order_by("title_fr", "pk")
    count, rows = _paginate(queryset, filters)
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [_resource_out(r, request) for r in rows],
    }


@router.get("/resources/{slug}", response={200: ResourceOut, **errors(404)}, summary="One published resource")
def get_resource(request, slug: str):
    resource = get_object_or_404(public_resources().prefetch_related("audiences", "themes"), slug=slug)
    return _resource_out(resource, request)


@router.get(
    "/experiences",
    response={200: ExperiencePage, **errors(400)},
    summary="List published experiences (filters, search, pages)",
)
def list_experiences(request, filters: Query[ExperienceFilters]):
    queryset = filter_experiences(filters.dict()).prefetch_related("audiences").order_by("title_fr", "pk")
    count, rows = _paginate(queryset, filters)
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [_experience_out(e, request) for e in rows],
    }


@router.get(
    "/experiences/{slug}",
    response={200: ExperienceDetailOut, **errors(404)},
    summary="One experience with its analysis grid",
)
def get_experience(request, slug: str):
    experience = get_object_or_404(public_experiences().prefetch_related("audiences"), slug=slug)
    grid = [
        {
            "criterion": a.criterion.slug,
            "criterion_name_fr": a.criterion.name_fr,
            "criterion_name_en": a.criterion.name_en,
            "score": a.score,
            "scale_max": a.criterion.scale_max if a.criterion.kind == CriterionKind.SCORE else None,
            "option": a.option.value if a.option else None,
            "demo": a.is_demo,
        }
        for a in Assessment.objects.filter(experience=experience).select_related("criterion", "option")
    ]
    resources = list(experience.resources.filter(published=True).values_list("slug", flat=True))
    return _experience_out(experience, request) | {"analysis_grid": grid, "resources": resources}


def _collection_out(c, request) -> dict:
    return {
        "slug": c.slug,
        "title_fr": c.title_fr,
        "title_en": c.title_en,
        "description_fr": c.description_fr,
        "description_en": c.description_en,
        "demo": c.is_demo,
        "url": _absolute(c.get_absolute_url(), request),
        "resources": [item.resource.slug for item in c.items.all() if item.resource.published],
    }


@router.get(
    "/collections", response=list[CollectionOut], summary="Curated collections with their ordered resources"
)
def list_collections(request):
    return [_collection_out(c, request) for c in public_collections().prefetch_related("items__resource")]


@router.get("/collections/{slug}", response={200: CollectionOut, **errors(404)}, summary="One collection")
def get_collection(request, slug: str):
    return _collection_out(
        get_object_or_404(public_collections().prefetch_related("items__resource"), slug=slug), request
    )
