from django import forms
from django.utils.translation import gettext_lazy as _


class PeriodForm(forms.Form):
    """The period of a report; empty fields fall back to the convention's default period."""

    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, convention, **kwargs):
        self.convention = convention
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        start = data.get("start") or self.convention.starts_on
        end = data.get("end") or min(self.convention.ends_on, max(self.convention.starts_on, _today()))
        if end < start:
            raise forms.ValidationError(_("The end of the period must come after its start."))
        data["start"], data["end"] = start, end
        return data


def _today():
    from django.utils import timezone

    return timezone.localdate()
