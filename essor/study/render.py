"""An edition as people read it, in one language: chapters with their rendered text, numbered figures (chart,
table, source line), fact sheets, glossary, bibliography and the colophon naming the frozen inputs. Everything
comes from the edition's snapshot (freeze.py): the web pages, the HTML file and the PDF are the same document.
"""

import base64
import csv
import io

import altair as alt
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from essor.core import formatting
from essor.core.exports import safe_cell
from essor.core.glossary import TERMS
from essor.core.pdf import render_pdf
from essor.observatory.charts import BRAND, FONT_SIZE, LABEL_LIMIT, count_ticks, render_svg
from essor.sirene.models import Family
from essor.study.content import localized, render_markdown
from essor.study.figures import cell_text
from essor.study.models import BlockKind, Edition

CHART_WIDTH = 320


def format_cell(value, kind: str, lang: str) -> str:
    if kind == "percent":
        return formatting.format_percent(value, lang=lang)
    if kind == "count":
        return formatting.format_number(value, lang=lang)
    return cell_text(value, lang)


def chart_svg(figure: dict, lang: str) -> str:
    chart = figure["chart"]
    rows = [
        {"category": cell_text(row.get(chart["category"]), lang), "value": row.get(chart["value"]) or 0}
        for row in figure["rows"]
    ]
    if chart["type"] == "percent":
        axis = alt.Axis(format=".0%", title=None, tickCount=5)
        scale = alt.Scale(domainMin=0)
    else:
        ticks = count_ticks(max((row["value"] for row in rows), default=0))
        axis = alt.Axis(values=ticks, format=",d", title=None)
        scale = alt.Scale(domain=[0, ticks[-1]], nice=False)
    spec = (
        alt.Chart(alt.Data(values=rows), width=CHART_WIDTH, height=max(60, 20 * len(rows)))
        .mark_bar(color=BRAND)
        .encode(
            y=alt.Y("category:N", title=None, sort=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
            x=alt.X("value:Q", scale=scale, axis=axis),
        )
        # The PDF's and the page's font (vendored DejaVu Sans): labels are measured with the font they are drawn in.
        .configure(font="DejaVu Sans", padding={"left": 8, "right": 12, "top": 4, "bottom": 4})
        .configure_axis(labelFontSize=FONT_SIZE - 2)
        .to_dict()
    )
    spec.pop("$schema", None)
    with translation.override(lang):
        return render_svg(spec)


def figure_view(figure: dict, lang: str, *, with_chart: bool = True) -> dict:
    columns = [{"label": cell_text(c["label"], lang), "type": c["type"]} for c in figure["columns"]]
    rows = [
        [format_cell(row.get(c["key"]), c["type"], lang) for c in figure["columns"]] for row in figure["rows"]
    ]
    svg = chart_svg(figure, lang) if with_chart and figure["rows"] else ""
    return {
        "number": figure["number"],
        "key": figure.get("key", ""),
        "title": cell_text(figure["title"], lang),
        "columns": columns,
        "rows": rows,
        "source": cell_text(figure["source"], lang),
        # An image with a text alternative (the table beside it has the numbers), the same on a page and in the PDF.
        "image": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode() if svg else "",
    }


def figure_csv(figure: dict, lang: str, vintage: str) -> str:
    """A figure's table as CSV for spreadsheets of its language (`;` and decimal comma in French)."""
    separator = "," if lang == "en" else ";"
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator)
    writer.writerow([safe_cell(cell_text(c["label"], lang)) for c in figure["columns"]])
    for row in figure["rows"]:
        cells = []
        for column in figure["columns"]:
            value = row.get(column["key"])
            if column["type"] in ("count", "percent") and value is not None:
                text = formatting.plain_number(value, 6 if column["type"] == "percent" else 0)
                cells.append(text.replace(".", ",") if lang == "fr" else text)
            else:
                cells.append(safe_cell(cell_text(value, lang)))
        writer.writerow(cells)
    with translation.override(lang):
        release = _("SIRENE release of %(vintage)s") % {"vintage": vintage}
        writer.writerow([safe_cell(f"{cell_text(figure['source'], lang)} — {release}")])
    return "\ufeff" + out.getvalue()


