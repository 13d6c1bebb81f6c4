from django import forms
from django.utils.translation import gettext_lazy as _

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
