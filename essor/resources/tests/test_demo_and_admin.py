"""Demonstration content (labelled, idempotent) and the programme team's back office."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from essor.resources.demo import load_demo_content
from essor.resources.models import Assessment, Collection, Criterion, Experience, Resource
from essor.resources.tests.factories import CriterionFactory, CriterionOptionFactory, ExperienceFactory

pytestmark = pytest.mark.django_db


def test_demo_content_is_labelled_idempotent_and_big_enough(client):
    report = load_demo_content()
    assert Resource.objects.filter(published=True).count() >= 30
    assert Experience.objects.filter(published=True).count() >= 10
    assert Criterion.objects.filter(is_demo=True).count() == 5
    assert Assessment.objects.count() == 20 * 5 and not Assessment.objects.filter(is_demo=False).exists()
    assert Collection.objects.filter(is_demo=True).count() == 3
    assert all(c.items.count() >= 3 for c in Collection.objects.all())
    assert report.counts["assessments created"] == 100
    again = load_demo_content()
    assert again.counts["assessments created"] == 0 and again.counts["assessments unchanged"] == 100
    page = client.get("/fr/ressources/experiences/synthese/").content.decode()
    assert "valeurs de démonstration" in page


def test_demo_scale_follows_the_territory(db):
    load_demo_content()
    national = Experience.objects.filter(territory_id="france:FR").first()
    scale = national.assessments.get(criterion__slug="echelle")
    assert scale.option.value == "nationale"


def test_assessment_validation_messages(db):
    experience, criterion = ExperienceFactory(), CriterionFactory(scale_max=4)
    option = CriterionOptionFactory()
    with translation.override("en"):
        with pytest.raises(ValidationError, match="between 0 and 4"):
            Assessment(experience=experience, criterion=criterion, score=9).full_clean()
        with pytest.raises(ValidationError, match="criterion's options"):
            Assessment(experience=experience, criterion=option.criterion).full_clean()
        with pytest.raises(ValidationError, match="takes an option, not a score"):
            Assessment(experience=experience, criterion=option.criterion, option=option, score=2).full_clean()
    Assessment(experience=experience, criterion=criterion, score=4).full_clean()


@pytest.fixture
def staff_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser(
        "admin@example.org", "admin@example.org", "a-long-pass-1"
    )
    client.force_login(admin)
    return client


def test_admin_lists_filter_search_and_export(staff_client, catalogue):
    for url in (
        "/fr/admin/resources/resource/?kind__exact=guide&q=scic",
        "/fr/admin/resources/experience/?region_code=27",
        f"/fr/admin/resources/collection/{catalogue['collection'].pk}/change/",
        "/fr/admin/resources/criterion/",
        f"/fr/admin/resources/experience/{catalogue['dijon'].pk}/change/",
    ):
        assert staff_client.get(url).status_code == 200, url
    response = staff_client.post(
        "/fr/admin/resources/resource/", {"action": "export_csv", "_selected_action": [catalogue["guide"].pk]}
    )
    assert response["Content-Type"].startswith("text/csv") and b"guide-scic" in response.content


def test_admin_bulk_unpublish_hides_from_public_pages(staff_client, catalogue):
    staff_client.post(
        "/fr/admin/resources/resource/", {"action": "unpublish", "_selected_action": [catalogue["guide"].pk]}
    )
    catalogue["guide"].refresh_from_db()
    assert not catalogue["guide"].published
    assert staff_client.get("/fr/ressources/guide-scic/").status_code == 404


def test_admin_refuses_non_staff(client, catalogue, django_user_model):
    member = django_user_model.objects.create_user("m@example.org", "m@example.org", "a-long-pass-1")
    client.force_login(member)
    response = client.get("/fr/admin/resources/resource/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_load_demo_command(capsys):
    call_command("resources", "load-demo")
    assert "criteria: 5" in capsys.readouterr().out


@pytest.mark.parametrize("language", ["fr", "en"])
def test_pages_with_the_whole_catalogue_keep_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, language
):
    load_demo_content()
    experience = Experience.objects.order_by("pk").first()
    resource = Resource.objects.order_by("pk").first()
    for url in (
        f"/{language}/ressources/",
        f"/{language}/ressources/{resource.slug}/",
        f"/{language}/ressources/collections/",
        f"/{language}/ressources/experiences/",
        f"/{language}/ressources/experiences/{experience.slug}/",
        f"/{language}/ressources/experiences/carte/",
        f"/{language}/ressources/experiences/synthese/",
        f"/{language}/ressources/flux.atom",
    ):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200, url


def test_carrying_organisations_are_linked_by_exact_name(db):
    from essor.accounts.models import Organisation
    from essor.resources.catalogue import load_real_catalogue

    rtes = Organisation.objects.create(name="RTES", kind="network")
    load_real_catalogue()
    carried = Experience.objects.get(carrier="RTES")
    assert list(carried.carrying_organisations.all()) == [rtes]
    assert rtes.carried_experiences.count() == 2  # also "RTES ; CRESS Grand Est"
