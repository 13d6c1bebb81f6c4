"""Numbers as people read them: rounded half-up (never truncated), in the language of the page or the file.

One module for templates (filters `num`, `pct`, `figure` in essor_tags), charts (the d3 locale given to Vega),
exports (CSV decimal separator, XLSX number formats) and reports, so a figure reads the same everywhere:

    >>> format_percent(0.095623, lang="fr"), format_percent(0.095623, lang="en")
    ('9,6\xa0%', '9.6%')
    >>> format_number(8 / 11 * 100, lang="fr"), format_number(12345.5, lang="en")
    ('73', '12,346')

Rounding is done on the decimal text of the value (Decimal(str(x))), so 2.675 rounds to 2.68 as on paper, where
binary floating point alone would give 2.67. Python's round() rounds half to even (0.125 → 0.12): not used here.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import date_format
from django.utils.translation import get_language

UNKNOWN = "—"  # an em dash where a figure is unknown (not zero)

# Per language: decimal separator, thousands separator, what goes between a number and "%".
# French: a no-break space groups thousands (12 345) and precedes the percent sign (9,6 %).
SEPARATORS = {
    "fr": {"decimal": ",", "thousands": "\u00a0", "percent": "\u00a0%"},
    "en": {"decimal": ".", "thousands": ",", "percent": "%"},
}


def language(lang: str | None = None) -> str:
    """'fr' or 'en': the given language, else the active one, else French (the site's default)."""
    code = (lang or get_language() or "fr").lower()
    return "en" if code.startswith("en") else "fr"


def round_half_up(value, digits: int = 0) -> Decimal:
    """The value rounded half away from zero to `digits` decimals (0.125 → 0.13; 72.727 → 73)."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not a number: {value!r}") from exc
    quantum = Decimal(1).scaleb(-digits)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    return rounded + 0  # turns -0 into 0


def _is_unknown(value) -> bool:
    return value is None or value == "" or (isinstance(value, float) and value != value)


def plain_number(value, digits: int = 0, decimal: str = ".") -> str:
    """Rounded, without grouping (for CSV cells): 1234,5 with decimal=','; an empty text when unknown."""
    if _is_unknown(value):
        return ""
    text = f"{round_half_up(value, digits):f}"
    return text.replace(".", decimal) if decimal != "." else text


def format_number(value, digits: int = 0, *, lang: str | None = None) -> str:
    """Rounded half-up to `digits` decimals, grouped by thousands in the language (fr 12 345,6; en 12,345.6)."""
    if _is_unknown(value):
        return UNKNOWN
    separators = SEPARATORS[language(lang)]
    text = f"{round_half_up(value, digits):f}"
    sign = "-" if text.startswith("-") else ""
    whole, _dot, fraction = text.lstrip("-").partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = sign + separators["thousands"].join(groups)
    if fraction:
        result += separators["decimal"] + fraction
    return result


def format_percent(share, digits: int = 1, *, lang: str | None = None) -> str:
    """A share (0..1) as a percentage: fr « 9,6 % », en "9.6%"; an em dash when unknown."""
    if _is_unknown(share):
        return UNKNOWN
    percent = round_half_up(Decimal(str(share)) * 100, digits)
    return format_number(percent, digits, lang=lang) + SEPARATORS[language(lang)]["percent"]


def format_range(low, high, *, lang: str | None = None) -> str:
    """An estimate between two bounds, 10–20; 10+ when the upper bound is unknown."""
    if _is_unknown(low):
        return UNKNOWN
    if _is_unknown(high):
        return f"{format_number(low, lang=lang)}+"
    return f"{format_number(low, lang=lang)}–{format_number(high, lang=lang)}"


def d3_locale(lang: str | None = None) -> dict:
    """The number locale given to Vega when charts are rendered: the same separators and percent sign as the
    tables beside them (d3's own fr-FR puts a narrow space before %, the tables a no-break space)."""
    separators = SEPARATORS[language(lang)]
    return {
        "decimal": separators["decimal"],
        "thousands": separators["thousands"],
        "grouping": [3],
        "currency": ["", "\u00a0€"] if language(lang) == "fr" else ["€", ""],
        "percent": separators["percent"],
    }


def xlsx_number_format(digits: int = 0, percent: bool = False) -> str:
    """The Excel number format of a column: grouped integers, fixed decimals, or a percentage of a share.
    Excel shows them with the separators of the reader's own settings."""
    decimals = "." + "0" * digits if digits else ""
    return f"0{decimals}%" if percent else f"#,##0{decimals}"


def long_date(value, *, lang: str | None = None) -> str:
    """A date written out in the language: fr « 1er novembre 2026 » (French writes the first of the month as
    an ordinal, and every SIRENE release is dated the 1st), « 12 mars 2026 »; en "Nov. 1, 2026".
    Django's DATE_FORMAT has no French ordinal, hence this helper. Empty text for no date."""
    if value is None or value == "":
        return ""
    if language(lang) == "fr" and getattr(value, "day", None) == 1:
        return f"1er {date_format(value, 'F Y', use_l10n=True)}"
    return date_format(value, "DATE_FORMAT", use_l10n=True)
