"""XLSForm import and export: the `survey`, `choices` and `settings` sheets, labels per language.

    read_xlsform(path_or_file) -> definition dict (see definition.py), DefinitionError naming sheet, row and column
    write_xlsform(definition) -> bytes of an .xlsx that pyxform converts and `read_xlsform` reads back unchanged

Pages are top-level `begin_group` rows (appearance `field-list`); a grid is a nested `begin_group` with appearance
`table-list` holding one `select_one` per row, named `GRID__ROW`. Columns XLSForm does not define are prefixed with
`essor_` (unit, prefill binding, needs-board field): other tools ignore them, essor reads them back.
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook, load_workbook

from essor.surveys.definition import DefinitionError, load

LANGUAGE_NAMES = {"fr": "Français (fr)", "en": "English (en)"}
TRANSLATED = ["label", "hint", "required_message", "constraint_message", "essor_unit"]
SURVEY_COLUMNS = [
    "type",
    "name",
    "label::Français (fr)",
    "label::English (en)",
    "hint::Français (fr)",
    "hint::English (en)",
    "required",
    "required_message::Français (fr)",
    "required_message::English (en)",
    "relevant",
    "constraint",
    "constraint_message::Français (fr)",
    "constraint_message::English (en)",
    "appearance",
    "parameters",
    "essor_unit::Français (fr)",
    "essor_unit::English (en)",
    "essor_prefill",
    "essor_need",
]
CHOICE_COLUMNS = ["list_name", "name", "label::Français (fr)", "label::English (en)"]
SETTINGS_COLUMNS = ["form_title", "form_id", "version", "default_language", "essor_title_en"]
HEADER_LANGUAGE = re.compile(r"^(?P<base>[a-z_]+)(?:::(?P<language>.+))?$")


def _language(text: str | None) -> str:
    """`Français (fr)` -> fr, `English (en)` -> en, `fr` -> fr; no language means French (the default)."""
    if not text:
        return "fr"
    match = re.search(r"\(([a-z]{2})\)\s*$", text)
    return match.group(1) if match else text.strip().lower()[:2]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _rows(workbook, sheet_name: str, required: bool = True):
    """(row number, {column: value}) for each non-empty row of a sheet; translated columns as {base: {lang: v}}."""
    if sheet_name not in workbook.sheetnames:
        if required:
            raise DefinitionError(
                f"Sheet {sheet_name!r} is missing (an XLSForm has survey, choices, settings)."
            )
        return
    sheet = workbook[sheet_name]
    rows = sheet.iter_rows(values_only=True)
    header = [_cell(value) for value in next(rows, [])]
    for number, values in enumerate(rows, start=2):
        record: dict = {}
        for name, value in zip(header, values, strict=False):
            if not name or value is None or _cell(value) == "":
                continue
            match = HEADER_LANGUAGE.match(name.replace(" ::", "::").strip()) if "::" in name else None
            base = match.group("base") if match else name.strip().lower()
            if base in TRANSLATED or (match and match.group("language")):
                record.setdefault(base, {})[_language(match.group("language") if match else None)] = _cell(
                    value
                )
            else:
                record[base] = _cell(value)
        if record:
            yield number, record


def _truthy(value: str) -> bool:
    return value.strip().lower() in {"yes", "true", "true()", "1", "oui"}


def read_xlsform(source) -> dict:
    """The definition document of an XLSForm file (path or file object); DefinitionError names what is wrong."""
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for non-xlsx input
        raise DefinitionError(f"Not an .xlsx workbook: {exc}") from None
    settings: dict = {"title": {}, "extra": {}}
    for _number, record in _rows(workbook, "settings", required=False):
        for key, value in record.items():
            if key == "form_title":
                settings["title"]["fr"] = value if isinstance(value, str) else value.get("fr", "")
            elif key == "essor_title_en":
                settings["title"]["en"] = value
            elif key in ("form_id", "version", "default_language"):
                settings[key] = value
            else:
                settings["extra"][key] = value
        break
    choices: dict = {}
    for number, record in _rows(workbook, "choices"):
        if not record.get("list_name") or not record.get("name"):
            raise DefinitionError(f"Sheet choices, row {number}: list_name and name are required.")
        choices.setdefault(record["list_name"], []).append(
            {"value": record["name"], "label": record.get("label", {})}
        )
    sections: list[dict] = []
    section = grid = None
    for number, record in _rows(workbook, "survey"):
        where = f"Sheet survey, row {number}"
        kind = record.get("type", "").split()
        if not kind:
            raise DefinitionError(f"{where}: the type column is empty.")
        head = kind[0].replace(" ", "_")
        if head in ("begin_group", "begin"):
            if section is None:
                section = {"code": record.get("name", ""), "label": record.get("label", {})}
                for key in ("hint",):
                    if record.get(key):
                        section[key] = record[key]
                if record.get("relevant"):
                    section["relevant"] = record["relevant"]
                section["questions"] = []
                sections.append(section)
            elif grid is None:
                grid = _question(record, ["grid"], where)
                grid.pop("appearance", None)  # table-list is what makes it a grid
                grid["rows"] = []
                section["questions"].append(grid)
            else:
                raise DefinitionError(f"{where}: groups nest two levels at most (page, then grid).")
            continue
        if head in ("end_group", "end"):
            if grid is not None:
                if not grid["rows"]:
                    raise DefinitionError(f"{where}: the grid {grid['code']!r} has no row.")
                grid = None
            elif section is not None:
                section = None
            else:
                raise DefinitionError(f"{where}: end_group without a begin_group.")
            continue
        if grid is not None:
            if head != "select_one" or len(kind) < 2:
                raise DefinitionError(f"{where}: a grid ({grid['code']!r}) holds only select_one rows.")
            prefix = grid["code"] + "__"
            name = record.get("name", "")
            if not name.startswith(prefix):
                raise DefinitionError(f"{where}: a row of grid {grid['code']!r} must be named {prefix}ROW.")
            grid["list"] = kind[1]
            grid["rows"].append({"value": name[len(prefix) :], "label": record.get("label", {})})
            continue
        if section is None:
            raise DefinitionError(f"{where}: questions must sit inside a page (a begin_group row).")
        section["questions"].append(_question(record, kind, where))
    if section is not None:
        raise DefinitionError("Sheet survey: a begin_group is never closed by an end_group.")
    settings.setdefault("default_language", LANGUAGE_NAMES["fr"])
    data = {"settings": settings, "sections": sections, "choices": choices}
    load(data)  # raises DefinitionError when something is inconsistent
    return data


def _question(record: dict, kind: list[str], where: str) -> dict:
    if not record.get("name"):
        raise DefinitionError(f"{where}: the name column is empty.")
    question: dict = {"code": record["name"], "type": kind[0], "label": record.get("label", {})}
    if kind[0] in ("select_one", "select_multiple", "rank"):
        if len(kind) < 2:
            raise DefinitionError(f"{where}: {kind[0]} needs a choice list name (e.g. `{kind[0]} yes_no`).")
        question["list"] = kind[1]
        if len(kind) > 2 and kind[2] == "or_other":
            question["or_other"] = True
    for key in ("hint", "required_message", "constraint_message"):
        if record.get(key):
            question[key] = record[key]
    if record.get("essor_unit"):
        question["unit"] = record["essor_unit"]
    if _truthy(record.get("required", "")):
        question["required"] = True
    for key in ("relevant", "constraint", "appearance", "parameters"):
        if record.get(key):
            question[key] = record[key]
    if record.get("essor_prefill"):
        question["prefill"] = record["essor_prefill"]
    if record.get("essor_need"):
        question["need"] = record["essor_need"]
    return question


def _translated(values: dict | None, base: str) -> dict:
    return {f"{base}::{LANGUAGE_NAMES[lang]}": (values or {}).get(lang, "") for lang in LANGUAGE_NAMES}


def write_xlsform(data: dict) -> bytes:
    """The .xlsx of a definition document (checked first)."""
    load(data)
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(SURVEY_COLUMNS)

    def row(**values):
        survey.append([values.get(column, "") or "" for column in SURVEY_COLUMNS])

    for section in data["sections"]:
        row(
            type="begin_group",
            name=section["code"],
            relevant=section.get("relevant", ""),
            appearance="field-list",
            **_translated(section.get("label"), "label"),
            **_translated(section.get("hint"), "hint"),
        )
        for question in section["questions"]:
            common = {
                "required": "yes" if question.get("required") else "",
                "relevant": question.get("relevant", ""),
                "constraint": question.get("constraint", ""),
                "parameters": question.get("parameters", ""),
                "essor_prefill": question.get("prefill", ""),
                "essor_need": question.get("need", ""),
                **_translated(question.get("label"), "label"),
                **_translated(question.get("hint"), "hint"),
                **_translated(question.get("required_message"), "required_message"),
                **_translated(question.get("constraint_message"), "constraint_message"),
                **_translated(question.get("unit"), "essor_unit"),
            }
            if question["type"] == "grid":
                row(type="begin_group", name=question["code"], appearance="table-list", **common)
                for grid_row in question["rows"]:
                    row(
                        type=f"select_one {question['list']}",
                        name=f"{question['code']}__{grid_row['value']}",
                        required=common["required"],
                        **_translated(grid_row.get("label"), "label"),
                    )
                row(type="end_group")
                continue
            kind = question["type"]
            if question.get("list"):
                kind += f" {question['list']}" + (" or_other" if question.get("or_other") else "")
            row(type=kind, name=question["code"], appearance=question.get("appearance", ""), **common)
        row(type="end_group")

    choices = workbook.create_sheet("choices")
    choices.append(CHOICE_COLUMNS)
    for list_name, items in data["choices"].items():
        for item in items:
            label = item.get("label") or {}
            choices.append([list_name, item["value"], label.get("fr", ""), label.get("en", "")])

    settings = data.get("settings") or {}
    extra = settings.get("extra") or {}
    sheet = workbook.create_sheet("settings")
    sheet.append(SETTINGS_COLUMNS + list(extra))
    title = settings.get("title") or {}
    sheet.append(
        [
            title.get("fr", ""),
            settings.get("form_id", ""),
            settings.get("version", ""),
            settings.get("default_language", LANGUAGE_NAMES["fr"]),
            title.get("en", ""),
        ]
        + list(extra.values())
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def check_with_pyxform(content: bytes) -> list[str]:
    """Convert with pyxform (the reference XLSForm compiler); returns its warnings, raises on errors."""
    import tempfile

    from pyxform.xls2xform import convert

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        handle.write(content)
        handle.flush()
        result = convert(xlsform=handle.name)
    return list(result.warnings)
