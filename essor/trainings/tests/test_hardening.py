"""Issue 16 §5 and §6: nobody joins a session of an unpublished path (nor gets its webinar link); a participant's
name cannot plant a formula in the operator's attendance sheet."""

import csv
import io

import pytest
from django.urls import reverse

from essor.accounts.models import OrganisationKind, Role
from essor.accounts.tests.factories import OrganisationFactory, make_user
from essor.trainings.models import Registration, RegistrationStatus
from essor.trainings.registration import RegistrationRefused, register
from essor.trainings.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def draft_session():
    session = SessionFactory()
    session.module.path.is_published = False
    session.module.path.save()
    return session


def test_a_member_cannot_register_for_a_session_of_an_unpublished_path(client, mailoutbox):
    session = draft_session()
    member = make_user()
    client.force_login(member)
    response = client.post(reverse("trainings:register", args=[session.pk]))
    assert response.status_code == 404
    assert not Registration.objects.exists()
    assert not any(session.link in message.body for message in mailoutbox)
    assert client.get(reverse("trainings:session_detail", args=[session.pk])).status_code == 404


def test_the_registration_rule_itself_refuses_unpublished_paths():
    session = draft_session()
    with pytest.raises(RegistrationRefused, match="pas ouverte"):
        register(session, make_user())


def test_a_formula_in_a_participant_name_is_neutralised_in_the_attendance_sheet(client):
    operator_org = OrganisationFactory(kind=OrganisationKind.CRESS)
    operator = make_user(role=Role.OPERATOR, organisation=operator_org)
    session = SessionFactory(operator=operator_org)
    attacker = make_user(last_name='=HYPERLINK("http://evil.example","Voir")', first_name="@SUM(1+1)")
    Registration.objects.create(session=session, user=attacker, status=RegistrationStatus.CONFIRMED)
    client.force_login(operator)
    sheet = client.get(reverse("trainings:session_manage", args=[session.pk]) + "?format=csv")
    rows = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    assert rows[1][:2] == ['\'=HYPERLINK("http://evil.example","Voir")', "'@SUM(1+1)"]
