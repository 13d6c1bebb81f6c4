"""NAF rév. 2 sections and divisions, and employee size bands, read once from the vendored INSEE tables."""

import csv
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from essor.core import formatting

NOMENCLATURES = Path(__file__).resolve().parent.parent / "sirene" / "data" / "nomenclatures"
# NACE Rev. 2 in English (Eurostat): the same codes as NAF rév. 2 down to the class (data/SOURCES.md).
NACE_EN = Path(__file__).resolve().parent / "data" / "nace_rev2_en.csv"


def _rows(name: str | Path) -> list[dict]:
    with open(NOMENCLATURES / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def naf_labels(lang: str | None = None) -> dict[str, str]:
    """Section letters and 2-digit divisions -> label in the language (INSEE's French; Eurostat's English
    NACE label on English pages, the French one where NACE has none)."""
    return _naf_labels(formatting.language(lang))


@cache
def _naf_labels(lang: str) -> dict[str, str]:
    french = {
        row["code"]: row["libelle"]
        for row in _rows("naf_rev2_tous_niveaux.csv")
        if row["niveau"] in ("section", "division")
    }
    if lang == "fr":
        return french
    english = {}
    for row in _rows(NACE_EN):
        if row["level"] in ("section", "division"):
            label = row["label_en"]
            # Eurostat writes sections in capitals: "AGRICULTURE, FORESTRY AND FISHING".
            english[row["code"]] = label[:1] + label[1:].lower() if label.isupper() else label
    return {code: english.get(code, label) for code, label in french.items()}


@cache
def division_to_section() -> dict[str, str]:
    return {row["division"]: row["section"] for row in _rows("naf_rev2_sous_classes.csv")}


@cache
def band_bounds() -> dict[str, tuple[int | None, int | None]]:
    """Band code -> (min, max) employees; max None for the top band; both None for NN."""

    def as_int(text):
        return int(text) if text.strip() else None

    return {
        row["code"]: (as_int(row["min_salaries"]), as_int(row["max_salaries"]))
        for row in _rows("tranches_effectifs.csv")
    }


def band_order() -> list[str]:
    return list(band_bounds())


def band_label(code: str) -> str:
    """A short label in the page's language, built from the band's bounds."""
    if code in ("", None):
        return _("Unknown")
    low, high = band_bounds().get(code, (None, None))
    if code == "NN":
        return _("Non-employer")
    if low is None:
        return code
    if high is None:
        return _("%(low)s or more employees") % {"low": _grouped(low)}
    if low == high:
        return _("%(low)s employees (none at year end)") % {"low": low}
    return _("%(low)s to %(high)s employees") % {"low": _grouped(low), "high": _grouped(high)}


def _grouped(value: int) -> str:
    return formatting.format_number(value)
