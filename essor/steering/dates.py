"""Dates as the programme writes them ("début 2021", "fin 2021", "juin", "premier semestre 2021", "9 et 10
septembre 2021", "à la rentrée") resolved to a date range, first day to last day included.

The conventions (documented in docs/steering.md): "début" of a year is January–April, "mi-" / "milieu" May–August,
"fin" September–December; of a month, days 1–10, 11–20 and 21–last. A season is its three calendar months
(printemps March–May, été June–August, automne September–November, hiver January–February of that year),
"la rentrée" is September–October. A month or season without a year takes `default_year` (the sheet's own year);
without one it stays unresolved (None), never guessed. English forms (early / mid / late 2021, first half of 2021,
Q1 2021, June 2021) are read too.
"""

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
YEAR = r"(?P<year>(?:19|20)\d{2})"
OPT_YEAR = rf"(?:\s+{YEAR})?"
ORDINAL_1 = r"(?:premier|1er|1re|1ere|first|1st)"
ORDINAL_2 = r"(?:second|seconde|deuxieme|2e|2eme|2nd|second)"
PART = {
    "debut": "early", "early": "early", "beginning of": "early",
    "mi": "mid", "mi-": "mid", "milieu": "mid", "mid": "mid", "mid-": "mid",
    "fin": "late", "late": "late", "end of": "late",
}  # fmt: skip
PART_RE = r"(?P<part>debut|milieu|mi-|mi|fin|early|mid-|mid|late|beginning of|end of)"
SEASONS = {
    "printemps": (3, 5), "spring": (3, 5), "ete": (6, 8), "summer": (6, 8),
    "automne": (9, 11), "autumn": (9, 11), "fall": (9, 11), "hiver": (1, 2), "winter": (1, 2),
    "rentree": (9, 10),
}  # fmt: skip
SEASON = "(?P<season>" + "|".join(SEASONS) + ")"
ARTICLE = r"(?:(?:en|au|a|l'|le|la|in|the|de|d'|du|of)\s*){0,2}"


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date
    text: str  # as written

    def as_json(self) -> dict:
        return {"text": self.text, "start": self.start.isoformat(), "end": self.end.isoformat()}


def fold(text: str) -> str:
    """Lower case without accents, typographic apostrophes made straight: the form the patterns read.

    Keeps one character per input character so that match positions apply to the original text."""
    text = text.replace("\u2019", "'").replace("\u00a0", " ").lower()
    return "".join(unicodedata.normalize("NFD", char)[0] for char in text)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _months(year: int, first: int, last: int) -> tuple[date, date]:
    return date(year, first, 1), _month_end(year, last)


def _part_of_year(part: str, year: int) -> tuple[date, date]:
    return {"early": _months(year, 1, 4), "mid": _months(year, 5, 8), "late": _months(year, 9, 12)}[part]


def _part_of_month(part: str, year: int, month: int) -> tuple[date, date]:
    if part == "early":
        return date(year, month, 1), date(year, month, 10)
    if part == "mid":
        return date(year, month, 11), date(year, month, 20)
    return date(year, month, 21), _month_end(year, month)


# (pattern, resolver(match, year) -> (start, end)); tried in this order, the first that matches wins, so the most
# specific forms come first. `year` is the written year or the default one.
def _days(m, year):
    month = MONTHS[m["month"]]
    first = int(m["d1"])
    return date(year, month, first), date(year, month, int(m["d2"] or first))


