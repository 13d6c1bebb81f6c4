"""What a questionnaire version contains: pages (sections), questions and choice lists, in both languages.

A version's definition is stored as one JSON document (the shape below) that mirrors XLSForm, so a version can be
frozen, copied into a new version, exported and re-imported without losing anything:

    {"settings": {"form_id": ..., "version": ..., "title": {"fr": ..., "en": ...}, "extra": {...}},
     "sections": [{"code", "label": {"fr", "en"}, "hint": {...}, "relevant", "questions": [question, ...]}],
     "choices": {"list_name": [{"value", "label": {"fr", "en"}}]}}

A question: {"code", "type", "list", "or_other", "label", "hint", "required", "required_message", "relevant",
"constraint", "constraint_message", "appearance", "parameters", "unit", "prefill", "need", "rows"}. Types are
XLSForm's (select_one, select_multiple, integer, decimal, text, date, range, rank, file, note) plus "grid" (an
XLSForm table-list group of single choices sharing one list). "Long text" is text with appearance `multiline`,
the territory picker is text with appearance `territory`, a yes/no question is a single choice on a yes/no list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from essor.surveys import conditions

LANGUAGES = ("fr", "en")
TYPES = (
    "select_one",
    "select_multiple",
    "integer",
    "decimal",
    "text",
    "date",
    "range",
    "rank",
    "file",
    "note",
    "grid",
)
LIST_TYPES = {"select_one", "select_multiple", "rank", "grid"}
CODE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,59}$")
OTHER_VALUE = "other"
PREFILL = re.compile(
    r"^(previous|indicator:(?P<path>[a-z_]+(?:\.[a-z_]+)*)(?:@(?P<zone>all|qpv|proximite|hors_qpv))?(?P<scale>\*100)?)$"
)
NEED_FIELDS = ("wanted", "title", "description", "deliverable", "period", "schools", "theme")


class DefinitionError(ValueError):
    """A questionnaire definition that cannot be used; the message names the question or list."""


def number_text(value) -> str:
    """A number as the page's language writes it, with the decimals it has (at most two): 1 234 ; 2,5 ; 0,25."""
    from essor.core.formatting import format_number

    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return "" if value is None else str(value)
    if isinstance(value, float) and not value.is_integer():
        decimals = len(f"{value:.2f}".rstrip("0").split(".")[1])
        return format_number(value, decimals)
    return format_number(value, 0)


def text_of(labels: dict | None, language: str) -> str:
    """A label in `language`, French when it is missing."""
    labels = labels or {}
    return labels.get(language[:2]) or labels.get("fr") or ""


@dataclass
class Choice:
    value: str
    label: dict

    def text(self, language: str) -> str:
        return text_of(self.label, language)


@dataclass
class Question:
    code: str
    type: str
    label: dict
    hint: dict = field(default_factory=dict)
    list_name: str = ""  # the XLSForm choice list ("list" in the JSON document)
    or_other: bool = False
    required: bool = False
    required_message: dict = field(default_factory=dict)
    relevant: str = ""
    constraint: str = ""
    constraint_message: dict = field(default_factory=dict)
    appearance: str = ""
    parameters: str = ""
    unit: dict = field(default_factory=dict)
    prefill: str = ""
    need: str = ""
    rows: list[Choice] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)  # filled from the list, not stored

    @property
    def kind(self) -> str:
        """The question type as a person names it (used in the codebook and the builder)."""
        if self.type == "text" and self.appearance == "multiline":
            return "long_text"
        if self.type == "text" and self.appearance == "territory":
            return "territory"
        if self.type == "select_one" and self.list_name == "yes_no":
            return "yes_no"
        if self.type == "range":
            return "scale"
        return self.type

    @property
    def answers(self) -> bool:
        return self.type != "note"

    def range_bounds(self) -> tuple[int, int, int]:
        values = dict(part.split("=", 1) for part in self.parameters.split() if "=" in part)
        return int(values.get("start", 1)), int(values.get("end", 5)), int(values.get("step", 1))

    def text(self, language: str) -> str:
        return text_of(self.label, language)

    def to_dict(self) -> dict:
        data = {
            "code": self.code,
            "type": self.type,
            "label": self.label,
        }
        for name in (
            "hint",
            "list_name",
            "or_other",
            "required",
            "required_message",
            "relevant",
            "constraint",
            "constraint_message",
            "appearance",
            "parameters",
            "unit",
            "prefill",
            "need",
        ):
            value = getattr(self, name)
            if value:
                data["list" if name == "list_name" else name] = value
        if self.rows:
            data["rows"] = [{"value": row.value, "label": row.label} for row in self.rows]
        return data


@dataclass
class Section:
    code: str
    label: dict
    hint: dict = field(default_factory=dict)
    relevant: str = ""
    questions: list[Question] = field(default_factory=list)

    def text(self, language: str) -> str:
        return text_of(self.label, language)

    def to_dict(self) -> dict:
        data = {"code": self.code, "label": self.label}
        if self.hint:
            data["hint"] = self.hint
        if self.relevant:
            data["relevant"] = self.relevant
        data["questions"] = [question.to_dict() for question in self.questions]
        return data


