"""What every observatory view shares: resolving the territory, the "no release yet" page, export helpers."""

from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from essor.observatory import exports
from essor.observatory.exports import export_notes  # noqa: F401 (the views import it from here)
from essor.observatory.scope import get_scope
from essor.territories.identifiers import UnknownTerritory


def scope_or_404(kind: str, code: str):
    try:
        return get_scope(kind, code)
    except UnknownTerritory:
        raise Http404(f"No territory {kind}:{code}") from None


def no_release(request, scope=None):
    return render(request, "observatory/no_release.html", {"scope": scope}, status=200)


def get_scope_url(kind: str, code: str) -> str | None:
    """The territory page of `kind:code`, or None when the territories app has no page for that kind."""
    try:
        return reverse("territories:detail", kwargs={"kind": kind, "code": code})
    except NoReverseMatch:
        return None


def query(params) -> str:
    return urlencode(params)


def csv_decimal(request) -> str:
    """Decimal comma and ';' by default (French spreadsheets); `?decimal=point` gives '.' and ','."""
    return exports.DECIMALS.get(request.GET.get("decimal", "comma"), ",")


def as_attachment(response, fmt: str, filename: str):
    """Give an export its content type and make the browser save it under `filename`."""
    response["Content-Type"] = exports.CONTENT_TYPES[fmt]
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
