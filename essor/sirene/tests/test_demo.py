"""`essor sirene demo`: one synthetic release for three métropoles, idempotent, never over real data."""

import pytest
from django.core.management import call_command

from essor.sirene.models import EssEstablishment, Release
from essor.territories.tests.fixtures import load_reference


@pytest.fixture
def metropoles(db):
    return load_reference(departements=("31", "59", "69"))


def test_demo_loads_one_synthetic_release_and_a_rerun_changes_nothing(metropoles, capsys):
    call_command("sirene", "demo", "--establishments", "900")
    first = capsys.readouterr().out
    release = Release.objects.active()
    assert release is not None and release.synthetic
    assert "SYNTHETIC" in first and "essor sirene download" in first
    epcis = set(EssEstablishment.objects.filter(release=release).values_list("epci_code", flat=True))
    assert epcis == {"243100518", "200046977", "200093201"}

    call_command("sirene", "demo", "--establishments", "900")
    assert "nothing changed" in capsys.readouterr().out
    assert Release.objects.count() == 1
    assert Release.objects.active().pk == release.pk


def test_demo_never_replaces_a_real_release(metropoles, capsys):
    real = Release.objects.create(vintage="2026-10-01", status="ready", is_active=True, synthetic=False)
    call_command("sirene", "demo", "--establishments", "300")
    assert "real SIRENE files is serving" in capsys.readouterr().out
    assert Release.objects.active().pk == real.pk
    assert Release.objects.count() == 1
