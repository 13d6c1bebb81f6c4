"""Operators create and edit their organisation's sessions; times are typed in the session's time zone."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from essor.accounts.models import OrganisationKind, Role
from essor.accounts.tests.factories import OrganisationFactory, make_user
from essor.trainings.models import Session
from essor.trainings.tests.factories import ModuleFactory, SessionFactory

pytestmark = pytest.mark.django_db


def form_data(module, **changes):
    return {
        "module": module.pk,
        "format": "webinar",
        "starts_at": "2031-03-10T10:00",
        "ends_at": "2031-03-10T12:00",
        "timezone": "America/Martinique",
        "place": "",
        "link": "https://visio.example.org/x",
        "capacity": 20,
        "waiting_list": "on",
        "audiences": ["prefect_delegate"],
        "cress_region": "02",
        **changes,
    }


def test_an_operator_creates_a_session_for_their_own_organisation_only(client):
    own, other = OrganisationFactory(kind=OrganisationKind.CRESS), OrganisationFactory()
    module = ModuleFactory()
    client.force_login(make_user(role=Role.OPERATOR, organisation=own))
    response = client.post(reverse("trainings:session_create"), form_data(module, operator=other.pk))
    assert response.status_code == 302
    session = Session.objects.get()
    assert session.operator == own  # the posted operator is ignored
    assert session.starts_at == datetime(2031, 3, 10, 14, 0, tzinfo=UTC)  # 10:00 in Martinique (UTC-4)
    assert session.audiences == ["prefect_delegate"]


def test_the_form_explains_mistakes(client):
    own = OrganisationFactory(kind=OrganisationKind.CRESS)
    client.force_login(make_user(role=Role.OPERATOR, organisation=own))
    response = client.post(
        reverse("trainings:session_create"),
        form_data(ModuleFactory(), link="", ends_at="2031-03-10T09:00", timezone="Mars/Olympus"),
    )
    assert response.status_code == 200 and not Session.objects.exists()
    errors = response.context["form"].errors
    assert "timezone" in errors


def test_an_operator_cannot_edit_another_organisations_session(client):
    session = SessionFactory()
    client.force_login(make_user(role=Role.OPERATOR, organisation=OrganisationFactory()))
    assert client.get(reverse("trainings:session_edit", args=[session.pk])).status_code == 403
    assert (
        client.post(
            reverse("trainings:session_edit", args=[session.pk]), form_data(session.module)
        ).status_code
        == 403
    )
    client.force_login(make_user())
    assert client.get(reverse("trainings:session_create")).status_code == 403


def test_webinar_without_link_and_end_before_start_are_refused(client):
    client.force_login(make_user(role=Role.EDITOR))
    operator = OrganisationFactory()
    response = client.post(
        reverse("trainings:session_create"),
        form_data(ModuleFactory(), operator=operator.pk, link="", ends_at="2031-03-10T09:00"),
    )
    body = response.content.decode()
    assert "Un webinaire a besoin d" in body or "La session doit finir après son début." in body
    assert not Session.objects.exists()
