"""The oEmbed discovery link of embeddable pages (rendered in the head of base.html when present)."""

from essor.diffusion.oembed import TERRITORY_PAGES, discovery_url

EMBEDDABLE = TERRITORY_PAGES | {"diffusion:widget_chart", "diffusion:widget_sessions"}


def oembed_link(request):
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name not in EMBEDDABLE:
        return {}
    return {"oembed_url": discovery_url(request.build_absolute_uri(), request)}
