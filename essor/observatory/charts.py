"""Charts of a territory profile: Vega-Lite specs (altair) rendered to SVG on the server (vl-convert, offline).

Each chart has its data table beside it on the page (same numbers); the SVG is an image with a text alternative.
Rendering takes ~50 ms, so SVGs are cached by the hash of their spec (same data and language, same SVG).
"""

import hashlib
import json

import altair as alt
import vl_convert
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from essor.sirene.models import Family, Zone

CHARTS = ("families", "sectors", "bands", "creations", "zones")
WIDTH = 520
BRAND = "#0b5c4b"
ZONE_COLOURS = {"qpv": "#b3186f", "proximite": "#b45309", "hors_qpv": "#4b5563"}
CACHE_SECONDS = 24 * 3600


def _bars(rows: list[dict], category: str, value: str, category_title: str, value_title: str, sort=True):
    height = max(60, 26 * len(rows))
    chart = alt.Chart(alt.Data(values=rows), width=WIDTH, height=height).mark_bar(color=BRAND)
    return chart.encode(
        y=alt.Y(
            f"{category}:N", title=category_title, sort="-x" if sort else None, axis=alt.Axis(labelLimit=260)
        ),
        x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(format=",d", tickMinStep=1)),
        tooltip=[alt.Tooltip(f"{category}:N"), alt.Tooltip(f"{value}:Q", format=",d")],
    )


def family_chart(document: dict):
    rows = [
        {"family": str(Family(key).label), "ess": value}
        for key, value in document["establishments"]["ess_by_family"].items()
    ]
    return _bars(rows, "family", "ess", _("Family"), _("ESS establishments"))


def sector_chart(document: dict):
    rows = [
        {"sector": f"{row['code']} {row['label'][:45]}", "ess": row["ess"]}
        for row in document["sectors"]["divisions"]
    ]
    return _bars(rows, "sector", "ess", _("NAF division"), _("ESS establishments"))


def band_chart(document: dict):
    rows = [{"band": row["label"], "ess": row["ess"]} for row in document["size_bands"]]
    return _bars(rows, "band", "ess", _("Employee size band"), _("ESS establishments"), sort=False)


def creation_chart(document: dict):
    rows = [{"year": str(row["year"]), "ess": row["ess"]} for row in document["creations"]]
    chart = alt.Chart(alt.Data(values=rows), width=WIDTH, height=220).mark_bar(color=BRAND)
    return chart.encode(
        x=alt.X("year:O", title=_("Year of creation")),
        y=alt.Y(
            "ess:Q", title=_("ESS establishments still active"), axis=alt.Axis(format=",d", tickMinStep=1)
        ),
        tooltip=[alt.Tooltip("year:O"), alt.Tooltip("ess:Q", format=",d")],
    )


def zone_chart(comparison: dict):
    rows = [
        {"zone": str(Zone(column["zone"]).label), "key": column["zone"], "share": column["ess_share"] or 0}
        for column in comparison["columns"]
        if column["zone"] != "all"
    ]
    chart = alt.Chart(alt.Data(values=rows), width=WIDTH, height=26 * len(rows) + 20).mark_bar()
    return chart.encode(
        y=alt.Y("zone:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X("share:Q", title=_("Share of ESS among active establishments"), axis=alt.Axis(format=".0%")),
        color=alt.Color(
            "key:N",
            scale=alt.Scale(domain=list(ZONE_COLOURS), range=list(ZONE_COLOURS.values())),
            legend=None,
        ),
        tooltip=[alt.Tooltip("zone:N"), alt.Tooltip("share:Q", format=".1%")],
    )


def build_spec(name: str, document: dict, comparison: dict | None) -> dict:
    builders = {
        "families": family_chart,
        "sectors": sector_chart,
        "bands": band_chart,
        "creations": creation_chart,
    }
    if name == "zones":
        chart = zone_chart(comparison)
    else:
        chart = builders[name](document)
    spec = chart.configure_view(stroke=None).configure_axis(labelFontSize=12, titleFontSize=12).to_dict()
    spec.pop("$schema", None)
    return spec


def render_svg(spec: dict) -> str:
    """The SVG of a spec, in the page's number format (e.g. 12 345 in French)."""
    locale = "fr-FR" if (get_language() or "fr").startswith("fr") else "en-US"
    text = json.dumps(spec, sort_keys=True, ensure_ascii=False)
    key = "observatory-chart:" + hashlib.sha256(f"{locale}|{text}".encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = vl_convert.vegalite_to_svg(spec, format_locale=locale)
        cache.set(key, svg, CACHE_SECONDS)
    return svg
