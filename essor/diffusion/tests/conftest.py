"""The observatory's hand-counted release (Toulouse, Blagnac, Lyon), plus a sole proprietor whose identity must
never be published, and an older kept release for citations and paging."""

import datetime

import pytest

from essor.observatory.tests.conftest import build_release, build_territories
from essor.observatory.tests.factories import EssEstablishmentFactory
from essor.territories.models import Commune, Departement, Epci, Qpv, Region, SearchEntry
from essor.territories.normalize import core_epci_name, normalize_name

PERSON = {
    "name": "Jeanne Martin",
    "address": "12 rue des Lilas",
    "postcode": "31100",
    "legal_category": "1000",
    "lon": 1.401,
    "lat": 43.601,
}


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


def index_names():
    """The search table the territorial loader fills, for the territories the factories made."""
    for kind, model in (
        ("region", Region),
        ("departement", Departement),
        ("epci", Epci),
        ("commune", Commune),
        ("qpv", Qpv),
    ):
        for obj in model.objects.all():
            name = normalize_name(obj.name)
            alt = core_epci_name(name) if kind == "epci" else ""
            SearchEntry.objects.create(
                identifier=f"{kind}:{obj.pk}", kind=kind, code=obj.pk, search_name=name,
                alt_name=alt if alt != name else "", population=obj.population,
            )  # fmt: skip


@pytest.fixture
def territories(db):
    build_territories()
    index_names()


@pytest.fixture
def release(territories, data_dir):
    release = build_release(finished_at=datetime.datetime(2026, 11, 3, 8, 0, tzinfo=datetime.UTC))
    EssEstablishmentFactory(
        release=release,
        commune_code="31555",
        epci_code="243100518",
        departement_code="31",
        region_code="76",
        zone="qpv",
        qpv24_code="QN03104M",
        naf="96.02A",
        naf_division="96",
        naf_section="S",
        family="association",
        **PERSON,
    )
    return release


@pytest.fixture
def older_release(territories, data_dir):
    """A kept, not serving, real release of the previous month."""
    return build_release(
        vintage=datetime.date(2026, 10, 1),
        is_active=False,
        synthetic=False,
        finished_at=datetime.datetime(2026, 10, 3, 8, 0, tzinfo=datetime.UTC),
    )
