"""Exports of a campaign's responses: one row per authority, one column per question whatever the respondent's
language (codes, not labels), with a codebook (code, French and English labels, type, choices).

Columns of a prefilled question come in four: the answer, then `CODE__prefilled`, `CODE__source`, `CODE__vintage`.
The anonymised open-data export (only where the campaign allows it) drops the authority's name and code, the
free-text, territory and file answers, and gives a population band instead of the population.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from openpyxl import Workbook

from essor.core.exports import safe_cell
from essor.core.formatting import plain_number
from essor.surveys.analysis import population_band
from essor.surveys.definition import Definition, Question
from essor.surveys.models import Answer, Campaign, InvitationStatus

META = [
    "territory",
    "authority",
    "nature",
    "region_code",
    "region",
    "population",
    "status",
    "submitted_at",
    "language",
    "receipt",
]
OPEN_META = ["nature", "region_code", "region", "population_band", "submitted_at"]
BOM = "\ufeff"
PRIVATE_KINDS = {"text", "long_text", "territory", "file"}


@dataclass
class Table:
    columns: list[str]
    rows: list[list]


def _cell_value(question: Question, value):
    if value is None:
        return None
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, dict) and question.type == "file":
        return value.get("name", "")
    return value


def question_columns(definition: Definition, anonymised: bool) -> list[tuple[str, Question, str]]:
    """(column, question, part) where part is "value", "row:<row>", "other", "prefilled", "source" or "vintage"."""
    columns = []
    for question in definition.questions():
        if not question.answers or (anonymised and question.kind in PRIVATE_KINDS):
            continue
        if question.type == "grid":
            columns += [
                (f"{question.code}__{row.value}", question, f"row:{row.value}") for row in question.rows
            ]
            continue
        columns.append((question.code, question, "value"))
        if question.or_other and not anonymised:
            columns.append((f"{question.code}_other", question, "other"))
        if question.prefill:
            columns += [
                (f"{question.code}__{part}", question, part) for part in ("prefilled", "source", "vintage")
            ]
    return columns


def response_table(campaign: Campaign, *, anonymised: bool = False, region: str = "") -> Table:
    definition = campaign.version.parsed
    columns = question_columns(definition, anonymised)
    invitations = campaign.invitations.all()
    if region:
        invitations = invitations.for_region(region)
    if anonymised:
        invitations = invitations.filter(status=InvitationStatus.SUBMITTED)
    invitations = list(invitations.select_related("response").order_by("authority_name"))
    answers: dict[int, dict[str, Answer]] = {}
    for answer in Answer.objects.filter(response__invitation__in=[i.pk for i in invitations]).select_related(
        "response"
    ):
        answers.setdefault(answer.response.invitation_id, {})[answer.code] = answer
    rows = []
    for invitation in invitations:
        response = getattr(invitation, "response", None)
        submitted = response.submitted_at.isoformat() if response and response.submitted_at else None
        if anonymised:
            meta = [
                invitation.nature,
                invitation.region_code,
                invitation.region_name,
                population_band(invitation.population),
                submitted[:10] if submitted else None,
            ]
        else:
            meta = [
                invitation.territory,
                invitation.authority_name,
                invitation.nature,
                invitation.region_code,
                invitation.region_name,
                invitation.population,
                invitation.status,
                submitted,
                response.language if response else None,
                response.receipt if response else None,
            ]
        mine = answers.get(invitation.pk, {})
        cells = []
        for column, question, part in columns:
            answer = mine.get(question.code)
            if part == "value":
                cells.append(_cell_value(question, answer.value if answer else None))
            elif part.startswith("row:"):
                value = answer.value if answer and isinstance(answer.value, dict) else {}
                cells.append(value.get(part[4:]))
            elif part == "other":
                other = mine.get(column)
                cells.append(other.value if other else None)
            elif part == "prefilled":
                cells.append(_cell_value(question, answer.prefilled_value) if answer else None)
            elif part == "source":
                cells.append(answer.prefill_source if answer else None)
            else:
                cells.append(answer.prefill_vintage if answer else None)
        rows.append(meta + cells)
    return Table((OPEN_META if anonymised else META) + [c for c, _q, _p in columns], rows)


def codebook_table(definition: Definition) -> Table:
    rows = []
    for section in definition.sections:
        for question in section.questions:
            if not question.answers:
                continue
            choices = "; ".join(
                f"{c.value} = {c.label.get('fr', '')} / {c.label.get('en', '')}" for c in question.choices
            )
            if question.type == "range":
                start, end, step = question.range_bounds()
                choices = f"{start}..{end} (step {step})"
            codes = [(question.code, question.text("fr"), question.text("en"))]
            if question.type == "grid":
                codes = [
                    (
                        f"{question.code}__{r.value}",
                        f"{question.text('fr')} — {r.text('fr')}",
                        f"{question.text('en')} — {r.text('en')}",
                    )
                    for r in question.rows
                ]
            for code, label_fr, label_en in codes:
                rows.append(
                    [
                        code,
                        section.code,
                        label_fr,
                        label_en,
                        question.kind,
                        choices,
                        question.unit.get("fr", ""),
                        question.relevant,
                        question.prefill,
                        "yes" if question.required else "no",
                    ]
                )
            if question.or_other:
                rows.append(
                    [
                        f"{question.code}_other",
                        section.code,
                        f"{question.text('fr')} — autre, précisez",
                        f"{question.text('en')} — other, specify",
                        "text",
                        "",
                        "",
                        f"selected(${{{question.code}}}, 'other')",
                        "",
                        "no",
                    ]
                )
    return Table(
        [
            "code",
            "page",
            "label_fr",
            "label_en",
            "type",
            "choices",
            "unit",
            "relevant",
            "prefill",
            "required",
        ],
        rows,
    )


def _csv_cell(value, decimal: str):
    if isinstance(value, float):
        # Answers keep the decimals they were given (at most 4), without a float's noise.
        text = plain_number(value, 4, decimal)
        return text.rstrip("0").rstrip(decimal) if decimal in text else text
    return safe_cell(value)


def to_csv(table: Table, decimal: str = ",") -> str:
    """CSV as the site's other exports: UTF-8 with BOM, ';' and a decimal comma by default (French spreadsheets),
    ',' and a decimal point with decimal='.'."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if decimal == "," else ",", lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_csv_cell(v, decimal) for v in row])
    return buffer.getvalue()


def to_xlsx(campaign: Campaign, table: Table) -> bytes:
    workbook = Workbook(write_only=True)
    for title, sheet_table in (("responses", table), ("codebook", codebook_table(campaign.version.parsed))):
        sheet = workbook.create_sheet(title)
        sheet.append(sheet_table.columns)
        for row in sheet_table.rows:
            sheet.append([None if v is None else safe_cell(v) for v in row])
    about = workbook.create_sheet("about")
    about.append(["campaign", campaign.slug])
    about.append(["title", campaign.title_fr])
    about.append(["questionnaire", f"{campaign.version.questionnaire.slug} v{campaign.version.number}"])
    about.append(["opens_at", campaign.opens_at.isoformat()])
    about.append(["closes_at", campaign.closes_at.isoformat()])
    about.append(["rows", len(table.rows)])
    if campaign.is_demo:
        about.append(["note", "Demonstration answers (invented) / réponses de démonstration (inventées)"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
