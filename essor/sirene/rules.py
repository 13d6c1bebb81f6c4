"""The ESS rules of DESIGN §5, as data and small pure functions (the pipeline applies them in SQL).

Changing any rule or mapping table must bump RULES_VERSION: it is part of a release's fingerprint, so the same
files are re-ingested under the new rules instead of being reported as unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

RULES_VERSION = "2026.12-1"

DATA_DIR = Path(__file__).resolve().parent / "data"
NOMENCLATURES = DATA_DIR / "nomenclatures"

ACTIVE = "A"  # etatAdministratifEtablissement of an active establishment
ESS_FLAG_YES = "O"  # economieSocialeSolidaireUniteLegale

# The statistical perimeter (fallback when the ESS flag is empty) excludes public administration (division 84)
# and these organisations, which INSEE leaves out of the ESS: business, employers' and professional bodies,
# trade unions, religious and political organisations.
# The classes are the same in NAF rév. 2 (sous-classes 94.11Z...) and NAF 2025 (94.11Y...): the rule tests the
# class, so it holds in either nomenclature.
EXCLUDED_NAF_DIVISIONS = ("84",)
EXCLUDED_NAF_CLASSES = ("94.11", "94.12", "94.20", "94.91", "94.92")

FALLBACK_FAMILIES = ("association", "cooperative", "mutuelle", "fondation")
OTHER_ESS_FAMILY = "entreprise_commerciale_ess"

QPV_PROXIMITY_METRES = 300.0

# Catégorie juridique 1xxx: an entrepreneur individuel, i.e. a person: never named, addressed or placed on a map.
PERSON_LEGAL_CATEGORY_PREFIX = "1"


def is_person(legal_category: str | None) -> bool:
    return (legal_category or "").startswith(PERSON_LEGAL_CATEGORY_PREFIX)


def is_restricted(legal_category: str | None, private: bool | None) -> bool:
    """Published with its commune and activity only: a person, or a partially diffusible SIRENE record
    (`private`, statutDiffusion P)."""
    return is_person(legal_category) or bool(private)


# The same rule in SQL (DuckDB), over the columns legal_category and private, from the same constant.
RESTRICTED_SQL = f"(starts_with(coalesce(legal_category, ''), '{PERSON_LEGAL_CATEGORY_PREFIX}') OR coalesce(private, false))"


# Creation dates outside this range are kept but left out of the creations chart and counted: 1900-01-01 is
# SIRENE's placeholder for an unknown date, and years such as 0004 or 2218 exist in the stock.
PLAUSIBLE_CREATION = (dt.date(1900, 1, 2), dt.date(dt.date.today().year + 1, 12, 31))


def normalize_naf(code: str | None) -> str:
    """`8899B`, ` 88.99b ` or `88.99B` -> `88.99B` (SIRENE writes the dotted form; some exports drop the dot).
    The one rule: the SQL macro `naf_norm` (essor.sirene.steps.sql) applies the same, tested both ways."""
    code = (code or "").strip().upper()
    if len(code) == 5 and "." not in code:
        return f"{code[:2]}.{code[2:]}"
    return code


def naf_excluded(naf: str | None) -> bool:
    naf = normalize_naf(naf)
    return naf[:2] in EXCLUDED_NAF_DIVISIONS or naf[:5] in EXCLUDED_NAF_CLASSES


@cache
def family_table() -> dict[str, str]:
    """Legal category (4 digits) -> ESS family, '' for forms outside the four ESS families."""
    with (DATA_DIR / "familles_categories_juridiques.csv").open(encoding="utf-8") as handle:
        return {row["code"]: row["family"] for row in csv.DictReader(handle)}


@cache
def legal_categories() -> frozenset[str]:
    with (NOMENCLATURES / "categories_juridiques_niveau3.csv").open(encoding="utf-8") as handle:
        return frozenset(row["code"] for row in csv.DictReader(handle))


def nomenclature_kind(value: str | None) -> str:
    """'NAFRev2' (also when the column is missing or empty: files before NAF 2025), 'NAF2025' or 'other'
    (NAFRev1, NAF1993, NAP: older nomenclatures whose codes no rule here reads). SQL: macro nomenclature_kind."""
    folded = "".join(c for c in (value or "").lower() if c.isalnum())
    if folded in ("", "nafrev2"):
        return "NAFRev2"
    if "2025" in folded or folded.startswith("naf25"):
        return "NAF2025"
    return "other"


def family_of(legal_category: str | None) -> str:
    return family_table().get((legal_category or "").strip(), "")


def classify_unit(
    flag: str | None, legal_category: str | None, naf: str | None, nomenclature: str | None = None,
    naf25: str | None = None, in_ess_france: bool = False,
) -> tuple[bool, str, str]:  # fmt: skip
    """(is_ess, family, ess_source) of a legal unit: the reference implementation of the SQL in the pipeline.

    The fallback's exclusions are tested on the main activity when it is NAF rév. 2 or NAF 2025, on the NAF 2025
    column when the main one is an older nomenclature; with neither, the unit cannot be tested: not taken."""
    flag = (flag or "").strip().upper()
    family = family_of(legal_category)
    if flag == ESS_FLAG_YES:
        return True, family or OTHER_ESS_FAMILY, "insee"
    rule_naf = naf if nomenclature_kind(nomenclature) != "other" else (normalize_naf(naf25) or None)
    if flag == "" and family in FALLBACK_FAMILIES and rule_naf is not None and not naf_excluded(rule_naf):
        return True, family, "fallback"
    if in_ess_france:
        return True, family or OTHER_ESS_FAMILY, "ess_france"
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
