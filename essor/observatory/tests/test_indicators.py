"""Indicators of every territory kind and zone against the hand-counted release of conftest.py."""

import pytest

from essor.observatory.figures import live_figures
from essor.observatory.indicators import indicators_document
from essor.observatory.models import IndicatorSnapshot
from essor.observatory.scope import get_scope
from essor.sirene.territory_filter import ZONES

NO_FAMILY = {
    "association": 0,
    "cooperative": 0,
    "mutuelle": 0,
    "fondation": 0,
    "entreprise_commerciale_ess": 0,
}


def fam(**counts):
    return {**NO_FAMILY, **counts}


def figures(active, ess, families, employer, ess_employer, all_low, all_high, ess_low, ess_high):
    return {
        "establishments": {
            "active": active,
            "ess": ess,
            "ess_share": round(ess / active, 6) if active else None,
            "ess_by_family": families,
            "employer": employer,
            "ess_employer": ess_employer,
        },
        "employees_estimate": {
            "all": {"low": all_low, "high": all_high},
            "ess": {"low": ess_low, "high": ess_high},
        },
    }


EMPTY = figures(0, 0, fam(), 0, 0, 0, 0, 0, 0)
TOULOUSE_QPV = figures(14, 4, fam(association=4), 4, 4, 12, 20, 12, 20)
TOULOUSE_NEAR = figures(2, 2, fam(cooperative=2), 2, 2, 6, 10, 6, 10)
OCCITANIE = {
    "all": figures(51, 10, fam(association=7, cooperative=3), 38, 7, 10114, None, 10018, None),
    "qpv": TOULOUSE_QPV,
    "proximite": TOULOUSE_NEAR,
    "hors_qpv": figures(35, 4, fam(association=3, cooperative=1), 32, 1, 10096, None, 10000, None),
}
LYON = {
    "all": figures(10, 2, fam(mutuelle=2), 2, 2, 20, 38, 20, 38),
    "qpv": EMPTY,
    "proximite": EMPTY,
    "hors_qpv": figures(10, 2, fam(mutuelle=2), 2, 2, 20, 38, 20, 38),
}
BLAGNAC = figures(12, 1, fam(cooperative=1), 12, 1, 10056, None, 10000, None)
# A QPV (as in essor.sirene.territory_filter): inside; its 300 m band for a 2024 QPV; nothing "outside".
QPV24 = {"all": TOULOUSE_QPV, "qpv": TOULOUSE_QPV, "proximite": TOULOUSE_NEAR, "hors_qpv": EMPTY}
QPV15 = {"all": TOULOUSE_QPV, "qpv": TOULOUSE_QPV, "proximite": EMPTY, "hors_qpv": EMPTY}

EXPECTED = {
    ("france", "FR"): {
        "all": figures(
            61, 12, fam(association=7, cooperative=3, mutuelle=2), 40, 9, 10134, None, 10038, None
        ),
        "qpv": TOULOUSE_QPV,
        "proximite": TOULOUSE_NEAR,
        "hors_qpv": figures(
            45, 6, fam(association=3, cooperative=1, mutuelle=2), 34, 3, 10116, None, 10020, None
        ),
    },
    ("region", "76"): OCCITANIE,
    ("departement", "31"): OCCITANIE,
    ("epci", "243100518"): OCCITANIE,
    ("region", "84"): LYON,
    ("departement", "69"): LYON,
    ("epci", "200046977"): LYON,
    ("commune", "69123"): LYON,
    ("commune", "31555"): {
        "all": figures(39, 9, fam(association=7, cooperative=2), 26, 6, 58, 110, 18, 30),
        "qpv": TOULOUSE_QPV,
        "proximite": TOULOUSE_NEAR,
        "hors_qpv": figures(23, 3, fam(association=3), 20, 0, 40, 80, 0, 0),
    },
    ("commune", "31069"): {"all": BLAGNAC, "qpv": EMPTY, "proximite": EMPTY, "hors_qpv": BLAGNAC},
    ("qpv", "QN03104M"): QPV24,
    ("qpv", "QP031004"): QPV15,
    ("epci", "243100773"): {zone: EMPTY for zone in ZONES},
}
CASES = [(kind, code, zone) for (kind, code) in EXPECTED for zone in ZONES]


def headline(document):
    return {key: document[key] for key in ("establishments", "employees_estimate")}


@pytest.mark.parametrize(("kind", "code", "zone"), CASES)
def test_live_figures_match_hand_counts(release, kind, code, zone):
    scope = get_scope(kind, code)
    assert headline(live_figures(release, scope)[zone]) == EXPECTED[(kind, code)][zone]


@pytest.mark.parametrize(("kind", "code", "zone"), CASES)
def test_precomputed_document_matches_hand_counts(precomputed, kind, code, zone):
    document = indicators_document(precomputed, get_scope(kind, code), zone)
    assert headline(document) == EXPECTED[(kind, code)][zone]
    assert document["territory"]["code"] == code
    assert document["release"] == {"id": precomputed.pk, "vintage": "2026-11-01", "synthetic": True}


