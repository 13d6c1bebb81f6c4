"""NAF rév. 2 sections and divisions, and employee size bands, read once from the vendored INSEE tables."""

import csv
from functools import cache
from pathlib import Path

from django.utils.formats import number_format
from django.utils.translation import gettext as _

NOMENCLATURES = Path(__file__).resolve().parent.parent / "sirene" / "data" / "nomenclatures"


def _rows(name: str) -> list[dict]:
    with open(NOMENCLATURES / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def naf_labels() -> dict[str, str]:
    """Section letters and 2-digit divisions -> official (French) label."""
    return {
        row["code"]: row["libelle"]
        for row in _rows("naf_rev2_tous_niveaux.csv")
        if row["niveau"] in ("section", "division")
    }


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
    return number_format(value, force_grouping=True)
