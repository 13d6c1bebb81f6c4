"""Forms of the public territory pages (search, QPV lookup of a point)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or code of a territory"),
        max_length=100,
        help_text=_("For example: Toulouse, 31555, Mirail, QN03104M, Haute-Garonne, Occitanie."),
    )


class DegreesField(forms.FloatField):
    """Decimal degrees, with a point or a comma as the decimal separator (as people type them in French)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class LocateForm(forms.Form):
    """Coordinates; or an address when a geocoder is configured (the address then wins)."""

    address = forms.CharField(
        label=_("Address"),
        max_length=200,
        required=False,
        help_text=_("For example: 2 place du Capitole, Toulouse."),
    )
    lon = DegreesField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        help_text=_("In decimal degrees (WGS84), for example 1.3969 in Toulouse."),
    )
    lat = DegreesField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        help_text=_("In decimal degrees (WGS84), for example 43.5641 in Toulouse."),
    )

    def __init__(self, *args, with_address: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_address:
            del self.fields["address"]

    def clean(self):
        data = super().clean()
        if data.get("address"):
            return data
        for name in ("lon", "lat"):
            if data.get(name) is None and name not in self.errors:
                self.add_error(name, _("This field is required."))
        return data
