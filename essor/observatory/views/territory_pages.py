"""A territory's observatory pages: the printable profile, its PDF fact sheet, its charts and its map's points."""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from essor.core.pdf import write_pdf
from essor.observatory import charts as charts_domain
from essor.observatory import directory as directory_domain
from essor.observatory import factsheet
from essor.observatory.comparison import comparison
from essor.observatory.indicators import NotCovered, indicators_document
from essor.observatory.profile import observatory_profile
from essor.observatory.releases import UnknownRelease, requested_release
from essor.observatory.views.common import scope_or_404
from essor.sirene.models import Release
from essor.sirene.territory_filter import ZONES

MAP_POINTS_MAX = 5_000


@require_GET
def profile(request, kind: str, code: str):
    """A printable fact sheet: the observatory section of the territory page, on its own."""
    scope = scope_or_404(kind, code)
    return render(
        request, "observatory/profile.html", {"scope": scope, **observatory_profile(scope, request)}
    )


@require_GET
def factsheet_pdf(request, kind: str, code: str):
    """The territorial fact sheet as a PDF of two A4 pages: key figures, tables, charts and a static map."""
    scope = scope_or_404(kind, code)
    release = Release.objects.active()
    if release is None:
        raise Http404("No release")
    document = factsheet.factsheet_document(request, release, scope)
    response = HttpResponse(write_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{factsheet.filename(release, scope)}"'
    return response


@require_GET
def chart(request, kind: str, code: str, name: str):
    if name not in charts_domain.CHARTS:
        raise Http404(name)
    try:
        release = requested_release(request)  # ?release=VINTAGE: a kept older release's chart
    except UnknownRelease:
        raise Http404("release") from None
    if release is None:
        raise Http404("No release")
    scope = scope_or_404(kind, code)
    zone = request.GET.get("zone", "all")
    if zone not in ZONES:
        zone = "all"
    try:
        document = indicators_document(release, scope, zone)
    except NotCovered:
        raise Http404("Not covered by this release") from None
    compared = comparison(release, scope) if name == "zones" else None
    if name == "zones" and compared is None:
        raise Http404(name)
    svg = charts_domain.render_svg(charts_domain.build_spec(name, document, compared))
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def map_points(request, kind: str, code: str):
    """The located ESS establishments of a territory as GeoJSON points for the map (at most MAP_POINTS_MAX)."""
    release = Release.objects.active()
    scope = scope_or_404(kind, code)
    features = []
    if release is not None:
        rows = (
            directory_domain.establishments_of(release, scope)
            .mappable()  # located, and never a person's address
            .order_by("siret")
            .values_list("siret", "name", "lon", "lat")[:MAP_POINTS_MAX]
        )
        pattern = reverse("observatory:establishment", kwargs={"siret": "00000000000000"})
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"name": name, "url": pattern.replace("00000000000000", siret)},
            }
            for siret, name, lon, lat in rows
        ]
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response
