"""The page of one ESS establishment (never a person: the directory's public record)."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from essor.observatory import directory as directory_domain
from essor.observatory.views.common import get_scope_url, no_release
from essor.sirene.models import EssEstablishment, Release


@require_GET
def establishment(request, siret: str):
    release = Release.objects.active()
    if release is None:
        return no_release(request)
    row = EssEstablishment.objects.filter(release=release, siret=siret).first()
    if row is None:
        raise Http404(siret)
    record = directory_domain.public_records([row])[0]
    map_config = None
    if record["lat"] is not None:
        map_config = {
            "bounds": [
                [record["lat"] - 0.004, record["lon"] - 0.006],
                [record["lat"] + 0.004, record["lon"] + 0.006],
            ],
            "contours": {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [record["lon"], record["lat"]]},
                        "properties": {"name": record["name"]},
                    }
                ],
            },
            "labels": {
                "zoomIn": _("Zoom in"),
                "zoomOut": _("Zoom out"),
                "error": _("The map could not be loaded."),
            },
        }
    commune_url = None
    if record["commune_code"]:
        commune_url = get_scope_url("commune", record["commune_code"])
    qpv_url = get_scope_url("qpv", record["qpv24_code"]) if record["qpv24_code"] else None
    return render(
        request,
        "observatory/establishment.html",
        {
            "release": release,
            "record": record,
            "map_config": map_config,
            "commune_url": commune_url,
            "qpv_url": qpv_url,
        },
    )
