"""XLSForm interchange: the shipped questionnaires read, convert with pyxform, and round-trip without loss."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from essor.surveys.definition import DefinitionError, load
from essor.surveys.tests.factories import NEEDS_FILE, POLICIES_FILE
from essor.surveys.xlsform import check_with_pyxform, read_xlsform, write_xlsform


def sheets(content) -> dict:
    workbook = load_workbook(io.BytesIO(content) if isinstance(content, bytes) else content)
    return {
        name: [list(row) for row in workbook[name].iter_rows(values_only=True)]
        for name in workbook.sheetnames
    }


@pytest.mark.parametrize("path", [NEEDS_FILE, POLICIES_FILE], ids=["needs", "policies"])
def test_shipped_questionnaire_round_trips_without_loss(path):
    data = read_xlsform(path)
    written = write_xlsform(data)
    assert read_xlsform(io.BytesIO(written)) == data
    # Cell for cell, the file essor writes is the file it read.
    assert sheets(written) == sheets(path)
    # pyxform (the reference XLSForm compiler) accepts it: other survey tools can use it.
    warnings = check_with_pyxform(written)
    assert all("or_other" in warning for warning in warnings)


def test_programme_questionnaires_cover_the_question_types():
    kinds = {q.kind for q in load(read_xlsform(NEEDS_FILE)).questions()}
    kinds |= {q.kind for q in load(read_xlsform(POLICIES_FILE)).questions()}
    assert {
        "select_one",
        "select_multiple",
        "yes_no",
        "integer",
        "decimal",
        "text",
        "long_text",
        "date",
        "scale",
        "grid",
        "rank",
        "territory",
        "file",
        "note",
    } <= kinds
    policies = load(read_xlsform(POLICIES_FILE))
    codes = {q.code for q in policies.questions()}
    assert {
        "elected_official",
        "staff_fte",
        "budget",
        "framework_document",
        "governance",
        "levers",
        "scic_member",
        "spaser",
        "social_clauses_share",
        "qpv_actions",
        "evaluation",
    } <= codes
    assert policies.question("staff_fte").unit == {"fr": "ETP", "en": "FTE"}


def _form(*rows, choices=(("yes_no", "oui", "Oui", "Yes"),)):
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", "label::Français (fr)", "label::English (en)", "relevant"])
    for row in rows:
        survey.append(list(row))
    sheet = workbook.create_sheet("choices")
    sheet.append(["list_name", "name", "label::Français (fr)", "label::English (en)"])
    for row in choices:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ((("text", "q1", "Q", "Q"),), "row 2: questions must sit inside a page"),
        (
            (("begin_group", "p", "P", "P"), ("select_one nope", "q1", "Q", "Q"), ("end_group",)),
            "choice list 'nope'",
        ),
        (
            (("begin_group", "p", "P", "P"), ("text", "q1", "Q", "Q", "${ghost} = 'x'"), ("end_group",)),
            "unknown question(s) ghost",
        ),
        (
            (("begin_group", "p", "P", "P"), ("text", "q1", "Q", "Q", "__import__('os')"), ("end_group",)),
            "question 'q1'",
        ),
        (
            (
                ("begin_group", "p", "P", "P"),
                ("text", "q1", "Q", "Q"),
                ("text", "q1", "Q", "Q"),
                ("end_group",),
            ),
            "Duplicate names: q1",
        ),
        ((("begin_group", "p", "P", "P"), ("text", "q1", "Q", "Q")), "never closed"),
    ],
)
def test_bad_xlsform_names_the_problem(rows, message):
    with pytest.raises(DefinitionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_xlsform(_form(*rows))
