"""The funder report as a Word document (funders edit it): the same content as the HTML page, in the active
language, with real tables and headings so that it stays accessible and editable."""

import io

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from essor.core import formatting
from essor.steering.presentation import amount, indicator_value, percent, status_text


def _set_language(document, language: str) -> None:
    """Spell-checking and screen readers read the text in the report's language."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_defaults.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_defaults.append(lang)
    lang.set(qn("w:val"), "fr-FR" if language == "fr" else "en-GB")


def _table(document, headers: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
        cell.paragraphs[0].runs[0].bold = True
    # The first row repeats on every page and is read as the header row.
    header_properties = table.rows[0]._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    header_properties.append(marker)
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    return table


def render(report) -> bytes:
    language = (get_language() or "fr")[:2]
    convention = report.convention
    document = Document()
    document.styles["Normal"].font.name = "DejaVu Sans"
    document.styles["Normal"].font.size = Pt(10)
    _set_language(document, language)
    title = _("Activity report — %(convention)s") % {"convention": convention.title}
    document.core_properties.title = title
    document.core_properties.language = language
    document.core_properties.author = "essor"
    document.add_heading(title, level=0)
    period = _("Period: %(start)s to %(end)s") % {
        "start": formatting.long_date(report.period.start),
        "end": formatting.long_date(report.period.end),
    }
    document.add_paragraph(period)
    document.add_paragraph(
        _("Funder: %(funder)s. Parties: %(parties)s.")
        % {"funder": convention.funder, "parties": ", ".join(str(p) for p in convention.parties.all()) or "—"}
    )
    if convention.is_demo:
        document.add_paragraph(
            _("Demonstration: the amounts, committees and decisions of this convention are invented.")
        )

    document.add_heading(_("Indicators against targets"), level=1)
    _table(
        document,
        [_("Indicator"), _("Baseline"), _("Target"), _("Value"), _("Share of target")],
        [
            [
                row.label,
                indicator_value(row.baseline, row.unit),
                indicator_value(row.target, row.unit),
                indicator_value(row.value, row.unit) if row.available else _("not available in this version"),
                percent(row.achievement),
            ]
            for row in report.indicators
        ],
    )

    document.add_heading(_("Actions and their status"), level=1)
    _table(
        document,
        [_("Action"), _("Status"), _("Completion"), _("Dates")],
        [
            [
                f"{sheet.sheet.number}.{node.action.position} {node.action.title}",
                status_text(node.status),
                percent(node.completion / 100),
                ", ".join(step.step.when for step in node.steps if step.step.when) or "—",
            ]
            for sheet, node in report.action_pairs
        ],
    )

    document.add_heading(_("Committees and decisions"), level=1)
    if not report.committees:
        document.add_paragraph(_("No committee met during this period."))
    for committee in report.committees:
        document.add_heading(f"{committee.title} — {formatting.long_date(committee.date)}", level=2)
        for decision in committee.decisions.all():
            document.add_paragraph(decision.text, style="List Bullet")
        follow_ups = list(committee.follow_ups.all())
        if follow_ups:
            _table(
                document,
                [_("Follow-up action"), _("Owner"), _("Due on"), _("Status")],
                [
                    [
                        item.text,
                        item.owner,
                        formatting.long_date(item.due_on),
                        item.get_status_display(),
                    ]
                    for item in follow_ups
                ],
            )

    document.add_heading(_("Deliverables due in the period"), level=1)
    if report.deliverables:
        _table(
            document,
            [_("Deliverable"), _("Due on"), _("Delivered on")],
            [
                [
                    item.title,
                    formatting.long_date(item.due_on),
                    formatting.long_date(item.delivered_on) if item.delivered_on else _("not yet"),
                ]
                for item in report.deliverables
            ],
        )
    else:
        document.add_paragraph(_("No deliverable is due in this period."))

    if report.amounts:
        document.add_heading(_("Amounts by year"), level=1)
        _table(document, [_("Year"), _("Amount")], [[str(a.year), amount(a.amount)] for a in report.amounts])

    document.add_paragraph(
        _("Generated by essor on %(date)s from its live data.")
        % {"date": formatting.long_date(report.generated_on)}
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