def factsheet_view(sheet: dict, lang: str) -> dict:
    zones = sheet["zones"]
    with translation.override(lang):
        families = [
            {"label": str(Family(key).label), "value": formatting.format_number(count, lang=lang)}
            for key, count in sheet["families"].items()
        ]
        zone_rows = [
            (label, zones[zone])
            for zone, label in (
                ("all", _("Whole territory")),
                ("qpv", _("In a QPV")),
                ("proximite", _("Within 300 m of a QPV")),
                ("hors_qpv", _("Elsewhere")),
            )
        ]
    employees = zones["all"]["employees"]
    return {
        "identifier": sheet["identifier"],
        "slug": sheet["identifier"].replace(":", "-"),
        "name": sheet["name"],
        "population": formatting.format_number(sheet["population"], lang=lang),
        "qpv_count": formatting.format_number(sheet["qpv_count"], lang=lang),
        "ess": formatting.format_number(zones["all"]["ess"], lang=lang),
        "ess_share": formatting.format_percent(zones["all"]["ess_share"], lang=lang),
        "in_qpv_share": formatting.format_percent(
            zones["qpv"]["ess"] / zones["all"]["ess"] if zones["all"]["ess"] else None, lang=lang
        ),
        "employees": formatting.format_range(employees["low"], employees["high"], lang=lang),
        "zones": [
            {
                "label": label,
                "active": formatting.format_number(z["active"], lang=lang),
                "ess": formatting.format_number(z["ess"], lang=lang),
                "ess_share": formatting.format_percent(z["ess_share"], lang=lang),
                "ess_employer": formatting.format_number(z["ess_employer"], lang=lang),
            }
            for label, z in zone_rows
        ],
        "families": families,
        "sections": [
            {"label": cell_text(row["label"], lang), "ess": formatting.format_number(row["ess"], lang=lang)}
            for row in sheet["sections"]
        ],
        "answers": [
            {"question": cell_text(a["question"], lang), "answer": cell_text(a["answer"], lang)}
            for a in sheet["answers"]
        ],
    }


def block_view(block, edition: Edition, lang: str, *, with_charts: bool) -> dict:
    view = {
        "kind": block.kind,
        "code": block.code,
        "title": localized(block, "title", lang),
        "html": render_markdown(localized(block, "body", lang)),
        "attribution": block.attribution,
    }
    if block.kind == BlockKind.ZOOM and block.experience_id:
        experience = block.experience
        view["experience"] = {
            "title": localized(experience, "title", lang),
            "url": experience.get_absolute_url() if hasattr(experience, "get_absolute_url") else "",
        }
    if block.kind == BlockKind.FIGURE:
        figure = edition.snapshot.get("figures", {}).get(f"{block.chapter.code}/{block.code}")
        view["figure"] = figure_view(figure, lang, with_chart=with_charts) if figure else None
        view["figure_key"] = f"{block.chapter.code}/{block.code}"
    return view


def document(edition: Edition, lang: str, *, with_charts: bool = True, with_factsheets: bool = True) -> dict:
    """Everything a template needs to show the edition in `lang`."""
    chapters = []
    for number, chapter in enumerate(edition.chapters.prefetch_related("blocks__experience"), start=1):
        chapters.append(
            {
                "number": number,
                "code": chapter.code,
                "title": localized(chapter, "title", lang),
                "blocks": [
                    block_view(block, edition, lang, with_charts=with_charts)
                    for block in chapter.blocks.all()
                ],
            }
        )
    snapshot = edition.snapshot
    release = snapshot.get("release", {})
    with translation.override(lang):
        glossary = [
            {"term": term.french, "english": term.english, "definition": str(term.meaning)} for term in TERMS
        ]
        methodology = reverse("core:methodology")
        # The frozen release is protected from pruning, so its public quality report always exists.
        quality = reverse("observatory:quality_report", args=[release["id"]]) if release.get("id") else ""
    return {
        "edition": edition,
        "lang": lang,
        "title": edition.title(lang),
        "subtitle": localized(edition, "subtitle", lang),
        "presented_at": localized(edition, "presented_at", lang),
        "study_title": localized(edition.study, "title", lang),
        "chapters": chapters,
        "factsheets": [factsheet_view(s, lang) for s in snapshot.get("factsheets", [])]
        if with_factsheets
        else [],
        "glossary": glossary,
        "references": list(edition.references.all()),
        "release": release,
        "campaigns": [
            {
                "title": cell_text(c["title"], lang),
                "closes_at": c["closes_at"],
                "fingerprint": c["fingerprint"],
            }
            for c in snapshot.get("campaigns", [])
        ],
        "fingerprint": edition.snapshot_fingerprint,
        "corrections": localized(edition, "corrections", lang),
        "methodology_url": methodology,
        "quality_url": quality,
        "is_demo": edition.is_demo,
        "synthetic": release.get("synthetic", False),
    }


def build_html(edition: Edition, lang: str) -> str:
    """A self-contained HTML file of the edition (styles inlined, charts as data: images)."""
    from essor.core.pdf import static_path

    css = static_path("study/study.css").read_text(encoding="utf-8")
    with translation.override(lang):
        return render_to_string("study/edition_file.html", {**document(edition, lang), "inline_css": css})


def build_pdf(edition: Edition, lang: str) -> bytes:
    context = document(edition, lang)
    keywords = f"essor; edition {edition.slug} v{edition.version}; snapshot {edition.snapshot_fingerprint}; "
    keywords += f"SIRENE {context['release'].get('vintage')} {context['release'].get('fingerprint')}"
    return render_pdf(
        "study/edition_pdf.html",
        context,
        lang=lang,
        title=context["title"],
        metadata={
            "authors": [context["study_title"]],
            "keywords": [keywords],
            "description": context["subtitle"],
        },
        stylesheets=["study/study-print.css"],
    )
