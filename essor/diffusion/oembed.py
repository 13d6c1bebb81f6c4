"""oEmbed (https://oembed.com): which of our URLs can be embedded, and the `rich` answer for each.

Territory pages, the observatory's fact sheets and the widget pages themselves are embeddable; each becomes the
matching widget (a territory page → its key figures), in the language of the URL.
"""

from urllib.parse import parse_qs, urlsplit

from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.http import urlencode

from essor.core.urls_absolute import absolute_url, site_root
from essor.diffusion import widgets
from essor.observatory.scope import get_scope
from essor.sirene.models import Release
from essor.territories.identifiers import UnknownTerritory
from essor.territories.models import Region

TERRITORY_PAGES = {"territories:detail", "observatory:profile", "diffusion:widget_figures"}
CACHE_AGE = 3600


class NotEmbeddable(LookupError):
    pass


def _release(query: dict):
    vintage = (query.get("release") or [""])[0]
    if not vintage:
        return None
    try:
        return Release.objects.of_vintage(vintage)
    except Exception:  # a malformed date: the widget itself will answer 404
        raise NotEmbeddable(vintage) from None


def widget_for(url: str) -> widgets.Widget:
    """The widget showing what `url` shows, or NotEmbeddable."""
    parts = urlsplit(url)
    language = translation.get_language_from_path(parts.path)
    if language is None:
        raise NotEmbeddable(url)
    query = parse_qs(parts.query)
    with translation.override(language):  # a language prefix resolves only in its own language
        try:
            match = resolve(parts.path)
        except Resolver404:
            raise NotEmbeddable(url) from None
        if match.view_name in TERRITORY_PAGES or match.view_name == "diffusion:widget_chart":
            try:
                scope = get_scope(match.kwargs["kind"], match.kwargs["code"])
            except UnknownTerritory:
                raise NotEmbeddable(url) from None
            release = _release(query)
            if match.view_name == "diffusion:widget_chart":
                chart = match.kwargs["chart"]
                if chart not in widgets.chart_names():
                    raise NotEmbeddable(url)
                title = str(widgets.CHART_LABELS[chart])
                return widgets.chart_widget(scope.kind, scope.code, scope.name, chart, title, release)
            return widgets.figures_widget(scope.kind, scope.code, scope.name, release)
        if match.view_name == "diffusion:widget_sessions":
            region = (query.get("region") or [""])[0]
            audience = (query.get("audience") or [""])[0]
            region_name = Region.objects.filter(pk=region).values_list("name", flat=True).first() or ""
            return widgets.sessions_widget(region, audience, region_name)
    raise NotEmbeddable(url)


def oembed_document(
    url: str, request=None, maxwidth: int | None = None, maxheight: int | None = None
) -> dict:
    widget = widget_for(url)
    width = min(widgets.DEFAULT_WIDTH, maxwidth) if maxwidth else widgets.DEFAULT_WIDTH
    height = min(widgets.DEFAULT_HEIGHT, maxheight) if maxheight else widgets.DEFAULT_HEIGHT
    return {
        "version": "1.0",
        "type": "rich",
        "title": widget.title,
        "provider_name": "essor",
        "provider_url": site_root(request) + "/",
        "html": widgets.embed_code(widget, request, width, height),
        "width": width,
        "height": height,
        "cache_age": CACHE_AGE,
    }


def discovery_url(page_url: str, request=None) -> str:
    """The oEmbed endpoint for a page (for its `<link rel="alternate" type="application/json+oembed">`)."""
    return (
        absolute_url(reverse("diffusion_data:oembed"), request)
        + "?"
        + urlencode({"url": page_url, "format": "json"})
    )
