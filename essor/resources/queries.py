"""Which resources and experiences a visitor sees: published rows, filtered by the cleaned values of a filter form.

Pages, CSV exports, the synthesis and the API all go through these functions, so they agree on what is listed.
"""

from django.db.models import Q, QuerySet

from essor.resources.models import Collection, Experience, Resource
from essor.resources.search import apply_search


def public_resources() -> QuerySet:
    return Resource.objects.filter(published=True)


def public_experiences() -> QuerySet:
    return Experience.objects.filter(published=True)


def public_collections() -> QuerySet:
    return Collection.objects.filter(published=True)


def filter_resources(filters: dict, queryset: QuerySet | None = None) -> QuerySet:
    """filters: q, audience, theme (slugs), kind, language (ISO code), level; empty values are ignored."""
    queryset = public_resources() if queryset is None else queryset
    if filters.get("audience"):
        queryset = queryset.filter(audiences__slug=filters["audience"])
    if filters.get("theme"):
        queryset = queryset.filter(themes__slug=filters["theme"])
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("language"):
        # Codes are stored in lower case; LIKE ignores case on SQLite but not on PostgreSQL.
        queryset = queryset.filter(languages__contains=filters["language"].strip().lower())
    if filters.get("level"):
        queryset = queryset.filter(level=filters["level"])
    if filters.get("q"):
        queryset = apply_search(queryset, filters["q"])
    return queryset.distinct()


def filter_experiences(filters: dict, queryset: QuerySet | None = None) -> QuerySet:
    """filters: q, region (INSEE code, or "national"), audience (slug), format, year_from, year_to.

    The period filter keeps experiences whose years overlap [year_from, year_to]; an experience with no end year
    is ongoing (its end is open), one with no start year is kept only when no period is asked.
    """
    queryset = public_experiences() if queryset is None else queryset
    region = filters.get("region")
    if region == "national":
        queryset = queryset.filter(territory_id__startswith="france:")
    elif region:
        queryset = queryset.filter(region_code=region)
    if filters.get("audience"):
        queryset = queryset.filter(audiences__slug=filters["audience"])
    if filters.get("format"):
        queryset = queryset.filter(format=filters["format"])
    if filters.get("year_from"):
        queryset = queryset.filter(
            Q(end_year__gte=filters["year_from"]) | Q(end_year__isnull=True), start_year__isnull=False
        )
    if filters.get("year_to"):
        queryset = queryset.filter(start_year__lte=filters["year_to"])
    if filters.get("q"):
        queryset = apply_search(queryset, filters["q"])
    return queryset.distinct()
