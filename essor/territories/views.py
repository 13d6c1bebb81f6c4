"""Public pages of the territorial reference: search, one page per territory, the QPV lookup of a point."""

import json

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from essor.territories import contents as territory_contents
from essor.territories import geocoder
from essor.territories.forms import LocateForm, SearchForm
from essor.territories.identifiers import KINDS, UnknownTerritory, parse_identifier, resolve
from essor.territories.locate import Location, ReferenceNotLoaded, get_index
from essor.territories.search import grouped_search

SEARCH_PER_KIND = 8  # results shown per kind; "N more" opens the kind on its own
SEARCH_ONE_KIND = 100


def _resolve_or_404(kind: str, code: str):
    try:
        return resolve(kind, code)
    except UnknownTerritory:
        raise Http404(f"No territory {kind}:{code}") from None


def _detail_url_pattern(kind: str) -> str:
    """The detail URL of every territory of a kind, with `__code__` to replace (one reverse per list)."""
    return reverse("territories:detail", kwargs={"kind": kind, "code": "__code__"})


@require_GET
def search(request):
    form = SearchForm(request.GET or None)
    query = ""
    groups = []
    kind = request.GET.get("kind") if request.GET.get("kind") in KINDS else None
    if form.is_valid():
        query = form.cleaned_data["q"]
        ref = _exact_identifier(query)
        if ref is not None:
            return redirect(ref.get_absolute_url())
        found = grouped_search(query, per_kind=SEARCH_ONE_KIND if kind else SEARCH_PER_KIND, kind=kind)
        for group in found:
            more_url = "?" + urlencode({"q": query, "kind": group.kind}) if group.more and not kind else None
            groups.append(
                {
                    "kind": group.kind,
                    "results": group.results,
                    "total": group.total,
                    "more": group.more,
                    "more_url": more_url,
                }
            )
    return render(
        request,
        "territories/search.html",
        {
            "form": form,
            "query": query,
            "kind": kind,
            "groups": groups,
            "result_count": sum(group["total"] for group in groups),
            "all_url": "?" + urlencode({"q": query}) if kind else None,
        },
    )


def _exact_identifier(query: str):
    """A query written as `kind:code` (as in the API and the exports) leads straight to the territory."""
    try:
        return resolve(*parse_identifier(query))
    except (ValueError, UnknownTerritory):
        return None


@require_GET
def detail(request, kind: str, code: str):
    ref = _resolve_or_404(kind, code)
    if (ref.kind, ref.code) != (kind, code):  # `2a`, `qn03104m`: one address per territory
        return redirect(ref.get_absolute_url(), permanent=True)
    contents = territory_contents.contents_of(ref)
    for listing in contents.listings:
        pattern = _detail_url_pattern(listing.kind)
        for item in listing.items:
            item.page_url = pattern.replace("__code__", str(item.pk))
    context = {
        "ref": ref,
        "obj": ref.obj,
        "breadcrumbs": ref.parent_chain(),
        # What upper apps (observatory, trainings, ...) show here, registered in essor.core.sections.
        "section_pages": ("territory", "qpv") if ref.kind == "qpv" else ("territory",),
        "contents": contents,
        "listings": [listing for listing in contents.listings if listing.items],
        "map_config": _map_config(ref, contents),
    }
    return render(request, "territories/detail.html", context)


def _map_config(ref, contents) -> dict | None:
    """What core/map.js draws: the QPV contours (inline for one QPV, by URL otherwise) and where to look."""
    if contents.map_qpvs is None:
        return None
    if ref.kind == "france":
        bounds = territory_contents.MAINLAND_BOUNDS
    else:
        bounds = territory_contents.map_bounds(contents.map_qpvs)
        if bounds is None:
            return None
    config = {
        "bounds": bounds,
        "tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}
        if settings.MAP_TILE_URL
        else None,
        "labels": {
            "open": _("Open the page of this QPV"),
            "zoomIn": _("Zoom in"),
            "zoomOut": _("Zoom out"),
            "error": _(
                "The map could not be loaded. The list of QPVs on this page gives the same information."
            ),
        },
    }
    if ref.kind == "qpv":
        config["contours"] = json.loads(
            territory_contents.geojson_of(contents.map_qpvs, _qpv_url_of(), highlight=ref.code)
        )
    else:
        config["contours_url"] = reverse(
            "territories:qpv_geojson", kwargs={"kind": ref.kind, "code": ref.code}
        )
    return config


def _qpv_url_of():
    pattern = _detail_url_pattern("qpv")
    return lambda code: pattern.replace("__code__", code)


@require_GET
def qpv_geojson(request, kind: str, code: str):
    """The 2024 QPV contours of a territory as GeoJSON (their centres for France; a QPV's own contour)."""
    ref = _resolve_or_404(kind, code)
    points = ref.kind == "france"
    qpvs = territory_contents.qpvs_of(ref)
    body = territory_contents.geojson_of(qpvs, _qpv_url_of(), points=points)
    response = HttpResponse(body, content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def locate(request):
    """Which QPV holds a point (or an address, when a geocoder is configured): the page asks the API from
    JavaScript; without JavaScript, or for an address, the form is answered here by the same lookup."""
    with_address = geocoder.enabled()
    form = LocateForm(request.GET or None, with_address=with_address)
    location = found_address = None
    geocoder_error = None
    if form.is_valid():
        lon, lat = form.cleaned_data["lon"], form.cleaned_data["lat"]
        if with_address and form.cleaned_data.get("address"):
            try:
                found_address = geocoder.geocode(form.cleaned_data["address"])
            except geocoder.GeocoderUnavailable:
                geocoder_error = _("The address service does not answer; type the coordinates instead.")
            else:
                if found_address is None:
                    geocoder_error = _("No address matches; check it or type the coordinates instead.")
                else:
                    lon, lat = found_address.lon, found_address.lat
        if lon is not None and lat is not None and geocoder_error is None:
            try:
                location = get_index().locate_one(lon, lat)
            except ReferenceNotLoaded:
                location = Location(qpv=None, nearest=None, distance_m=None)
    return render(
        request,
        "territories/locate.html",
        {
            "form": form,
            "location": location,
            "found_address": found_address,
            "geocoder_error": geocoder_error,
            "with_address": with_address,
            "api_url": "/api/v1/qpv/locate",
        },
    )
