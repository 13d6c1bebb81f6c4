"""Server-side SVG charts of the analysis (Vega-Lite via altair, rendered offline by the observatory's renderer).

Every chart sits beside the table of its numbers; the SVG is decorative for screen readers (the table carries it).
"""

import altair as alt
from django.utils.translation import gettext as _

from essor.observatory.charts import render_svg

BRAND = "#0b5c4b"
WIDTH = 460


def _bars(rows: list[dict], value_title: str, percent: bool) -> str:
    height = max(60, 26 * len(rows))
    # Extra left padding: the browser's font may be wider than the one the labels were measured with.
    chart = alt.Chart(
        alt.Data(values=rows),
        width=WIDTH,
        height=height,
        padding={"left": 40, "top": 5, "right": 10, "bottom": 5},
    )
    chart = chart.mark_bar(color=BRAND)
    axis = alt.Axis(format=".0%") if percent else alt.Axis(format=",d", tickMinStep=1)
    chart = chart.encode(
        y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=240)),
        x=alt.X(
            "value:Q",
            title=value_title,
            axis=axis,
            scale=alt.Scale(domain=[0, 1]) if percent else alt.Undefined,
        ),
    )
    spec = chart.configure_view(stroke=None).configure_axis(labelFontSize=12, titleFontSize=12).to_dict()
    spec.pop("$schema", None)
    return render_svg(spec)


def rate_chart(rows) -> str:
    data = [{"label": row.label, "value": row.rate or 0} for row in rows]
    return _bars(data, _("Response rate"), percent=True)


def distribution_chart(distribution) -> str | None:
    if not distribution.rows or distribution.question.type == "rank" or not distribution.respondents:
        return None
    data = [{"label": row["label"][:60], "value": row["count"]} for row in distribution.rows]
    return _bars(data, _("Authorities"), percent=False)