def test_precompute_writes_non_empty_zones_only(precomputed):
    snapshots = set(IndicatorSnapshot.objects.values_list("kind", "code", "zone"))
    assert ("commune", "31069", "all") in snapshots
    assert ("commune", "31069", "qpv") not in snapshots  # Blagnac has no QPV establishment
    assert ("qpv", "QP031004", "all") in snapshots
    assert len({(k, c) for k, c, _z in snapshots}) == 12  # FR, 2 régions, 2 dép., 2 EPCI, 3 communes, 2 QPV


def test_precomputed_and_live_documents_are_identical(release):
    from essor.observatory.precompute import precompute_release

    live = {case: indicators_document(release, get_scope(*case[:2]), case[2]) for case in CASES}
    precompute_release(release)
    for case, document in live.items():
        assert indicators_document(release, get_scope(*case[:2]), case[2]) == document, case


def test_sectors_specialisation_against_the_reference_epci(precomputed):
    document = indicators_document(precomputed, get_scope("commune", "31555"))
    division_88 = next(row for row in document["sectors"]["divisions"] if row["code"] == "88")
    # Toulouse: 6 ESS of 6 in division 88 (share 1.0); Toulouse Métropole: 6 of 12 (0.5).
    assert division_88["ess_share"] == 1.0
    assert division_88["reference_ess_share"] == 0.5
    assert division_88["specialisation"] == 2.0
    sections = {row["code"]: row["ess"] for row in document["sectors"]["sections"]}
    assert sections == {"Q": 6, "S": 3}


def test_bands_creations_density_reference_and_nation(precomputed):
    document = indicators_document(precomputed, get_scope("france", "FR"))
    assert {row["band"]: row["ess"] for row in document["size_bands"]} == {"NN": 3, "02": 6, "11": 2, "53": 1}
    assert [row["band"] for row in document["size_bands"]] == ["NN", "02", "11", "53"]
    creations = {row["year"]: row["ess"] for row in document["creations"]}
    assert list(creations) == list(range(2017, 2027))
    assert creations == {
        2017: 0,
        2018: 1,
        2019: 3,
        2020: 2,
        2021: 0,
        2022: 1,
        2023: 1,
        2024: 1,
        2025: 0,
        2026: 1,
    }
    assert document["density"]["population"] == 14_000_000
    assert document["density"]["ess_per_1000"] == pytest.approx(12 / 14_000)
    assert document["reference"] is None and document["national"] is None

    commune = indicators_document(precomputed, get_scope("commune", "31555"), "qpv")
    assert commune["reference"]["territory"]["code"] == "243100518"
    assert commune["reference"]["establishments"]["ess"] == 10
    assert commune["national"]["establishments"]["ess"] == 12
    assert commune["density"]["population"] is None  # no population for part of a commune


@pytest.mark.parametrize(
    ("kind", "code", "reference"),
    [
        ("commune", "31555", "epci:243100518"),
        ("qpv", "QN03104M", "epci:243100518"),
        ("epci", "243100518", "region:76"),
        ("departement", "31", "france:FR"),
        ("region", "84", "france:FR"),
    ],
)
def test_reference_territory(territories, kind, code, reference):
    assert get_scope(kind, code).reference.identifier == reference


def test_release_built_signal_precomputes_the_snapshots(release):
    from essor.sirene.models import Release
    from essor.sirene.signals import release_built

    release_built.send(sender=Release, release=release)
    assert IndicatorSnapshot.objects.filter(release=release, kind="france", zone="all").exists()
    release.refresh_from_db()
    assert "observatory_precompute" in release.timings


def test_precompute_is_idempotent(precomputed):
    from essor.observatory.precompute import precompute_release

    before = sorted(IndicatorSnapshot.objects.values_list("kind", "code", "zone", "data"))
    precompute_release(precomputed)
    assert sorted(IndicatorSnapshot.objects.values_list("kind", "code", "zone", "data")) == before


@pytest.mark.parametrize("zone", ZONES)
def test_an_ept_is_made_of_its_communes(release, zone):
    """An EPT of the Grand Paris is not on the rows: it is computed from its communes (here, Blagnac, for the test)."""
    from essor.observatory.precompute import precompute_release
    from essor.observatory.tests.factories import EpciFactory
    from essor.territories.models import Commune, Epci

    ept = EpciFactory(
        code="200057867", name="EPT test", nature="EPT", parent=Epci.objects.get(code="200054781")
    )
    Commune.objects.filter(code="31069").update(ept=ept)
    expected = {"all": BLAGNAC, "qpv": EMPTY, "proximite": EMPTY, "hors_qpv": BLAGNAC}[zone]
    live = indicators_document(release, get_scope("epci", "200057867"), zone)
    precompute_release(release)
    assert IndicatorSnapshot.objects.filter(kind="epci", code="200057867", zone="all").exists()
    document = indicators_document(release, get_scope("epci", "200057867"), zone)
    assert headline(document) == expected
    assert document == live
