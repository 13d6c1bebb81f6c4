"""The ESS rules of DESIGN §5, as data and small pure functions (the pipeline applies them in SQL).

Changing any rule or mapping table must bump RULES_VERSION: it is part of a release's fingerprint, so the same
files are re-ingested under the new rules instead of being reported as unchanged.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

RULES_VERSION = "2026.11-1"

DATA_DIR = Path(__file__).resolve().parent / "data"
NOMENCLATURES = DATA_DIR / "nomenclatures"

ACTIVE = "A"  # etatAdministratifEtablissement of an active establishment
ESS_FLAG_YES = "O"  # economieSocialeSolidaireUniteLegale

# The statistical perimeter (fallback when the ESS flag is empty) excludes public administration (division 84)
# and these organisations, which INSEE leaves out of the ESS: business, employers' and professional bodies,
# trade unions, religious and political organisations.
EXCLUDED_NAF_DIVISIONS = ("84",)
EXCLUDED_NAF_CODES = ("94.11Z", "94.12Z", "94.20Z", "94.91Z", "94.92Z")

FALLBACK_FAMILIES = ("association", "cooperative", "mutuelle", "fondation")
OTHER_ESS_FAMILY = "entreprise_commerciale_ess"

QPV_PROXIMITY_METRES = 300.0

# Catégorie juridique 1xxx: an entrepreneur individuel, i.e. a person: never named, addressed or placed on a map.
PERSON_LEGAL_CATEGORY_PREFIX = "1"


def is_person(legal_category: str | None) -> bool:
    return (legal_category or "").startswith(PERSON_LEGAL_CATEGORY_PREFIX)


def normalize_naf(code: str | None) -> str:
    """`8899B` or `88.99B` -> `88.99B` (SIRENE writes the dotted form; some exports drop the dot)."""
    code = (code or "").strip().upper()
    if len(code) == 5 and "." not in code:
        return f"{code[:2]}.{code[2:]}"
    return code


def naf_excluded(naf: str | None) -> bool:
    naf = normalize_naf(naf)
    return naf[:2] in EXCLUDED_NAF_DIVISIONS or naf in EXCLUDED_NAF_CODES


@cache
def family_table() -> dict[str, str]:
    """Legal category (4 digits) -> ESS family, '' for forms outside the four ESS families."""
    with (DATA_DIR / "familles_categories_juridiques.csv").open(encoding="utf-8") as handle:
        return {row["code"]: row["family"] for row in csv.DictReader(handle)}


@cache
def legal_categories() -> frozenset[str]:
    with (NOMENCLATURES / "categories_juridiques_niveau3.csv").open(encoding="utf-8") as handle:
        return frozenset(row["code"] for row in csv.DictReader(handle))


def family_of(legal_category: str | None) -> str:
    return family_table().get((legal_category or "").strip(), "")


def classify_unit(flag: str | None, legal_category: str | None, naf: str | None) -> tuple[bool, str, str]:
    """(is_ess, family, ess_source) of a legal unit: the reference implementation of the SQL in the pipeline."""
    flag = (flag or "").strip().upper()
    family = family_of(legal_category)
    if flag == ESS_FLAG_YES:
        return True, family or OTHER_ESS_FAMILY, "insee"
    if flag == "" and family in FALLBACK_FAMILIES and not naf_excluded(naf):
        return True, family, "fallback"
    return False, "", ""


@dataclass(frozen=True)
class Band:
    code: str
    low: int
    high: int | None  # None: no upper bound (top band)
    employer: bool


@cache
def bands() -> dict[str, Band]:
    """Employee size bands with their bounds. NN (no employee) and 00 (none at year end) are not employers."""
    result = {}
    with (NOMENCLATURES / "tranches_effectifs.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["code"]
            low = int(row["min_salaries"]) if row["min_salaries"] else 0
            high = int(row["max_salaries"]) if row["max_salaries"] else None
            if code == "NN":
                high = 0
            result[code] = Band(code=code, low=low, high=high, employer=code not in ("NN", "00"))
    return result


def band_of(code: str | None) -> Band:
    """An empty or unknown band counts as no employee (not an employer, bounds 0)."""
    return bands().get((code or "").strip(), Band(code="", low=0, high=0, employer=False))


@cache
def naf_subclasses() -> dict[str, tuple[str, str]]:
    """NAF rév. 2 sous-classe (dotted) -> (division, section)."""
    with (NOMENCLATURES / "naf_rev2_sous_classes.csv").open(encoding="utf-8") as handle:
        return {row["code"]: (row["division"], row["section"]) for row in csv.DictReader(handle)}


def employees_estimate(low: int, high: int, unbounded: int) -> dict:
    """The estimated employees of a set of establishments from the sums of their band bounds: the top band
    (10,000 and more) has no upper bound, so when any establishment is in it the high estimate is unknown (null)."""
    return {"low": low, "high": None if unbounded else high}
