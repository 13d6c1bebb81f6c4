"""A person's trainings data through their account: the GDPR export, the deletion of the account, the dashboard
(the trainings' part is registered with essor.accounts.personal_data; accounts, below, never imports trainings)."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from essor.accounts.models import Profile
from essor.accounts.tests.factories import PASSWORD, make_user
from essor.trainings.models import Evaluation, Registration, RegistrationStatus
from essor.trainings.registration import register
from essor.trainings.tests.factories import SessionFactory, past_session

pytestmark = pytest.mark.django_db


def test_personal_data_export_holds_the_persons_data_only(client):
    person, other = make_user(first_name="Zoé"), make_user(first_name="Xavier")
    session = SessionFactory()
    register(session, person)
    register(session, other)
    client.force_login(person)
    response = client.get(reverse("accounts:export"))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == person.email and data["account"]["first_name"] == "Zoé"
    assert len(data["registrations"]) == 1 and data["registrations"][0]["status"] == "confirmed"
    assert other.email not in response.content.decode()


def test_deleting_the_account_removes_personal_data_and_keeps_anonymous_scores(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    person = make_user()
    past = past_session()
    attended = Registration.objects.create(
        session=past,
        user=person,
        status=RegistrationStatus.CONFIRMED,
        attended=True,
        audience="prefect_delegate",
    )
    Evaluation.objects.create(
        registration=attended,
        session=past,
        satisfaction=5,
        usefulness=4,
        comments="Mon nom est Zoé",
        knowledge_before=2,
        knowledge_after=4,
    )
    upcoming = SessionFactory(capacity=1)
    register(upcoming, person)
    waiting = make_user()
    register(upcoming, waiting)

    client.force_login(person)
    refused = client.post(reverse("accounts:delete"), {"password": "wrong", "confirm": "on"})
    assert "incorrect" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302

    assert not get_user_model().objects.filter(pk=person.pk).exists()
    assert not Profile.objects.filter(user_id=person.pk).exists()
    attended.refresh_from_db()
    assert attended.user is None and attended.audience == "prefect_delegate" and attended.attended
    evaluation = Evaluation.objects.get()
    assert evaluation.satisfaction == 5 and evaluation.comments == ""
    # The freed place went to the person waiting, who was told.
    assert upcoming.registrations.get(user=waiting).status == RegistrationStatus.CONFIRMED
    assert [m.to for m in mailoutbox] == [[waiting.email]]


def test_dashboard_needs_sign_in_and_shows_own_registrations_only(client):
    assert client.get(reverse("accounts:dashboard")).status_code == 302
    person, other = make_user(), make_user()
    mine, theirs = (
        SessionFactory(module__title_fr="Module à moi"),
        SessionFactory(module__title_fr="Module à eux"),
    )
    register(mine, person)
    register(theirs, other)
    client.force_login(person)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Module à moi" in page and "Module à eux" not in page


def test_dashboard_lists_upcoming_sessions_soonest_first_and_past_ones_latest_first(client):
    from datetime import timedelta

    from django.utils import timezone

    person = make_user()
    now = timezone.now()
    for title, days in (("Dans trois semaines", 21), ("Demain", 1), ("Dans dix jours", 10)):
        register(SessionFactory(module__title_fr=title, starts_at=now + timedelta(days=days),
                                ends_at=now + timedelta(days=days, hours=2)), person)  # fmt: skip
    client.force_login(person)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    positions = [page.index(title) for title in ("Demain", "Dans dix jours", "Dans trois semaines")]
    assert positions == sorted(positions)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_evaluation_page_names_the_module_evaluated(client, lang):
    person = make_user()
    session = past_session(
        module__title_fr="Commande publique responsable", module__title_en="Responsible procurement"
    )
    registration = Registration.objects.create(
        session=session, user=person, status=RegistrationStatus.CONFIRMED, attended=True
    )
    client.force_login(person)
    html = client.get(f"/{lang}" + reverse("trainings:evaluate", args=[registration.pk])[3:]).content.decode()
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    name = "Commande publique responsable" if lang == "fr" else "Responsible procurement"
    assert name in title and name in html.split("<h1>", 1)[1].split("</h1>", 1)[0]
