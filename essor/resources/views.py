"""Public pages of the resource bundle and the experiences inventory (thin: the rules live in queries/synthesis)."""

import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _

from essor.resources import exports, places
from essor.resources.forms import ExperienceFilterForm, ResourceFilterForm, cleaned_filters
from essor.resources.models import Assessment, CollectionItem
from essor.resources.queries import (
    filter_experiences,
    filter_resources,
    public_collections,
    public_experiences,
    public_resources,
)
from essor.resources.synthesis import synthesise

PAGE_SIZE = 20


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _csv_response(rows, name: str) -> HttpResponse:
    response = HttpResponse(exports.to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{datetime.date.today():%Y-%m-%d}.csv"'
    return response


def resource_list(request):
    form = ResourceFilterForm(request.GET or None)
    resources = filter_resources(cleaned_filters(form)).prefetch_related("audiences", "themes")
    return render(
        request,
        "resources/resource_list.html",
        {
            "form": form,
            "page_obj": _page(request, resources),
            "query": _query_without_page(request),
            "collections": public_collections()[:6],
        },
    )


def resource_csv(request):
    form = ResourceFilterForm(request.GET or None)
    return _csv_response(exports.resource_rows(filter_resources(cleaned_filters(form))), "essor-resources")


def _module_links(resource) -> list[dict]:
    """The training modules that use the resource (a module page may not exist yet: then no link)."""
    links = []
    for module in resource.module_set.all():
        try:
            url = module.get_absolute_url()
        except NoReverseMatch:
            url = ""
        links.append({"title": module.title, "url": url, "is_demo": getattr(module, "is_demo", False)})
    return links


def resource_detail(request, slug):
    resource = get_object_or_404(
        public_resources().prefetch_related(
            "audiences",
            "themes",
            Prefetch("experiences", queryset=public_experiences()),
            Prefetch("collections", queryset=public_collections()),
        ),
        slug=slug,
    )
    return render(
        request,
        "resources/resource_detail.html",
        {
            "resource": resource,
            "modules": _module_links(resource),
        },
    )


def collection_list(request):
    collections = public_collections().prefetch_related(
        Prefetch("items", queryset=CollectionItem.objects.filter(resource__published=True))
    )
    return render(request, "resources/collection_list.html", {"collections": collections})


def collection_detail(request, slug):
    collection = get_object_or_404(public_collections(), slug=slug)
    items = (
        collection.items.filter(resource__published=True)
        .select_related("resource")
        .prefetch_related("resource__audiences", "resource__themes")
    )
    return render(request, "resources/collection_detail.html", {"collection": collection, "items": items})


def experience_list(request):
    form = ExperienceFilterForm(request.GET or None)
    experiences = filter_experiences(cleaned_filters(form)).prefetch_related("audiences")
    page_obj = _page(request, experiences)
    for experience in page_obj:
        experience.region_label = places.region_name(experience.region_code) if experience.region_code else ""
    return render(
        request,
        "resources/experience_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "query": _query_without_page(request),
        },
    )


def experience_csv(request):
    form = ExperienceFilterForm(request.GET or None)
    return _csv_response(
        exports.experience_rows(filter_experiences(cleaned_filters(form))), "essor-experiences"
    )


def experience_detail(request, slug):
    experience = get_object_or_404(
        public_experiences().prefetch_related(
            "audiences",
            "themes",
            Prefetch("resources", queryset=public_resources()),
            Prefetch("assessments", queryset=Assessment.objects.select_related("criterion", "option")),
        ),
        slug=slug,
    )
    region = places.region_name(experience.region_code) if experience.region_code else ""
    return render(request, "resources/experience_detail.html", {"experience": experience, "region": region})


def experience_map(request):
    form = ExperienceFilterForm(request.GET or None)
    experiences = list(filter_experiences(cleaned_filters(form)).order_by("title_fr"))
    points = [
        {
            "title": e.title,
            "url": e.get_absolute_url(),
            "lon": e.longitude,
            "lat": e.latitude,
            "territory": e.territory_label,
        }
        for e in experiences
        if e.has_point
    ]
    return render(
        request,
        "resources/experience_map.html",
        {
            "form": form,
            "experiences": experiences,
            "points": points,
            "map_config": {
                "tiles": settings.MAP_TILE_URL,
                "attribution": settings.MAP_TILE_ATTRIBUTION,
                "link_label": _("Open the experience"),
            },
            "located": len(points),
        },
    )


def synthesis(request):
    form = ExperienceFilterForm(request.GET or None)
    experiences = filter_experiences(cleaned_filters(form))
    tables = synthesise(experiences)
    return render(
        request,
        "resources/synthesis.html",
        {
            "form": form,
            "tables": tables,
            "total": tables[0].total if tables else 0,
            "query": _query_without_page(request),
        },
    )


def synthesis_csv(request):
    form = ExperienceFilterForm(request.GET or None)
    tables = synthesise(filter_experiences(cleaned_filters(form)))
    return _csv_response(exports.synthesis_rows(tables), "essor-experiences-synthesis")
