"""Django forms built from a questionnaire page: one field per question (per grid row, per ranked item).

Errors are tied to their fields: a field with an error gets `aria-invalid` and `aria-describedby` pointing at its
message (and its hint), and the page lists every error at the top with a link to the field.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from essor.surveys import conditions
from essor.surveys.definition import OTHER_VALUE, Question, Section, text_of

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
UPLOAD_EXTENSIONS = ("pdf", "odt", "ods", "docx", "xlsx", "csv", "txt", "png", "jpg", "jpeg")


def hint_id(name: str) -> str:
    return f"hint-{name}"


def error_id(name: str) -> str:
    return f"error-{name}"


def other_field(code: str) -> str:
    return f"{code}_other"


def rank_field(code: str, value: str) -> str:
    return f"{code}__rank__{value}"


def grid_field(code: str, row: str) -> str:
    return f"{code}__{row}"


def _label(question: Question, language: str) -> str:
    label = question.text(language)
    unit = text_of(question.unit, language)
    return f"{label} ({unit})" if unit else label


class TerritoryField(forms.CharField):
    """A territory typed by identifier (epci:243100518) or by name; stored as its identifier."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        from essor.territories.identifiers import UnknownTerritory, resolve_identifier
        from essor.territories.search import search

        try:
            return resolve_identifier(value).identifier
        except (ValueError, UnknownTerritory):
            pass
        results = search(value, limit=5)
        if not results:
            raise ValidationError(gettext("No territory matches “%(text)s”.") % {"text": value})
        best = [r for r in results if r.score == results[0].score]
        if len(best) > 1 and best[0].kind == best[1].kind:
            names = ", ".join(f"{r.name} ({r.identifier})" for r in best[:4])
            raise ValidationError(
                gettext("Several territories match: %(names)s. Type the code.") % {"names": names}
            )
        return results[0].identifier


class PageForm(forms.Form):
    """The questions of one page that are shown given the answers so far."""

    use_required_attribute = False  # the browser must not block "save and finish later" on an empty field

    def __init__(
        self,
        section: Section,
        questions: list[Question],
        language: str,
        *args,
        enforce_required=True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.section = section
        self.questions = questions
        self.language = language
        for question in questions:
            self._add(question)
        if not enforce_required:  # "save and finish later" keeps an incomplete page; submitting checks it all
            for field in self.fields.values():
                field.required = False

    # --- building -------------------------------------------------------------------------------------------
    def _messages(self, question: Question) -> dict:
        required = text_of(question.required_message, self.language) or gettext(
            "This question needs an answer."
        )
        return {"required": required}

    def _add(self, question: Question) -> None:
        language, code = self.language, question.code
        choices = [(c.value, c.text(language)) for c in question.choices]
        common = {"label": _label(question, language), "required": question.required}
        common["error_messages"] = self._messages(question)
        kind = question.type
        if kind == "note":
            return
        if kind in ("select_one", "range"):
            if kind == "range":
                start, end, step = question.range_bounds()
                choices = [(str(n), str(n)) for n in range(start, end + 1, step)]
            if question.or_other:
                choices.append((OTHER_VALUE, gettext("Other")))
            self.fields[code] = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        elif kind == "select_multiple":
            if question.or_other:
                choices.append((OTHER_VALUE, gettext("Other")))
            self.fields[code] = forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **common
            )
        elif kind == "integer":
            self.fields[code] = forms.IntegerField(**common)
        elif kind == "decimal":
            self.fields[code] = forms.DecimalField(max_digits=18, decimal_places=4, localize=True, **common)
            self.fields[code].widget = forms.TextInput(attrs={"inputmode": "decimal"})
        elif kind == "date":
            self.fields[code] = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        elif kind == "text" and question.appearance == "territory":
            self.fields[code] = TerritoryField(max_length=200, **common)
            self.fields[code].widget.attrs["autocomplete"] = "off"
        elif kind == "text":
            widget = (
                forms.Textarea(attrs={"rows": 5}) if question.appearance == "multiline" else forms.TextInput
            )
            self.fields[code] = forms.CharField(max_length=5000, widget=widget, **common)
        elif kind == "file":
            self.fields[code] = forms.FileField(**common)
        elif kind == "grid":
            for row in question.rows:
                self.fields[grid_field(code, row.value)] = forms.ChoiceField(
                    label=row.text(language),
                    choices=choices,
                    widget=forms.RadioSelect,
                    required=question.required,
                    error_messages=self._messages(question),
                )
        elif kind == "rank":
            positions = [("", "—")] + [(str(n), str(n)) for n in range(1, len(choices) + 1)]
            for value, label in choices:
                self.fields[rank_field(code, value)] = forms.ChoiceField(
                    label=label,
                    choices=positions,
                    required=question.required,
                    error_messages=self._messages(question),
                )
        if question.or_other:
            self.fields[other_field(code)] = forms.CharField(
                label=gettext("If other, please specify"), required=False, max_length=500
            )
        for name in self.field_names(question):
            if text_of(question.hint, language) and name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = hint_id(code)

    # --- reading --------------------------------------------------------------------------------------------
    def field_names(self, question: Question) -> list[str]:
        if question.type == "grid":
            return [grid_field(question.code, row.value) for row in question.rows]
        if question.type == "rank":
            return [rank_field(question.code, c.value) for c in question.choices]
        names = [question.code] if question.answers else []
        return names + ([other_field(question.code)] if question.or_other else [])

    def clean(self):
        data = super().clean()
        for question in self.questions:
            if question.type == "rank":
                self._clean_rank(question, data)
            elif question.or_other:
                chosen = data.get(question.code)
                chosen = chosen if isinstance(chosen, list) else [chosen]
                if OTHER_VALUE in chosen and not (data.get(other_field(question.code)) or "").strip():
                    self.add_error(other_field(question.code), gettext("Please specify the other answer."))
        return data

    def _clean_rank(self, question: Question, data: dict) -> None:
        positions = {c.value: data.get(rank_field(question.code, c.value)) for c in question.choices}
        given = [p for p in positions.values() if p]
        if len(given) != len(set(given)):
            first = rank_field(question.code, question.choices[0].value)
            self.add_error(first, gettext("Give each item a different position."))

    def answer_values(self) -> dict:
        """{code: JSON value} of this page's questions, from cleaned data (grids as {row: value})."""
        data, values = self.cleaned_data, {}
        for question in self.questions:
            code = question.code
            if question.type == "note":
                continue
            if question.type == "grid":
                rows = {row.value: data.get(grid_field(code, row.value)) for row in question.rows}
                values[code] = {k: v for k, v in rows.items() if v} or None
            elif question.type == "rank":
                positions = {c.value: data.get(rank_field(code, c.value)) for c in question.choices}
                ranked = sorted((int(p), v) for v, p in positions.items() if p)
                values[code] = [v for _p, v in ranked] or None
            elif question.type == "file":
                values[code] = data.get(code)  # an UploadedFile or None; stored by the answering module
            else:
                value = data.get(code)
                if hasattr(value, "isoformat"):
                    value = value.isoformat()
                elif hasattr(value, "as_tuple"):  # Decimal
                    value = float(value)
                values[code] = value if value not in ("", []) else None
            if question.or_other:
                values[other_field(code)] = (data.get(other_field(code)) or "").strip() or None
        return values

    def full_clean(self):
        super().full_clean()
        self.full_clean_aria()

    def full_clean_aria(self):
        """Tie each error message to its field (announced with the field by screen readers)."""
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                described = widget.attrs.get("aria-describedby", "")
                if error_id(name) not in described:
                    widget.attrs["aria-describedby"] = f"{error_id(name)} {described}".strip()
                widget.attrs["aria-invalid"] = "true"


