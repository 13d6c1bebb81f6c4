"""Embeddable widgets: what each one shows, its address, its title, and the code to embed it.

Three kinds: a territory's key figures, one chart of a territory, the upcoming training sessions of a région or an
audience. A widget is an iframe of one of our pages that sizes itself (static/diffusion/widget-frame.js inside,
static/diffusion/embed.js on the embedding page: postMessage with an origin check). Only widget pages may be
framed by other sites (`frame-ancestors`, ESSOR_WIDGET_FRAME_ANCESTORS); every other page keeps `'none'`.
"""

from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from essor.accounts.models import Audience
from essor.core.urls_absolute import absolute_url
from essor.observatory.charts import CHARTS
from essor.trainings.models import Session

DEFAULT_WIDTH = 360
DEFAULT_HEIGHT = 320
SESSIONS_SHOWN = 5
CHART_LABELS = {
    "families": gettext_lazy("ESS establishments by family"),
    "sectors": gettext_lazy("Top sectors of the ESS (NAF divisions)"),
    "bands": gettext_lazy("ESS establishments by employee size band"),
    "creations": gettext_lazy("ESS establishments still active, by year of creation"),
    "zones": gettext_lazy("Share of the ESS inside QPVs, within 300 m and elsewhere"),
}


def embeddable(view):
    """Let other sites frame this view: `frame-ancestors` from the setting (the rest of the CSP unchanged), and no
    X-Frame-Options. Every other view keeps `frame-ancestors 'none'` and X-Frame-Options: DENY."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response._csp_config = {
            **settings.SECURE_CSP,
            "frame-ancestors": settings.ESSOR_WIDGET_FRAME_ANCESTORS,
        }
        response.xframe_options_exempt = True
        return response

    return wrapped


@dataclass(frozen=True)
class Widget:
    path: str  # language-prefixed path of the widget page, query string included
    title: str  # the iframe's title (what a screen reader announces)


def figures_widget(kind: str, code: str, name: str, release=None) -> Widget:
    path = reverse("diffusion:widget_figures", kwargs={"kind": kind, "code": code})
    return Widget(_with_release(path, release), _("Key figures of the ESS: %(name)s") % {"name": name})


def chart_widget(kind: str, code: str, name: str, chart: str, chart_title: str, release=None) -> Widget:
    path = reverse("diffusion:widget_chart", kwargs={"kind": kind, "code": code, "chart": chart})
    return Widget(_with_release(path, release), f"{chart_title} — {name}")


def sessions_widget(region: str = "", audience: str = "", region_name: str = "") -> Widget:
    path = reverse("diffusion:widget_sessions")
    query = urlencode({key: value for key, value in (("region", region), ("audience", audience)) if value})
    title = _("Upcoming essor training sessions")
    details = [item for item in (region_name, _audience_label(audience)) if item]
    if details:
        title = f"{title} — {', '.join(details)}"
    return Widget(path + (f"?{query}" if query else ""), title)


def _with_release(path: str, release) -> str:
    """A widget pinned to a release names it (a figure cited in an article stays true)."""
    return path + (f"?{urlencode({'release': release.vintage.isoformat()})}" if release is not None else "")


def _audience_label(audience: str) -> str:
    return str(Audience(audience).label) if audience in Audience.values else ""


def embed_code(widget: Widget, request=None, width: int = DEFAULT_WIDTH, height: int = DEFAULT_HEIGHT) -> str:
    """The HTML a partner pastes: the iframe (titled, lazy, no referrer) and our resize script."""
    src = absolute_url(widget.path, request)
    script = absolute_url(static("diffusion/embed.js"), request)
    return format_html(
        '<iframe src="{}" title="{}" width="{}" height="{}" loading="lazy" referrerpolicy="no-referrer" '
        'style="border:0;max-width:100%" data-essor-widget></iframe>\n<script src="{}" async></script>',
        src,
        widget.title,
        width,
        height,
        script,
    )


def upcoming_sessions(region: str = "", audience: str = ""):
    sessions = Session.objects.public().upcoming()
    if region:
        sessions = sessions.filter(cress_region=region)
    if audience:
        sessions = sessions.filter(audiences__icontains=f'"{audience}"')
    return list(sessions.order_by("starts_at")[:SESSIONS_SHOWN])


def chart_names() -> tuple[str, ...]:
    return tuple(name for name in CHARTS if name in CHART_LABELS)


def in_language(language: str, function, *args, **kwargs):
    with translation.override(language):
        return function(*args, **kwargs)
