"""The observatory section of a territory page: headline figures beside the reference territory and France,
charts with their tables, inside vs outside QPV, the map of ESS establishments, links to the directory.

Shown on every territory page through the section registry (`territory_section`, registered in
ObservatoryConfig.ready) and on the observatory's own fact-sheet page; everything lands under the `observatory`
key of the template context.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from essor.observatory.charts import CHARTS
from essor.observatory.comparison import comparison, zone_label
from essor.observatory.directory import directory_count
from essor.observatory.indicators import NotCovered, indicators_document
from essor.observatory.releases import UnknownRelease, requested_release
from essor.observatory.scope import Scope, scope_from_ref
from essor.sirene.models import Family, Release
from essor.sirene.territory_filter import ZONES


def observatory_profile(ref, request) -> dict:
    scope = ref if isinstance(ref, Scope) else scope_from_ref(ref)
    missing = None
    try:
        release = requested_release(request)
    except UnknownRelease as exc:  # a permalink to a release pruned since: say so, show the current figures
        missing, release = exc.vintage, Release.objects.active()
    if release is None:
        return {"observatory": {"release": None, "scope": scope}}
    zone = request.GET.get("zone", "all") if request is not None else "all"
    if zone not in ZONES or scope.kind == "qpv":
        zone = "all"
    try:
        document = indicators_document(release, scope, zone)
    except NotCovered:
        return {"observatory": {"release": release, "scope": scope, "not_covered": True}}
    compared = comparison(release, scope)
    context = profile_context(release, scope, zone, document, compared)
    context["missing_release"] = missing
    return {"observatory": context}


def territory_section(request, ref) -> dict:
    """The context of the observatory's section of a territory page (essor.core.sections)."""
    return observatory_profile(ref, request)


def compared_columns(document: dict) -> list[dict]:
    """The reference territory and France, France once when it is the reference (régions, départements)."""
    reference, national = document["reference"], document["national"]
    if reference and national and reference["territory"] == national["territory"]:
        national = None
    return [item for item in (reference, national) if item]


def headline_rows(document: dict) -> list[dict]:
    """Rows of the headline table: here, the reference territory, France."""
    columns = [document, *compared_columns(document)]

    def density_of(item):
        return item["density"]["ess_per_1000"]

    specs = [
        (_("ESS establishments"), "int", lambda item: item["establishments"]["ess"]),
        (_("Active establishments (all sectors)"), "int", lambda item: item["establishments"]["active"]),
        (_("ESS share of active establishments"), "pct", lambda item: item["establishments"]["ess_share"]),
        (_("ESS employer establishments"), "int", lambda item: item["establishments"]["ess_employer"]),
        (_("ESS employees (estimate)"), "range", lambda item: item["employees_estimate"]["ess"]),
        (_("ESS establishments per 1,000 inhabitants"), "dec", density_of),
    ]
    # A reference territory the release does not wholly cover shows no figures (never a partial sum or 0).
    return [
        {
            "label": label,
            "format": fmt,
            "values": [get(item) if item.get("covered", True) else None for item in columns],
        }
        for label, fmt, get in specs
    ]


def chart_tables(document: dict, compared: dict | None) -> list[dict]:
    """Each chart with its title, a text alternative and the table of the same numbers."""
    families = [
        {"label": str(Family(key).label), "value": value}
        for key, value in document["establishments"]["ess_by_family"].items()
    ]
    sectors = [
        {
            "label": f"{row['code']} – {row['label']}",
            "value": row["ess"],
            "share": row["ess_share"],
            "specialisation": row["specialisation"],
        }
        for row in document["sectors"]["divisions"]
    ]
    bands = [{"label": row["label"], "value": row["ess"]} for row in document["size_bands"]]
    creations = [{"label": str(row["year"]), "value": row["ess"]} for row in document["creations"]]
    charts = [
        ("families", _("ESS establishments by family"), families),
        ("sectors", _("Top sectors of the ESS (NAF divisions)"), sectors),
        ("bands", _("ESS establishments by employee size band"), bands),
        ("creations", _("ESS establishments still active, by year of creation"), creations),
    ]
    if compared:
        zones = [
            {"label": column["label"], "value": column["ess_share"], "ess": column["ess"]}
            for column in compared["columns"]
            if column["zone"] != "all"
        ]
        charts.append(("zones", _("Share of the ESS inside QPVs, within 300 m and elsewhere"), zones))
    return [{"name": name, "title": title, "rows": rows} for name, title, rows in charts if name in CHARTS]


def profile_context(release, scope: Scope, zone: str, document: dict, compared: dict | None) -> dict:
    kwargs = {"kind": scope.kind, "code": scope.code}
    charts = chart_tables(document, compared)
    # Figures of an older release name it in every address (charts, API); a permalink always does.
    pinned = {"release": release.vintage.isoformat()} if not release.is_active else {}
    params = {**({"zone": zone} if zone != "all" else {}), **pinned}
    query = f"?{urlencode(params)}" if params else ""
    permalink_params = {**({"zone": zone} if zone != "all" else {}), "release": release.vintage.isoformat()}
    page = scope.territory_url() or reverse("observatory:profile", kwargs=kwargs)
    for chart in charts:
        chart["url"] = reverse("observatory:chart", kwargs={**kwargs, "name": chart["name"]}) + query
    ess = document["establishments"]["ess"]
    return {
        "release": release,
        "current_release": release if release.is_active else Release.objects.active(),
        "pinned_release": pinned.get("release", ""),
        "permalink": f"{page}?{urlencode(permalink_params)}#obs-title",
        "current_url": page,
        "scope": scope,
        "zone": zone,
        "zone_label": _zone_choice_label(zone),
        "zones": [(value, _zone_choice_label(value)) for value in ZONES],
        "document": document,
        "headline": headline_rows(document),
        "column_names": [scope.name] + [_column_name(item) for item in compared_columns(document)],
        "comparison": compared,
        "charts": charts if ess else [],
        "directory_url": reverse("observatory:directory", kwargs=kwargs),
        # The link says how many establishments the directory lists: for a QPV, inside it and within 300 m.
        "directory_count": directory_count(release, scope) if scope.kind == "qpv" else ess,
        "directory_includes_band": scope.kind == "qpv",
        "factsheet_url": reverse("observatory:profile", kwargs=kwargs),
        "factsheet_pdf_url": reverse("observatory:factsheet_pdf", kwargs=kwargs),
        "api_url": f"/api/v1/territories/{scope.kind}/{scope.code}/indicators{query}",
        "map_config": {
            "bounds": document.get("bounds") or None,
            "points_url": reverse("observatory:map_points", kwargs=kwargs),
            "contours_url": _contours_url(scope),
            "tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}
            if settings.MAP_TILE_URL
            else None,
            "labels": {
                "open": _("Open the page of this establishment"),
                "zoomIn": _("Zoom in"),
                "zoomOut": _("Zoom out"),
                "error": _("The map could not be loaded. The directory lists the same establishments."),
            },
        }
        if ess
        else None,
    }


def _column_name(summary: dict) -> str:
    name = summary["territory"]["name"]
    return (
        name if summary.get("covered", True) else _("%(name)s (not covered by this release)") % {"name": name}
    )


def _contours_url(scope: Scope) -> str:
    return reverse("territories:qpv_geojson", kwargs={"kind": scope.kind, "code": scope.code})


def _zone_choice_label(zone: str) -> str:
    return zone_label(zone)
