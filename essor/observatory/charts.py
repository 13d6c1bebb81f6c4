"""Charts of a territory profile: Vega-Lite specs (altair) rendered to SVG on the server (vl-convert, offline).

Each chart has its data table beside it on the page (same numbers); the SVG is an image with a text alternative.
Rendering takes ~50 ms, so SVGs are cached by the hash of their spec (same data and language, same SVG).
"""

import hashlib
import json
import math

import altair as alt
import vl_convert
from django.core.cache import caches
from django.utils.translation import gettext as _

from essor.core import formatting
from essor.sirene.models import Family, Zone

CHARTS = ("families", "sectors", "bands", "creations", "zones")
# Narrow enough that a phone shows the chart at nearly its own size (text stays legible at 375 px).
WIDTH = 240
LABEL_LIMIT = 170
FONT_SIZE = 14
FONT = "DejaVu Sans"
BRAND = "#0b5c4b"
ZONE_COLOURS = {"qpv": "#b3186f", "proximite": "#b45309", "hors_qpv": "#4b5563"}
CACHE_SECONDS = 24 * 3600


def count_ticks(maximum: int, most: int = 6) -> list[int]:
    """Whole-number ticks from 0 past the largest count, at a round step (1, 2, 5 × 10^k): an axis of counts
    never shows fractions, nor the same integer twice (Vega's own ticks gave "0 · 1 · 1" for small counts)."""
    maximum = max(int(math.ceil(maximum or 0)), 1)
    step = 1
    while math.ceil(maximum / step) > most - 1:
        step = _next_step(step)
    top = int(math.ceil(maximum / step)) * step
    return list(range(0, top + 1, step))


def _next_step(step: int) -> int:
    digits = 10 ** (len(str(step)) - 1)
    lead = step // digits
    return {1: 2, 2: 5, 5: 10}[lead] * digits


def _count_scale_axis(rows: list[dict], value: str, title: str):
    ticks = count_ticks(max((row[value] or 0 for row in rows), default=0))
    scale = alt.Scale(domain=[0, ticks[-1]], nice=False)
    return scale, alt.Axis(values=ticks, format=",d", title=title)


def _bars(rows: list[dict], category: str, value: str, value_title: str, sort=True):
    # No title on the category axis: the caption and the table's header name it (two titles overlapped).
    height = max(60, 26 * len(rows))
    scale, axis = _count_scale_axis(rows, value, value_title)
    chart = alt.Chart(alt.Data(values=rows), width=WIDTH, height=height).mark_bar(color=BRAND)
    return chart.encode(
        y=alt.Y(
            f"{category}:N", title=None, sort="-x" if sort else None, axis=alt.Axis(labelLimit=LABEL_LIMIT)
        ),
        x=alt.X(f"{value}:Q", scale=scale, axis=axis),
        tooltip=[alt.Tooltip(f"{category}:N"), alt.Tooltip(f"{value}:Q", format=",d")],
    )


def family_chart(document: dict):
    rows = [
        {"family": str(Family(key).label), "ess": value}
        for key, value in document["establishments"]["ess_by_family"].items()
    ]
    return _bars(rows, "family", "ess", _("ESS establishments"))


def sector_chart(document: dict):
    rows = [
        {"sector": f"{row['code']} {row['label'][:45]}", "ess": row["ess"]}
        for row in document["sectors"]["divisions"]
    ]
    return _bars(rows, "sector", "ess", _("ESS establishments"))


def band_chart(document: dict):
    rows = [{"band": row["label"], "ess": row["ess"]} for row in document["size_bands"]]
    return _bars(rows, "band", "ess", _("ESS establishments"), sort=False)


def creation_chart(document: dict):
    rows = [{"year": str(row["year"]), "ess": row["ess"]} for row in document["creations"]]
    scale, axis = _count_scale_axis(rows, "ess", _("ESS establishments still active"))
    chart = alt.Chart(alt.Data(values=rows), width=WIDTH + 60, height=200).mark_bar(color=BRAND)
    return chart.encode(
        x=alt.X("year:O", title=_("Year of creation"), axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("ess:Q", scale=scale, axis=axis),
        tooltip=[alt.Tooltip("year:O"), alt.Tooltip("ess:Q", format=",d")],
    )


def zone_chart(comparison: dict):
    rows = [
        {"zone": str(Zone(column["zone"]).label), "key": column["zone"], "share": column["ess_share"] or 0}
        for column in comparison["columns"]
        if column["zone"] != "all"
    ]
    chart = alt.Chart(alt.Data(values=rows), width=WIDTH - 60, height=26 * len(rows) + 20).mark_bar()
    return chart.encode(
        y=alt.Y("zone:N", title=None, sort=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
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
    spec = (
        # Measured and drawn with the vendored font (the PDF's): labels are placed from their measured width,
        # so another font at drawing time pushed them past the edge.
        chart.configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, titlePadding=10)
        .to_dict()
    )
    spec.pop("$schema", None)
    return spec


def render_svg(spec: dict) -> str:
    """The SVG of a spec, in the page's number format: the separators and percent sign of essor.core.formatting
    (12 345 and 9,6 % in French; 12,345 and 9.6% in English), like the tables beside the charts."""
    locale = formatting.d3_locale()
    text = json.dumps(spec, sort_keys=True, ensure_ascii=False)
    key = "observatory-chart:" + hashlib.sha256(f"{formatting.language()}|{text}".encode()).hexdigest()
    svg = caches["local"].get(key)
    if svg is None:
        svg = vl_convert.vegalite_to_svg(spec, format_locale=locale)
        caches["local"].set(key, svg, CACHE_SECONDS)
    return svg
