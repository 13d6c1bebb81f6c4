"""Core indicators of DESIGN §5 from a real ingest, hand-counted on the scenario (see scenario.py) for every territory kind and zone.

Toulouse: E1 qpv (association, band 11), E2 proximite (association, band 53), E3 hors (association), E4 qpv
(cooperative), E5 proximite (mutuelle, band 00), E6 hors (fondation, unlocated), E7 qpv (commercial ESS), E8 qpv
(not ESS), six hors (not ESS). Paris 15e: one not ESS. Saint-Denis: one association. Guadeloupe: a cooperative
inside QPV qg (band 01) and one 150 m from it.
"""

import json

import pytest
from django.core.management import CommandError, call_command

from essor.observatory.indicators import NoRelease
from essor.observatory.indicators import territory_indicators as core_indicators
from essor.sirene.release import ingest
from essor.sirene.territory_filter import UnknownZone
from essor.sirene.tests import scenario as sc
from essor.sirene.tests.builders import write_inputs
from essor.territories.identifiers import UnknownTerritory
from essor.territories.models import Commune
from essor.territories.tests.fixtures import load_reference

NONE = {"association": 0, "cooperative": 0, "mutuelle": 0, "fondation": 0, "entreprise_commerciale_ess": 0}


def families(**counts):
    return {**NONE, **counts}


TOULOUSE = {
    "all": (14, 7, families(association=3, cooperative=1, mutuelle=1, fondation=1, entreprise_commerciale_ess=1),
            2, 2, (10010, None), (10010, None)),
    "qpv": (4, 3, families(association=1, cooperative=1, entreprise_commerciale_ess=1), 1, 1, (10, 19), (10, 19)),
    "proximite": (2, 2, families(association=1, mutuelle=1), 1, 1, (10000, None), (10000, None)),
    "hors_qpv": (8, 2, families(association=1, fondation=1), 0, 0, (0, 0), (0, 0)),
}  # fmt: skip


@pytest.fixture
def reference(db):
    """Real communes, EPCI/EPT and QPV contours (2024; 2015 for Haute-Garonne) of four départements."""
    return load_reference(departements=("31", "75", "93", "971"))


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


@pytest.fixture
def built(reference, tmp_path):
    scenario = sc.build()
    ingest(write_inputs(tmp_path, scenario.units, scenario.etabs, scenario.geos, fmt="parquet"))
    return scenario


def check(document, expected):
    active, ess, by_family, employer, ess_employer, employees_all, employees_ess = expected
    figures = document["establishments"]
    assert figures == {
        "active": active, "ess": ess, "ess_share": round(ess / active, 6) if active else None,
        "ess_by_family": by_family, "employer": employer, "ess_employer": ess_employer,
    }  # fmt: skip
    assert document["employees_estimate"] == {
        "all": {"low": employees_all[0], "high": employees_all[1]},
        "ess": {"low": employees_ess[0], "high": employees_ess[1]},
    }


def test_toulouse_at_every_level_and_zone(built):
    for kind, code in [("commune", "31555"), ("epci", "243100518"), ("departement", "31"), ("region", "76")]:
        for zone, expected in TOULOUSE.items():
            document = core_indicators(kind, code, zone)
            assert document["territory"]["kind"] == kind and document["zone"] == zone
            check(document, expected)


def test_france(built):
    check(core_indicators("france", "FR"), (18, 10, families(association=4, cooperative=3, mutuelle=1, fondation=1,
          entreprise_commerciale_ess=1), 3, 3, (10011, None), (10011, None)))  # fmt: skip
    check(core_indicators("france", "FR", "qpv"), (5, 4, families(association=1, cooperative=2,
          entreprise_commerciale_ess=1), 2, 2, (11, 21), (11, 21)))  # fmt: skip


def test_qpv_zones(built):
    qa = built.qa
    check(core_indicators("qpv", qa), TOULOUSE["qpv"])
    check(core_indicators("qpv", qa, "qpv"), TOULOUSE["qpv"])
    check(core_indicators("qpv", qa, "proximite"), TOULOUSE["proximite"])
    check(core_indicators("qpv", qa, "hors_qpv"), (0, 0, NONE, 0, 0, (0, 0), (0, 0)))
    check(core_indicators("qpv", built.qg), (1, 1, families(cooperative=1), 1, 1, (1, 2), (1, 2)))


