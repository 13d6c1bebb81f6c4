"""A hand-counted release: Toulouse (a QPV, its 300 m band, the rest), Blagnac and Lyon.

Count rows (letters are referred to in the expected figures of test_indicators.py):
  a Toulouse qpv        div 88  ESS association  employer  4 est.  employees 12-20
  b Toulouse qpv        div 47  not ESS          -        10 est.
  c Toulouse proximite  div 88  ESS cooperative  employer  2 est.  6-10
  d Toulouse hors_qpv   div 47  not ESS          employer 20 est.  40-80
  e Toulouse hors_qpv   div 94  ESS association  -         3 est.
  f Blagnac hors_qpv    div 30  ESS cooperative  employer  1 est.  10000-unbounded
  g Blagnac hors_qpv    div 30  not ESS          employer  5 est.  50-100
  j Blagnac hors_qpv    div 88  not ESS          employer  6 est.  6-12
  h Lyon hors_qpv       div 86  ESS mutuelle     employer  2 est.  20-38
  i Lyon hors_qpv       div 86  not ESS          -         8 est.
The 12 ESS establishments match rows a, c, e, f, h one by one.
"""

import datetime

import pytest

from essor.observatory.tests.factories import (
    CommuneFactory,
    DepartementFactory,
    EpciFactory,
    EssEstablishmentFactory,
    EstablishmentCountFactory,
    QpvFactory,
    RegionFactory,
    ReleaseFactory,
)

TOULOUSE = {"commune_code": "31555", "epci_code": "243100518", "departement_code": "31", "region_code": "76"}
BLAGNAC = {**TOULOUSE, "commune_code": "31069"}
LYON = {"commune_code": "69123", "epci_code": "200046977", "departement_code": "69", "region_code": "84"}
IN_QPV = {"zone": "qpv", "qpv24_code": "QN03104M", "qpv15_code": "QP031004"}
NEAR_QPV = {"zone": "proximite", "near_qpv24_code": "QN03104M"}
HORS = {"zone": "hors_qpv"}


def build_territories():
    occitanie = RegionFactory(code="76", name="Occitanie", population=6_000_000)
    aura = RegionFactory(code="84", name="Auvergne-Rhône-Alpes", population=8_000_000)
    hg = DepartementFactory(code="31", name="Haute-Garonne", region=occitanie, population=1_400_000)
    rhone = DepartementFactory(code="69", name="Rhône", region=aura, population=1_900_000)
    tm = EpciFactory(code="243100518", name="Toulouse Métropole", nature="METRO", population=800_000)
    lyon_metro = EpciFactory(code="200046977", name="Métropole de Lyon", nature="MET69", population=1_400_000)
    EpciFactory(code="200054781", name="Métropole du Grand Paris", nature="METRO", population=7_000_000)
    EpciFactory(code="243100773", name="CC des Coteaux", nature="CC", population=20_000)
    toulouse = CommuneFactory(code="31555", name="Toulouse", departement=hg, epci=tm, population=500_000)
    CommuneFactory(code="31069", name="Blagnac", departement=hg, epci=tm, population=25_000)
    CommuneFactory(code="69123", name="Lyon", departement=rhone, epci=lyon_metro, population=520_000)
    qpv = QpvFactory(code="QN03104M", name="Grand Mirail", generation=2024, population=40_000)
    qpv.communes.add(toulouse)
    old = QpvFactory(code="QP031004", name="Grand Mirail (2015)", generation=2015)
    old.communes.add(toulouse)


def build_release(**release_fields):
    release = ReleaseFactory(**release_fields)

    def count(where, **fields):
        EstablishmentCountFactory(release=release, **where, **fields)

    count(
        {**TOULOUSE, **IN_QPV},
        naf_division="88",
        is_ess=True,
        family="association",
        employer=True,
        establishments=4,
        employees_low=12,
        employees_high=20,
    )  # a
    count({**TOULOUSE, **IN_QPV}, naf_division="47", establishments=10)  # b
    count(
        {**TOULOUSE, **NEAR_QPV},
        naf_division="88",
        is_ess=True,
        family="cooperative",
        employer=True,
        establishments=2,
        employees_low=6,
        employees_high=10,
    )  # c
    count(
        {**TOULOUSE, **HORS},
        naf_division="47",
        employer=True,
        establishments=20,
        employees_low=40,
        employees_high=80,
    )  # d
    count({**TOULOUSE, **HORS}, naf_division="94", is_ess=True, family="association", establishments=3)  # e
    count(
        {**BLAGNAC, **HORS},
        naf_division="30",
        is_ess=True,
        family="cooperative",
        employer=True,
        establishments=1,
        employees_low=10000,
        employees_high=0,
        unbounded=1,
    )  # f
    count(
        {**BLAGNAC, **HORS},
        naf_division="30",
        employer=True,
        establishments=5,
        employees_low=50,
        employees_high=100,
    )  # g
    count(
        {**BLAGNAC, **HORS},
        naf_division="88",
        employer=True,
        establishments=6,
        employees_low=6,
        employees_high=12,
    )  # j
    count(
        {**LYON, **HORS},
        naf_division="86",
        is_ess=True,
        family="mutuelle",
        employer=True,
        establishments=2,
        employees_low=20,
        employees_high=38,
    )  # h
    count({**LYON, **HORS}, naf_division="86", establishments=8)  # i

    def ess(where, years, **fields):
        for year in years:
            EssEstablishmentFactory(release=release, **where, created_on=datetime.date(year, 3, 1), **fields)

    employer_band = {"band": "02", "employer": True, "employees_low": 3, "employees_high": 5}
    ess(
        {**TOULOUSE, **IN_QPV},
        [2018, 2020, 2020, 2026],
        naf="88.99B",
        naf_section="Q",
        **employer_band,
        name="Les Amis du Mirail",
    )  # a
    ess(
        {**TOULOUSE, **NEAR_QPV},
        [2024, 2010],
        family="cooperative",
        legal_category="5460",
        naf="88.10A",
        naf_section="Q",
        **employer_band,
        name="Coop du Canal",
    )  # c
    ess({**TOULOUSE, **HORS}, [2019, 2019, 2019], naf="94.99Z", naf_section="S", name="Club Capitole")  # e
    ess(
        {**BLAGNAC, **HORS},
        [1990],
        family="cooperative",
        legal_category="5560",
        naf="30.30Z",
        naf_section="C",
        band="53",
        employer=True,
        employees_low=10000,
        employees_high=None,
        name="Aéro Coop",
        lon=1.39,
        lat=43.63,
    )  # f
    ess(
        {**LYON, **HORS},
        [2022, 2023],
        family="mutuelle",
        legal_category="8210",
        naf="86.10Z",
        naf_section="Q",
        band="11",
        employer=True,
        employees_low=10,
        employees_high=19,
        name="Mutuelle du Rhône",
        lon=4.83,
        lat=45.76,
    )  # h
    return release


@pytest.fixture
def territories(db):
    build_territories()


@pytest.fixture
def release(territories):
    return build_release()


@pytest.fixture
def precomputed(release):
    from essor.observatory.precompute import precompute_release

    precompute_release(release)
    return release
