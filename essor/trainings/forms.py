import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from essor.accounts.models import Audience
from essor.trainings.models import Session, known_timezones

SCORES = [(n, str(n)) for n in range(1, 6)]


class EvaluationForm(forms.Form):
    """Satisfaction, usefulness, knowledge before/after per objective of the module, extra questions, comments."""

    satisfaction = forms.TypedChoiceField(
        label=_("Overall, how satisfied are you with this session? (1 = not at all, 5 = very)"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    usefulness = forms.TypedChoiceField(
        label=_("How useful will it be in your work? (1 = not at all, 5 = very)"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )

    def __init__(self, module, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.objectives = module.objectives
        self.questions = module.evaluation_questions
        for index, objective in enumerate(self.objectives):
            for moment, label in (("before", _("before the session")), ("after", _("after the session"))):
                self.fields[f"knowledge_{index}_{moment}"] = forms.TypedChoiceField(
                    label=_("%(objective)s — my knowledge %(moment)s (1–5)")
                    % {"objective": objective, "moment": label},
                    choices=SCORES,
                    coerce=int,
                    widget=forms.RadioSelect,
                )
        for index, question in enumerate(self.questions):
            self.fields[f"question_{index}"] = forms.CharField(
                label=question, required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
            )
        # Keep comments last.
        self.order_fields([name for name in self.fields if name != "comments"] + ["comments"])

    def knowledge(self) -> list[dict]:
        return [
            {
                "objective": objective,
                "before": self.cleaned_data[f"knowledge_{index}_before"],
                "after": self.cleaned_data[f"knowledge_{index}_after"],
            }
            for index, objective in enumerate(self.objectives)
        ]

    def answers(self) -> list[dict]:
        return [
            {"question": question, "answer": self.cleaned_data.get(f"question_{index}", "")}
            for index, question in enumerate(self.questions)
        ]


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("Present"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, registrations, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (r.pk, f"{r.user.get_full_name() or r.user.email}" if r.user_id else _("deleted account"))
            for r in registrations
        ]
        self.initial.setdefault("present", [r.pk for r in registrations if r.attended])


class SessionForm(forms.ModelForm):
    """Create or edit a session; an operator's sessions always belong to their own organisation."""

    audiences = forms.MultipleChoiceField(
        label=_("Audiences"), choices=Audience.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        help_text=_("In the session's time zone."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    class Meta:
        model = Session
        fields = [
            "module",
            "format",
            "starts_at",
            "ends_at",
            "timezone",
            "place",
            "link",
            "operator",
            "capacity",
            "waiting_list",
            "audiences",
            "cress_region",
            "experimentation",
        ]

    def __init__(self, *args, operator=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_operator = operator
        if operator is not None:
            del self.fields["operator"]
        zone = zoneinfo.ZoneInfo(self.instance.timezone or "Europe/Paris")
        for name in ("starts_at", "ends_at"):
            value = getattr(self.instance, name, None)
            if value is not None and not self.is_bound:
                self.initial[name] = value.astimezone(zone).replace(tzinfo=None)

    def clean(self):
        cleaned = super().clean()
        # Times are typed in the session's own time zone (an overseas session keeps its local hours).
        name = cleaned.get("timezone")
        if name in known_timezones():  # an unknown zone is reported by the field's validator
            zone = zoneinfo.ZoneInfo(name)
            for field in ("starts_at", "ends_at"):
                value = cleaned.get(field)
                if value is not None:
                    cleaned[field] = value.replace(tzinfo=None).replace(tzinfo=zone)
        if self.fixed_operator is not None:
            self.instance.operator = self.fixed_operator
        return cleaned
