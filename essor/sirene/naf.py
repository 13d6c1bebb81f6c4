"""Activity nomenclatures: NAF rév. 2 (2008) and NAF 2025, and the one nomenclature of the sector figures.

From the stock of 16 December 2025 the files carry `activitePrincipaleNAF25…` beside the main activity column;
from 1 January 2027 NAF 2025 is the official nomenclature and `nomenclatureActivitePrincipale…` says which one a
row's main column uses. Sector figures stay in NAF rév. 2 divisions for every release (docs/adr/004): the
published studies and every earlier release use them, and French labels exist for them. A row whose main
activity is NAF 2025 gets its NAF rév. 2 division from INSEE's correspondence table when it is vendored
(`nomenclatures/correspondance_naf2025_nafrev2.csv`), else from the vendored nomenclatures: the NAF 2025 class
(= NACE Rev. 2.1 class) keeps its division when the same class code exists in NACE Rev. 2, when its division
has the same English wording in both, or when at least half of that division's classes kept their codes; any other code has no NAF rév. 2 sector (counted).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from functools import cache

from essor.sirene.rules import NOMENCLATURES, naf_excluded, naf_subclasses, nomenclature_kind, normalize_naf

normalize = normalize_naf
kind = nomenclature_kind
excluded_from_fallback = naf_excluded

REV2, NAF2025, OTHER = "NAFRev2", "NAF2025", "other"
CORRESPONDENCE = NOMENCLATURES / "correspondance_naf2025_nafrev2.csv"


def _read(name: str) -> list[dict]:
    with (NOMENCLATURES / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _wording(label: str) -> str:
    return re.sub(r"\W+", " ", label.lower()).strip()


@cache
def naf2025_subclasses() -> dict[str, str]:
    """NAF 2025 sous-classe (e.g. 77.39Y) -> its NAF 2025 section letter."""
    return {
        row["code"]: row["section"]
        for row in _read("naf2025_tous_niveaux.csv")
        if row["niveau"] == "sous-classe"
    }


@cache
def rev2_sections() -> dict[str, str]:
    """NAF rév. 2 division -> section."""
    return {division: section for division, section in naf_subclasses().values()}


@cache
def rev2_division_of_naf2025() -> dict[str, str]:
    """NAF 2025 sous-classe -> NAF rév. 2 division ('' when none can be said)."""
    if CORRESPONDENCE.exists():
        votes: dict[str, Counter] = {}
        for row in csv.DictReader(CORRESPONDENCE.open(encoding="utf-8")):
            votes.setdefault(row["naf_2025"].strip(), Counter())[row["naf_rev2"].strip()[:2]] += 1
        # Several NAF rév. 2 antecedents: the division most of them share (then the lowest code).
        return {code: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for code, c in votes.items()}
    old = {row["code"]: _wording(row["label_en"]) for row in _read("nace_rev2_en.csv")}
    new = {row["code"]: _wording(row["label_en"]) for row in _read("nace_rev2_1_en.csv")}
    classes = [code for code in new if len(code) == 5 and code[2] == "."]
    kept: dict[str, list[bool]] = {}
    for klass in classes:
        kept.setdefault(klass[:2], []).append(klass in old)
    result = {}
    for code in naf2025_subclasses():
        klass, division = code[:5], code[:2]
        # The class code exists in both (its content may have been refined, not moved to another division);
        # or the division reads the same; or most of its classes kept their codes (a division renamed).
        same_class = klass in old
        same_division = old.get(division) is not None and old.get(division) == new.get(division)
        mostly_kept = division in old and sum(kept.get(division, [])) * 2 >= len(kept.get(division, [1]))
        result[code] = division if (same_class or same_division or mostly_kept) else ""
    return result


def sector_rows() -> list[tuple[str, str, str, str]]:
    """(nomenclature, code, NAF rév. 2 division, NAF rév. 2 section) for the pipeline's reference table."""
    rows = [(REV2, code, division, section) for code, (division, section) in naf_subclasses().items()]
    sections = rev2_sections()
    for code, division in rev2_division_of_naf2025().items():
        rows.append((NAF2025, code, division, sections.get(division, "") if division else ""))
    return rows


@cache
def naf2025_for_rev2() -> dict[str, str]:
    """NAF rév. 2 sous-classe -> a NAF 2025 sous-classe of the same class (else of the same division), for the
    synthetic generator's NAF 2025 column: plausible codes, not INSEE's correspondence."""
    by_class: dict[str, str] = {}
    by_division: dict[str, str] = {}
    for code in sorted(naf2025_subclasses()):
        by_class.setdefault(code[:5], code)
        by_division.setdefault(code[:2], code)
    return {code: by_class.get(code[:5]) or by_division.get(code[:2], "") for code in naf_subclasses()}
