"""The embed-code generator's form: which widget, for what, in which language and size."""

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from essor.accounts.models import Audience
from essor.diffusion import widgets
from essor.observatory.releases import kept_vintages
from essor.observatory.scope import get_scope
from essor.sirene.models import Release
from essor.territories.identifiers import UnknownTerritory, parse_identifier
from essor.territories.models import Region
from essor.territories.search import search

KINDS = [
    ("figures", _("Key figures of a territory")),
    ("chart", _("One chart of a territory")),
    ("sessions", _("Upcoming training sessions")),
]


class EmbedForm(forms.Form):
    widget_kind = forms.ChoiceField(label=_("Widget"), choices=KINDS, initial="figures")
    territory = forms.CharField(
        label=_("Territory"),
        required=False,
        max_length=100,
        help_text=_("A name or an identifier such as epci:243100518 (key figures and charts)."),
    )
    chart = forms.ChoiceField(
        label=_("Chart"),
        required=False,
        choices=[(name, label) for name, label in widgets.CHART_LABELS.items()],
    )
    region = forms.ChoiceField(label=_("Région"), required=False)
    audience = forms.ChoiceField(label=_("Audience"), required=False)
    release = forms.ChoiceField(
        label=_("Release"),
        required=False,
        help_text=_("Pin the figures to one release, so that a cited figure never changes."),
    )
    language = forms.ChoiceField(
        label=_("Language of the widget"), required=False, choices=[("fr", "Français"), ("en", "English")]
    )
    width = forms.IntegerField(
        label=_("Width (pixels)"),
        required=False,
        min_value=200,
        max_value=1200,
        initial=widgets.DEFAULT_WIDTH,
    )
    height = forms.IntegerField(
        label=_("Initial height (pixels)"),
        required=False,
        min_value=100,
        max_value=2000,
        initial=widgets.DEFAULT_HEIGHT,
        help_text=_("The widget then sizes itself to its content."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Every région"))] + list(
            Region.objects.order_by("name").values_list("code", "name")
        )
        self.fields["audience"].choices = [("", _("Every audience"))] + list(Audience.choices)
        self.fields["release"].choices = [("", _("The current release (figures follow new releases)"))] + [
            (vintage, vintage) for vintage in kept_vintages()
        ]

    def clean(self):
        data = super().clean()
        data["width"] = data.get("width") or widgets.DEFAULT_WIDTH
        data["height"] = data.get("height") or widgets.DEFAULT_HEIGHT
        if data.get("widget_kind") in ("figures", "chart"):
            data["scope"] = self._scope(data.get("territory", ""))
        return data

    def _scope(self, text: str):
        text = text.strip()
        if not text:
            raise forms.ValidationError({"territory": _("Give a territory for this widget.")})
        try:
            kind, code = parse_identifier(text)
            return get_scope(kind, code)
        except (ValueError, UnknownTerritory):
            pass
        found = search(text, limit=1)
        if not found:
            raise forms.ValidationError({"territory": _("No territory matches “%(text)s”.") % {"text": text}})
        return get_scope(found[0].kind, found[0].code)

    def widget(self) -> widgets.Widget:
        data = self.cleaned_data
        release = Release.objects.of_vintage(data["release"]) if data.get("release") else None
        with translation.override(data.get("language") or translation.get_language()):
            if data["widget_kind"] == "sessions":
                region_name = (
                    dict(self.fields["region"].choices).get(data["region"], "") if data["region"] else ""
                )
                return widgets.sessions_widget(data["region"], data["audience"], region_name)
            scope = data["scope"]
            if data["widget_kind"] == "chart":
                chart = data.get("chart") or "families"
                return widgets.chart_widget(
                    scope.kind, scope.code, scope.name, chart, str(widgets.CHART_LABELS[chart]), release
                )
            return widgets.figures_widget(scope.kind, scope.code, scope.name, release)
