"""What every observatory view shares: resolving the territory, the "no release yet" page, export helpers."""

from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from essor.observatory import exports
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


def export_notes(release, scope=None) -> list[str]:
    notes = [f"essor — {scope.name} ({scope.identifier})"] if scope is not None else []
    notes += [
        _("SIRENE release of %(vintage)s") % {"vintage": date_format(release.vintage, "DATE_FORMAT")},
        _("Source: INSEE SIRENE, ANCT QPV perimeters — Licence Ouverte 2.0"),
    ]
    if release.synthetic:
        notes.append(_("Synthetic demonstration data: not real establishments."))
    return notes


def as_attachment(response, fmt: str, filename: str):
    """Give an export its content type and make the browser save it under `filename`."""
    response["Content-Type"] = exports.CONTENT_TYPES[fmt]
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
