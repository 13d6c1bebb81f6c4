"""Accent-insensitive French search: what a visitor types finds what they mean."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from essor.resources.models import Resource
from essor.resources.search import apply_search, normalise, query_terms
from essor.resources.tests.factories import ExperienceFactory, ResourceFactory


def test_normalise_strips_accents_ligatures_and_punctuation():
    assert normalise("Économie sociale & solidaire — cœur des quartiers !") == (
        "economie sociale solidaire coeur des quartiers"
    )
    assert query_terms("Les coopératives de l'ESS") == ["cooperative", "ess"]


@given(st.text())
def test_normalise_is_idempotent_and_ascii(text):
    once = normalise(text)
    assert normalise(once) == once
    assert all(ch.isascii() for ch in once)


@pytest.mark.django_db
def test_search_is_accent_insensitive_plural_tolerant_and_requires_every_term():
    scic = ResourceFactory(title_fr="Créer une SCIC avec la collectivité", summary_fr="Société coopérative.")
    locaux = ResourceFactory(title_fr="Locaux d'activité en quartier", summary_fr="Immobilier solidaire.")
    ResourceFactory(title_fr="Autre chose", summary_fr="Rien à voir.")

    def found(query):
        return set(apply_search(Resource.objects.all(), query))

    assert found("collectivite") == {scic}
    assert found("COOPÉRATIVES") == {scic}
    assert found("immobilier quartiers") == {locaux}
    assert found("immobilier scic") == set()
    assert found("") == set(Resource.objects.all())


@pytest.mark.django_db
def test_experience_search_covers_territory_and_carrier():
    dijon = ExperienceFactory(territory_label="Dijon (quartier des Grésilles)", carrier="Régie de quartier")
    ExperienceFactory(territory_label="Lille", carrier="Ville de Lille", summary_fr="Autre.")
    from essor.resources.models import Experience

    assert list(apply_search(Experience.objects.all(), "gresilles regie")) == [dijon]
