"""Territories of experiences and their map points, from the real territorial reference."""

import pytest

from essor.resources import places
from essor.resources.catalogue import load_real_catalogue
from essor.resources.models import Experience
from essor.territories.tests.fixtures import load_reference


@pytest.mark.django_db
def test_labels_are_matched_to_territory_identifiers_and_regions():
    assert places.match_territory("Dijon (quartier des Grésilles)").identifier == "qpv:QN02103M"
    assert places.match_territory("France (quartiers prioritaires)").identifier == "france:FR"
    assert not places.match_territory("Quelque part").matched
    assert places.region_name("44") == "Grand Est"


@pytest.mark.django_db
def test_points_come_from_the_qpv_contours_of_the_territory():
    load_reference(departements=("59", "93"))
    report = load_real_catalogue()
    lille = Experience.objects.get(territory_label="Lille (quartier Fives-Cail)")
    assert 3.0 < lille.longitude < 3.2 and 50.6 < lille.latitude < 50.7
    plaine = Experience.objects.filter(territory_id="epci:200057867").first()
    assert 2.3 < plaine.longitude < 2.5 and 48.9 < plaine.latitude < 49.0
    national = Experience.objects.filter(territory_id="france:FR")
    assert all(e.longitude is None for e in national)
    # Lille x2, Plaine Commune x2, Seine-Saint-Denis x1 are located; the rest (other départements, national) not.
    assert report.without_point == 20 - 5


@pytest.mark.django_db
def test_a_new_label_is_looked_up_in_the_reference_by_its_leading_place_name():
    load_reference(departements=("31",))
    toulouse = places.match_territory("Toulouse (quartier du Mirail)")
    assert (toulouse.identifier, toulouse.region_code) == ("commune:31555", "76")
    assert not places.match_territory("Quelque part en Gascogne").matched
