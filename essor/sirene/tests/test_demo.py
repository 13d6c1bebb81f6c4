"""`essor sirene demo`: one synthetic release for all of France, idempotent, never over real data."""

import duckdb
import pytest
from django.core.management import call_command

from essor.sirene import demo
from essor.sirene.models import EssEstablishment, Release
from essor.territories.tests.fixtures import load_reference


@pytest.fixture
def metropoles(db):
    return load_reference(departements=("31", "59", "69"))


def test_demo_loads_one_synthetic_release_and_a_rerun_changes_nothing(metropoles, capsys):
    call_command("sirene", "demo", "--establishments", "3000")
    first = capsys.readouterr().out
    release = Release.objects.active()
    assert release is not None and release.synthetic
    assert "SYNTHETIC" in first and "essor sirene download" in first
    departements = set(
        EssEstablishment.objects.filter(release=release).values_list("departement_code", flat=True)
    )
    assert departements and departements <= {"31", "59", "69"}
    # Only these three départements are in this test's reference: the others are recorded as not covered.
    assert release.coverage == {"departements": ["31", "59", "69"], "sample_rate": 1.0}
    assert demo.TERRITORIES == ("france:FR",)

    call_command("sirene", "demo", "--establishments", "3000")
    assert "nothing changed" in capsys.readouterr().out
    assert Release.objects.count() == 1
    assert Release.objects.active().pk == release.pk


def test_demo_synthesises_every_departement_mainland_and_overseas(metropoles, settings, tmp_path):
    """The demo synthesised three métropoles: 19 of the 22 métropoles and every other territory showed 0."""
    settings.DATA_DIR = tmp_path
    files = demo.ensure_files(establishments=20_000)
    departements = {
        row[0]
        for row in duckdb.sql(
            "SELECT DISTINCT CASE WHEN codeCommuneEtablissement LIKE '97%' THEN left(codeCommuneEtablissement, 3) "
            f"ELSE left(codeCommuneEtablissement, 2) END FROM read_parquet('{files['etablissements']}')"
        ).fetchall()
    }
    overseas = {"971", "972", "973", "974", "976"}
    assert overseas <= departements
    mainland = {code for code in departements if not code.startswith("97")}
    assert len(mainland) == 96 and {"2A", "2B"} <= mainland  # 94 + Corse-du-Sud and Haute-Corse


def test_demo_never_replaces_a_real_release(metropoles, capsys):
    real = Release.objects.create(vintage="2026-10-01", status="ready", is_active=True, synthetic=False)
    call_command("sirene", "demo", "--establishments", "300")
    assert "real SIRENE files is serving" in capsys.readouterr().out
    assert Release.objects.active().pk == real.pk
    assert Release.objects.count() == 1