PATTERNS = [
    (
        r"(?P<y1>(?:19|20)\d{2})\s*[/-]\s*(?P<y2>(?:19|20)\d{2})",
        lambda m, year: (date(int(m["y1"]), 1, 1), date(int(m["y2"]), 12, 31)),
    ),
    (
        rf"(?P<d1>\d{{1,2}})(?:er|st|nd|rd|th)?(?:\s*(?:et|-|au|&|and|to)\s*(?P<d2>\d{{1,2}})(?:er|st|nd|rd|th)?)?"
        rf"\s+{MONTH}{OPT_YEAR}",
        _days,
    ),
    (
        rf"{PART_RE}\s*{ARTICLE}{MONTH}{OPT_YEAR}",
        lambda m, year: _part_of_month(PART[m["part"]], year, MONTHS[m["month"]]),
    ),
    (
        rf"(?:(?P<first>{ORDINAL_1})|{ORDINAL_2})\s+(?:semestre|half)(?:\s+of)?{OPT_YEAR}",
        lambda m, year: _months(year, 1, 6) if m["first"] else _months(year, 7, 12),
    ),
    (
        rf"(?:s|h)(?P<half>[12])\s+{YEAR}",
        lambda m, year: _months(year, 1, 6) if m["half"] == "1" else _months(year, 7, 12),
    ),
    (
        rf"(?:(?P<ordinal>{ORDINAL_1}|{ORDINAL_2}|troisieme|3e|3eme|third|3rd|quatrieme|4e|4eme|fourth|4th)"
        rf"\s+(?:trimestre|quarter)(?:\s+of)?|(?:t|q)(?P<quarter>[1-4]))\s*{OPT_YEAR}",
        lambda m, year: _months(year, 3 * _quarter(m) - 2, 3 * _quarter(m)),
    ),
    (
        rf"{PART_RE}\s*{ARTICLE}(?:annee\s+|year\s+)?{YEAR}",
        lambda m, year: _part_of_year(PART[m["part"]], year),
    ),
    (
        rf"{SEASON}{OPT_YEAR}",
        lambda m, year: _months(year, *SEASONS[m["season"]]),
    ),
    (
        rf"{MONTH}{OPT_YEAR}",
        lambda m, year: _months(year, MONTHS[m["month"]], MONTHS[m["month"]]),
    ),
    (
        rf"(?:courant\s+|en\s+|in\s+|during\s+)?{YEAR}",
        lambda m, year: _months(year, 1, 12),
    ),
]
LEADING_ARTICLE = re.compile(r"^(?:(?:en|au|a|la|le|des|in|the|at|during|by)\s+)+")
COMPILED = [(re.compile(rf"(?<![\w-]){pattern}(?![\w])"), resolver) for pattern, resolver in PATTERNS]


def _quarter(m) -> int:
    if m["quarter"]:
        return int(m["quarter"])
    word = m["ordinal"]
    for number, words in ((1, ORDINAL_1), (2, ORDINAL_2)):
        if re.fullmatch(words, word):
            return number
    return 3 if word.startswith(("troisieme", "3", "third")) else 4


def _resolve_match(match, resolver, text: str, default_year: int | None) -> DateRange | None:
    groups = match.groupdict()
    year = int(groups["year"]) if groups.get("year") else default_year
    if year is None and "y1" not in groups:
        return None
    try:
        start, end = resolver(match, year)
    except ValueError:  # 31 février, 12 et 40 mai: not a date
        return None
    if end < start:
        return None
    return DateRange(start, end, text)


def resolve(text: str, default_year: int | None = None) -> DateRange | None:
    """The range for a whole expression ("début 2021"), or None when it is not one or lacks a year."""
    written = text.strip().rstrip(".,;:")
    folded = LEADING_ARTICLE.sub("", fold(written))
    for pattern, resolver in COMPILED:
        match = pattern.fullmatch(folded)
        if match:
            return _resolve_match(match, resolver, written, default_year)
    return None


def find(text: str, default_year: int | None = None) -> DateRange | None:
    """The first date expression inside free text ("… avec premiers webinaires fin 2021 (si …)"), as written."""
    folded = fold(text)
    best = None
    for pattern, resolver in COMPILED:
        for match in pattern.finditer(folded):
            found = _resolve_match(match, resolver, text[match.start() : match.end()], default_year)
            if found and (best is None or match.start() < best[0]):
                best = (match.start(), found)
            if found:
                break
    return best[1] if best else None


def first_year(text: str) -> int | None:
    """The first four-digit year written in a text: the reference year for months written without one."""
    match = re.search(r"(?<!\d)(?:19|20)\d{2}(?!\d)", text)
    return int(match.group(0)) if match else None
