"""Fixtures of the SIRENE tests: a real territorial subset, an isolated data directory, quiet receivers."""

import pytest

from essor.sirene.signals import release_built
from essor.territories.tests.fixtures import load_reference

DEPARTEMENTS = ("31", "75", "93", "971")


@pytest.fixture
def reference(db):
    """Real communes, EPCI/EPT and QPV contours (2024; 2015 for Haute-Garonne) of four départements."""
    return load_reference(departements=DEPARTEMENTS)


@pytest.fixture
def small_reference(db):
    """Haute-Garonne only: enough for tests that do not look at geography."""
    return load_reference(departements=("31",))


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


@pytest.fixture(autouse=True)
def own_receivers_only():
    """Other apps' receivers of `release_built` (the observatory's precomputation) are tested by those apps;
    here only the receivers a test connects itself run."""
    saved = list(release_built.receivers)
    release_built.receivers.clear()
    release_built.sender_receivers_cache.clear()
    yield
    release_built.receivers[:] = saved
    release_built.sender_receivers_cache.clear()
