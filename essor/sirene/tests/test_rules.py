"""The ESS rules as data: the family table covers the whole nomenclature; units are classified case by case."""

import csv

import pytest

from essor.sirene import rules
from essor.sirene.models import Family


def test_family_table_covers_every_legal_category_of_the_nomenclature():
    with (rules.NOMENCLATURES / "categories_juridiques_niveau3.csv").open(encoding="utf-8") as handle:
        codes = {row["code"] for row in csv.DictReader(handle)}
    table = rules.family_table()
    assert set(table) == codes
    assert set(table.values()) <= {"", *rules.FALLBACK_FAMILIES}


@pytest.mark.parametrize(
    ("legal_category", "family"),
    [
        ("9210", "association"), ("9220", "association"), ("9221", "association"), ("9222", "association"),
        ("9230", "association"), ("9260", "association"),
        ("5458", "cooperative"), ("5558", "cooperative"), ("5560", "cooperative"), ("6316", "cooperative"),
        ("6317", "cooperative"), ("6318", "cooperative"), ("5192", "cooperative"), ("6596", "cooperative"),
        ("8210", "mutuelle"), ("8250", "mutuelle"), ("8290", "mutuelle"), ("6411", "mutuelle"),
        ("9300", "fondation"),
        ("5710", ""), ("5499", ""), ("9224", ""), ("7210", ""), ("8140", ""), ("9110", ""),
    ],
)  # fmt: skip
def test_family_of_legal_category(legal_category, family):
    assert rules.family_of(legal_category) == family


@pytest.mark.parametrize(
    ("flag", "legal_category", "naf", "expected"),
    [
        ("O", "9220", "88.99B", (True, "association", "insee")),
        ("O", "5710", "62.01Z", (True, Family.ENTREPRISE_COMMERCIALE_ESS, "insee")),
        ("O", "9220", "94.11Z", (True, "association", "insee")),  # the flag wins over the NAF exclusions
        ("", "9220", "88.99B", (True, "association", "fallback")),
        ("", "5458", "43.21A", (True, "cooperative", "fallback")),
        ("", "8210", "65.12Z", (True, "mutuelle", "fallback")),
        ("", "9300", "8899B", (True, "fondation", "fallback")),
        ("", "5710", "62.01Z", (False, "", "")),  # no fallback for commercial forms
        ("N", "9220", "88.99B", (False, "", "")),  # INSEE says no: not ESS
        ("", "9220", "84.11Z", (False, "", "")),
        ("", "9220", "84.30A", (False, "", "")),
        ("", "9220", "94.11Z", (False, "", "")),
        ("", "9220", "94.12Z", (False, "", "")),
        ("", "9220", "94.20Z", (False, "", "")),
        ("", "9220", "94.91Z", (False, "", "")),
        ("", "9220", "94.92Z", (False, "", "")),
        ("", "9220", "94.99Z", (True, "association", "fallback")),
    ],
)
def test_classify_unit(flag, legal_category, naf, expected):
    assert rules.classify_unit(flag, legal_category, naf) == expected


def test_bands():
    assert not rules.band_of("NN").employer and rules.band_of("NN").high == 0
    assert not rules.band_of("00").employer
    assert not rules.band_of("").employer
    assert rules.band_of("11") == rules.Band("11", 10, 19, True)
    assert rules.band_of("53").low == 10000 and rules.band_of("53").high is None
