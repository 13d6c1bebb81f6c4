"""Filter forms of the public pages (GET): they validate the query string and give every field a label."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from essor.resources import places
from essor.resources.models import Audience, ExperienceFormat, Level, ResourceKind, Theme
from essor.resources.queries import public_experiences

LANGUAGE_CHOICES = [("fr", _("French")), ("en", _("English"))]
ANY = [("", _("All"))]


def _vocabulary_choices(model):
    return ANY + [(term.slug, term.name) for term in model.objects.all()]


class ResourceFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    audience = forms.ChoiceField(label=_("Audience"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ANY + ResourceKind.choices)
    language = forms.ChoiceField(label=_("Language"), required=False, choices=ANY + LANGUAGE_CHOICES)
    level = forms.ChoiceField(label=_("Level"), required=False, choices=ANY + Level.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = _vocabulary_choices(Audience)
        self.fields["theme"].choices = _vocabulary_choices(Theme)


class ExperienceFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    region = forms.ChoiceField(label=_("Région"), required=False)
    audience = forms.ChoiceField(label=_("Audience"), required=False)
    format = forms.ChoiceField(label=_("Format"), required=False, choices=ANY + ExperienceFormat.choices)
    year_from = forms.IntegerField(label=_("From year"), required=False, min_value=1950, max_value=2100)
    year_to = forms.IntegerField(label=_("To year"), required=False, min_value=1950, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = _vocabulary_choices(Audience)
        codes = public_experiences().exclude(region_code="").values_list("region_code", flat=True).distinct()
        regions = sorted((code, places.region_name(code)) for code in codes)
        self.fields["region"].choices = (
            ANY + [("national", _("National"))] + sorted(regions, key=lambda r: r[1])
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("year_from"), cleaned.get("year_to")
        if start and end and start > end:
            raise ValidationError(_("The start year must not be after the end year."))
        return cleaned


def cleaned_filters(form: forms.Form) -> dict:
    """The valid filter values (an invalid form filters on nothing, and the page shows its errors)."""
    return form.cleaned_data if form.is_valid() else {}
