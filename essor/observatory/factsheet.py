"""The territorial fact sheet as a PDF (two A4 pages): the profile's figures and tables, its charts as SVG, and a
static map drawn on the server, with the vintage, the source and the methodology link."""

import base64

from django.urls import reverse
from django.utils.translation import gettext as _

from essor.core import formatting
from essor.core.pdf import render_document
from essor.observatory import charts as charts_domain
from essor.observatory.profile import observatory_profile
from essor.observatory.qpv_comparison import qpv_comparison
from essor.observatory.static_map import render_static_map
from essor.territories.identifiers import KINDS

STYLESHEET = "observatory/factsheet_pdf.css"


def svg_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def filename(release, scope) -> str:
    return f"essor-fiche-{scope.kind}-{scope.code}-{release.vintage.isoformat()}-{formatting.language()}.pdf"


def factsheet_document(request, release, scope):
    """The laid-out document (essor.core.pdf) in the request's language."""
    context = {"scope": scope, **observatory_profile(scope, request)}
    obs = context["observatory"]
    charts = []
    for item in obs["charts"]:
        spec = charts_domain.build_spec(item["name"], obs["document"], obs["comparison"])
        charts.append({**item, "uri": svg_uri(charts_domain.render_svg(spec))})
    drawn = render_static_map(release, scope)
    context.update(
        {
            "charts": charts,
            "static_map": drawn,
            "static_map_uri": svg_uri(drawn.svg) if drawn else None,
            "kind_label": str(KINDS.get(scope.kind, scope.kind)),
            # A QPV: beside the rest of its commune(s), its EPCI and France, instead of the headline table.
            "qpv_comparison": qpv_comparison(release, scope) if scope.kind == "qpv" else None,
            "methodology_url": request.build_absolute_uri(reverse("core:methodology")),
            "quality_url": request.build_absolute_uri(
                reverse("observatory:quality_report", args=[release.pk])
            ),
            "page_url": request.build_absolute_uri(scope.territory_url() or request.path),
        }
    )
    return render_document(
        "observatory/factsheet_pdf.html",
        context,
        lang=formatting.language(),
        title=_("%(name)s: ESS fact sheet") % {"name": scope.name},
        metadata={"description": _("Source: INSEE SIRENE, ANCT QPV perimeters — Licence Ouverte 2.0")},
        stylesheets=[STYLESHEET],
    )
