"""Trainings on the pages of the apps below them: the territory page's section (registered through
essor.core.sections) and the training modules listed on a resource's page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from essor.resources.tests.factories import ResourceFactory
from essor.territories.tests.fixtures import load_reference
from essor.trainings.models import Module, SessionFormat, TrainingPath
from essor.trainings.tests.factories import SessionFactory


@pytest.fixture
def reference(db):
    """Haute-Garonne: Toulouse Métropole and its QPVs."""
    load_reference(departements=("31",))


def test_territory_page_suggests_the_next_trainings_reachable_from_it(client, reference):
    """Journey 1: from her neighbourhood's page, a prefect's delegate finds the next session she can attend."""
    soon = timezone.now() + timedelta(days=5)
    SessionFactory(
        format=SessionFormat.IN_PERSON, cress_region="76", starts_at=soon, module__title_fr="Toulouse ESS"
    )
    SessionFactory(format=SessionFormat.WEBINAR, cress_region="84", module__title_fr="Webinaire national")
    SessionFactory(format=SessionFormat.IN_PERSON, cress_region="84", module__title_fr="Lyon seulement")
    SessionFactory(
        cress_region="76", starts_at=timezone.now() - timedelta(days=5), module__title_fr="Déjà passée"
    )
    SessionFactory(cress_region="76", is_cancelled=True, module__title_fr="Annulée")

    page = client.get("/fr/territoires/qpv/QN03104M/").content.decode()
    trainings = page[page.index('id="trainings"') :]
    assert "Toulouse ESS" in trainings and "Webinaire national" in trainings
    for absent in ("Lyon seulement", "Déjà passée", "Annulée"):
        assert absent not in trainings
    assert trainings.index("Toulouse ESS") < trainings.index("Webinaire national")  # soonest first


def test_resource_detail_lists_training_modules(client, db):
    guide = ResourceFactory(slug="guide-scic", title_fr="Guide des SCIC")
    path = TrainingPath.objects.create(slug="parcours", title_fr="Parcours ESS")
    module = Module.objects.create(
        path=path,
        slug="module-1",
        title_fr="Les bases de l'ESS",
        objectives_fr="Comprendre",
        duration_minutes=60,
    )
    module.resources.add(guide)
    page = client.get("/fr/ressources/guide-scic/").content.decode()
    assert "Les bases de l&#x27;ESS" in page