@dataclass
class Definition:
    settings: dict
    sections: list[Section]
    choices: dict[str, list[Choice]]

    def title(self, language: str) -> str:
        return text_of(self.settings.get("title"), language)

    def questions(self) -> list[Question]:
        return [question for section in self.sections for question in section.questions]

    def question(self, code: str) -> Question | None:
        return next((q for q in self.questions() if q.code == code), None)

    def to_dict(self) -> dict:
        return {
            "settings": self.settings,
            "sections": [section.to_dict() for section in self.sections],
            "choices": {
                name: [{"value": c.value, "label": c.label} for c in items]
                for name, items in self.choices.items()
            },
        }


def _labels(value) -> dict:
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        return {"fr": value}
    return {language: str(text) for language, text in value.items() if text}


def load(data: dict) -> Definition:
    """A checked Definition from its JSON document; DefinitionError says what is wrong and where."""
    choices = {
        name: [Choice(str(item["value"]), _labels(item.get("label"))) for item in items]
        for name, items in (data.get("choices") or {}).items()
    }
    sections, seen = [], set()
    for section_data in data.get("sections") or []:
        section = Section(
            code=section_data["code"],
            label=_labels(section_data.get("label")),
            hint=_labels(section_data.get("hint")),
            relevant=section_data.get("relevant", ""),
        )
        for question_data in section_data.get("questions") or []:
            question = Question(
                code=question_data["code"],
                type=question_data["type"],
                label=_labels(question_data.get("label")),
                hint=_labels(question_data.get("hint")),
                list_name=question_data.get("list", ""),
                or_other=bool(question_data.get("or_other")),
                required=bool(question_data.get("required")),
                required_message=_labels(question_data.get("required_message")),
                relevant=question_data.get("relevant", ""),
                constraint=question_data.get("constraint", ""),
                constraint_message=_labels(question_data.get("constraint_message")),
                appearance=question_data.get("appearance", ""),
                parameters=question_data.get("parameters", ""),
                unit=_labels(question_data.get("unit")),
                prefill=question_data.get("prefill", ""),
                need=question_data.get("need", ""),
                rows=[
                    Choice(str(r["value"]), _labels(r.get("label"))) for r in question_data.get("rows") or []
                ],
            )
            if question.list_name:
                question.choices = choices.get(question.list_name, [])
            section.questions.append(question)
        sections.append(section)
    definition = Definition(settings=dict(data.get("settings") or {}), sections=sections, choices=choices)
    check(definition, seen)
    return definition


def check(definition: Definition, seen: set | None = None) -> None:
    """Codes unique and well formed, lists exist, conditions parse and only name known questions."""
    seen = set() if seen is None else seen
    if not definition.sections:
        raise DefinitionError("The questionnaire has no page (begin_group … end_group).")
    codes = []
    for section in definition.sections:
        if not CODE.match(section.code):
            raise DefinitionError(f"Page code {section.code!r} is not a valid name (letters, digits, _).")
        codes.append(section.code)
        for question in section.questions:
            where = f"question {question.code!r}"
            if not CODE.match(question.code):
                raise DefinitionError(
                    f"{where}: not a valid name (letters, digits and _, starting with a letter)."
                )
            if question.type not in TYPES:
                raise DefinitionError(
                    f"{where}: unknown type {question.type!r} (use one of {', '.join(TYPES)})."
                )
            if question.type in LIST_TYPES and question.list_name not in definition.choices:
                raise DefinitionError(
                    f"{where}: choice list {question.list_name!r} is not in the choices sheet."
                )
            if question.type == "grid" and not question.rows:
                raise DefinitionError(f"{where}: a grid needs at least one row.")
            if not question.text("fr"):
                raise DefinitionError(f"{where}: the French label is missing.")
            if question.prefill and not PREFILL.match(question.prefill):
                raise DefinitionError(
                    f"{where}: prefill {question.prefill!r} is not 'previous' nor 'indicator:PATH[@zone][*100]'."
                )
            if question.need and question.need not in NEED_FIELDS:
                raise DefinitionError(
                    f"{where}: need field {question.need!r} is not one of {', '.join(NEED_FIELDS)}."
                )
            codes.append(question.code)
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise DefinitionError(f"Duplicate names: {', '.join(duplicates)}.")
    known = set(codes)
    for section in definition.sections:
        items = [(f"page {section.code!r}", section.relevant)]
        items += [(f"question {q.code!r}", q.relevant) for q in section.questions]
        items += [(f"question {q.code!r} (constraint)", q.constraint) for q in section.questions]
        for where, text in items:
            if not text:
                continue
            try:
                unknown = conditions.references(conditions.parse(text)) - known
            except conditions.ConditionError as exc:
                raise DefinitionError(f"{where}: {exc}") from None
            if unknown:
                raise DefinitionError(f"{where}: refers to unknown question(s) {', '.join(sorted(unknown))}.")