def initial_for(questions: list[Question], values: dict) -> dict:
    """Form initial data from stored answers (or prefilled values)."""
    initial = {}
    for question in questions:
        value = values.get(question.code)
        if value is None:
            continue
        if question.type == "grid" and isinstance(value, dict):
            for row, choice in value.items():
                initial[grid_field(question.code, row)] = choice
        elif question.type == "rank" and isinstance(value, list):
            for position, item in enumerate(value, start=1):
                initial[rank_field(question.code, item)] = str(position)
        elif question.type == "file":
            continue
        elif question.type in ("select_one", "range"):
            initial[question.code] = str(value)
        elif question.type == "decimal" and isinstance(value, float):
            initial[question.code] = int(value) if value.is_integer() else round(value, 4)
        else:
            initial[question.code] = value
    for question in questions:
        if question.or_other and values.get(other_field(question.code)):
            initial[other_field(question.code)] = values[other_field(question.code)]
    return initial


def check_constraint(question: Question, value, answers: dict, language: str) -> str | None:
    """The constraint message when the answer breaks the question's constraint, else None."""
    if not question.constraint or value in (None, "", []):
        return None
    if conditions.holds(question.constraint, answers, current=value):
        return None
    return text_of(question.constraint_message, language) or gettext("This answer is not allowed.")


class ContributorForm(forms.Form):
    contributor = forms.CharField(
        label=_("Your name or service (optional)"),
        required=False,
        max_length=120,
        help_text=_(
            "Shown to the other people answering for your authority, so that you know who filled what."
        ),
    )


def validate_upload(uploaded) -> None:
    name = uploaded.name.rsplit(".", 1)
    if len(name) != 2 or name[1].lower() not in UPLOAD_EXTENSIONS:
        raise ValidationError(
            gettext("Accepted file types: %(types)s.") % {"types": ", ".join(UPLOAD_EXTENSIONS)}
        )
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise ValidationError(gettext("The file is larger than 10 MB."))
