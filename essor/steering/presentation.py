"""How steering figures read, in the active language: counts, scores, shares of target, euros, statuses.

Numbers go through the project's formatting helpers (rounded half-up, never truncated, per-language separators)."""

from django.utils.translation import gettext as _

from essor.core.formatting import format_number, format_percent
from essor.steering.models import Status

DIGITS = {"count": 0, "score": 1, "points": 1}


def indicator_value(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "share":
        return format_percent(float(value), 0)
    return format_number(value, DIGITS.get(unit, 0))


def percent(share) -> str:
    return format_percent(share, 0) if share is not None else "—"


def amount(value) -> str:
    return _("%(amount)s €") % {"amount": format_number(value, 0)}


def status_text(status: str) -> str:
    return str(Status(status).label)
