"""Widget pages (framed by other sites) and the page that writes their embed code."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from essor.accounts.models import Audience
from essor.core.urls_absolute import absolute_url
from essor.diffusion import widgets
from essor.diffusion.forms import EmbedForm
from essor.observatory.comparison import comparison
from essor.observatory.indicators import NotCovered, indicators_document
from essor.observatory.profile import chart_tables
from essor.observatory.releases import UnknownRelease, requested_release
from essor.observatory.scope import get_scope
from essor.territories.identifiers import UnknownTerritory
from essor.territories.models import Region


def _scope(kind, code):
    try:
        return get_scope(kind, code)
    except UnknownTerritory:
        raise Http404(f"{kind}:{code}") from None


def _release(request):
    try:
        return requested_release(request)
    except UnknownRelease:
        raise Http404("release") from None


def _pinned(request, release):
    """The release a widget was asked for explicitly (its figures then name it), else None."""
    return release if request.GET.get("release") else None


def _territory_context(request, kind, code):
    scope = _scope(kind, code)
    release = _release(request)
    context = {"scope": scope, "release": release, "page_url": scope.territory_url()}
    if release is not None:
        try:
            context["document"] = indicators_document(release, scope, "all")
            context["comparison"] = comparison(release, scope)
        except NotCovered:  # the release's files hold nothing there: say so, never show zeros
            context["not_covered"] = True
    return scope, release, context


@require_GET
@widgets.embeddable
def widget_figures(request, kind: str, code: str):
    scope, release, context = _territory_context(request, kind, code)
    widget = widgets.figures_widget(scope.kind, scope.code, scope.name, _pinned(request, release))
    inside = None
    if context.get("comparison"):
        inside = next(column for column in context["comparison"]["columns"] if column["zone"] == "qpv")
    return render(request, "diffusion/widget_figures.html", {**context, "widget": widget, "inside": inside})


@require_GET
@widgets.embeddable
def widget_chart(request, kind: str, code: str, chart: str):
    if chart not in widgets.chart_names():
        raise Http404(chart)
    scope, release, context = _territory_context(request, kind, code)
    found = None
    if release is not None and not context.get("not_covered"):
        tables = chart_tables(context["document"], context["comparison"])
        found = next((table for table in tables if table["name"] == chart), None)
        if found is None:
            raise Http404(chart)
        image = reverse("observatory:chart", kwargs={"kind": scope.kind, "code": scope.code, "name": chart})
        found["url"] = image + (
            f"?release={release.vintage.isoformat()}" if _pinned(request, release) else ""
        )
    title = found["title"] if found else chart
    widget = widgets.chart_widget(scope.kind, scope.code, scope.name, chart, title, _pinned(request, release))
    return render(request, "diffusion/widget_chart.html", {**context, "widget": widget, "chart": found})


@require_GET
@widgets.embeddable
def widget_sessions(request):
    region = request.GET.get("region", "").strip()
    audience = request.GET.get("audience", "").strip()
    region_obj = Region.objects.filter(pk=region).first() if region else None
    if (region and region_obj is None) or (audience and audience not in Audience.values):
        raise Http404("filter")
    widget = widgets.sessions_widget(region, audience, region_obj.name if region_obj else "")
    return render(
        request,
        "diffusion/widget_sessions.html",
        {
            "widget": widget,
            "sessions": widgets.upcoming_sessions(region, audience),
            "list_url": reverse("trainings:session_list"),
        },
    )


@require_GET
def embed(request):
    """Pick a widget, get its code and a preview."""
    data = None
    if request.GET:
        data = request.GET.copy()
        data.setdefault("width", str(widgets.DEFAULT_WIDTH))
        data.setdefault("height", str(widgets.DEFAULT_HEIGHT))
    form = EmbedForm(data)
    widget = code = None
    if form.is_valid():
        widget = form.widget()
        code = widgets.embed_code(widget, request, form.cleaned_data["width"], form.cleaned_data["height"])
    return render(
        request,
        "diffusion/embed.html",
        {
            "form": form,
            "widget": widget,
            "code": code,
            "preview_url": widget.path if widget else None,
            "oembed_example": absolute_url(reverse("diffusion_data:oembed"), request),
        },
    )
