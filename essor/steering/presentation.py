"""How steering figures read, in the active language: counts, scores, shares of target, euros, statuses.

Numbers go through the project's formatting helpers (rounded half-up, never truncated, per-language separators)."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from essor.steering.models import Status

try:  # the project's one formatting module (essor.core.formatting) once it exists; the core filters until then
    from essor.core.formatting import format_number, format_percent
except ImportError:  # pragma: no cover - depends on the order in which the project's parts land
    from essor.core.templatetags.essor_tags import num as _num

    def format_number(value, digits=0):
        if value is None:
            return "—"
        rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
        return _num(rounded, digits)

    def format_percent(share, digits=1):
        if share is None:
            return "—"
        rounded = Decimal(str(share * 100)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
        sign = "\u00a0%" if (get_language() or "fr").startswith("fr") else "%"
        return _num(rounded, digits) + sign


DIGITS = {"count": 0, "score": 1, "points": 1}


def indicator_value(value, unit: str) -> str:
    if value is None:
        return "—"
    return format_number(value, DIGITS.get(unit, 0))


def percent(share) -> str:
    return format_percent(share, 0) if share is not None else "—"


def amount(value) -> str:
    return _("%(amount)s €") % {"amount": format_number(value, 0)}


def status_text(status: str) -> str:
    return str(Status(status).label)