def test_overseas_departement(built):
    check(core_indicators("departement", "971"), (2, 2, families(cooperative=2), 1, 1, (1, 2), (1, 2)))
    check(
        core_indicators("departement", "971", "proximite"),
        (1, 1, families(cooperative=1), 0, 0, (0, 0), (0, 0)),
    )


def test_paris_arrondissement_ept_and_metropole(built):
    paris = (1, 0, NONE, 0, 0, (0, 0), (0, 0))
    check(core_indicators("commune", "75056"), paris)
    check(core_indicators("commune", "75115"), paris)
    check(core_indicators("commune", "75116"), (0, 0, NONE, 0, 0, (0, 0), (0, 0)))
    ept = Commune.objects.get(code=sc.SAINT_DENIS).ept_id
    check(core_indicators("epci", ept), (1, 1, families(association=1), 0, 0, (0, 0), (0, 0)))
    check(core_indicators("epci", "200054781"), (2, 1, families(association=1), 0, 0, (0, 0), (0, 0)))


def test_release_and_errors(built):
    document = core_indicators("france", "FR")
    assert set(document) >= {"territory", "zone", "release", "establishments", "employees_estimate"}
    assert document["release"]["vintage"]
    with pytest.raises(UnknownTerritory):
        core_indicators("commune", "31999")
    with pytest.raises(CommandError, match="No commune with code '31999'"):
        call_command("indicators", "commune:31999")
    with pytest.raises(UnknownZone):
        core_indicators("france", "FR", "near")
    with pytest.raises(CommandError, match="invalid choice: 'near'"):
        call_command("indicators", "france:FR", "--zone", "near")


def test_command_prints_the_json(built, capsys):
    call_command("indicators", "epci:243100518", "--json", "--zone", "qpv")
    document = json.loads(capsys.readouterr().out)
    assert document["territory"] == {"kind": "epci", "code": "243100518", "name": "Toulouse Métropole"}
    check(document, TOULOUSE["qpv"])
    with pytest.raises(CommandError, match="not a territory identifier"):
        call_command("indicators", "31555", "--json")


def test_the_command_prints_what_the_api_returns(built, client, capsys):
    call_command("indicators", "commune:31555", "--zone", "qpv")
    printed = json.loads(capsys.readouterr().out)
    answered = client.get("/api/v1/territories/commune/31555/indicators?zone=qpv").json()
    # The API's release block adds the citation (current or not, methodology and licence links: diffusion).
    api_release, printed_release = answered.pop("release"), printed.pop("release")
    assert answered == printed
    assert {key: api_release[key] for key in printed_release} == printed_release


def test_no_release_yet(reference):
    with pytest.raises(NoRelease):
        core_indicators("france", "FR")
    with pytest.raises(CommandError, match="No SIRENE release is serving yet"):
        call_command("indicators", "france:FR")


def test_snapshots_rolled_up_from_the_pipeline_equal_the_database_and_live_figures(built):
    """At ingestion the snapshots come from the pipeline's DuckDB tables; recomputed from the database rows they
    are the same, and each equals the live figures of its territory and zone."""
    from essor.observatory.figures import live_figures
    from essor.observatory.models import IndicatorSnapshot
    from essor.observatory.precompute import precompute_release
    from essor.observatory.scope import get_scope
    from essor.sirene.models import Release

    release = Release.objects.active()
    snapshots = IndicatorSnapshot.objects.filter(release=release)
    at_ingestion = {(s.kind, s.code, s.zone): s.data for s in snapshots}
    assert {kind for kind, _, _ in at_ingestion} == {
        "france",
        "region",
        "departement",
        "epci",
        "commune",
        "qpv",
    }
    assert any(zone == "proximite" for kind, _, zone in at_ingestion if kind == "qpv")
    precompute_release(release)
    assert {(s.kind, s.code, s.zone): s.data for s in snapshots.all()} == at_ingestion
    live = {}
    for kind, code, zone in at_ingestion:
        if (kind, code) not in live:
            live[(kind, code)] = live_figures(release, get_scope(kind, code))
        assert live[(kind, code)][zone] == at_ingestion[(kind, code, zone)], (kind, code, zone)
