"""Choosing and inviting authorities: criteria, one invitation each, emails with the signed link, reminders."""

import re

import pytest
from django.core import mail

from essor.accounts.models import Role
from essor.accounts.tests.factories import make_user
from essor.observatory.tests.conftest import build_territories
from essor.surveys.invitations import Target, invite, parse_siren_lines, select_authorities
from essor.surveys.models import InvitationStatus
from essor.surveys.notifications import send_reminders
from essor.surveys.tests.factories import make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    build_territories()
    return make_campaign()


def codes(target):
    return sorted(e.code for e in select_authorities(target))


def test_criteria(campaign):
    assert codes(Target(natures=["METRO"])) == ["200054781", "243100518"]
    assert codes(Target(regions=["84"])) == ["200046977"]
    assert codes(Target(min_population=1_000_000)) == ["200046977", "200054781"]
    assert codes(Target(max_population=50_000)) == ["243100773"]
    assert codes(Target(sirens=["243100518", "243100773"], natures=["CC"])) == ["243100773"]


def test_siren_lines():
    sirens, emails, bad = parse_siren_lines(
        "243100518 a@example.org\n200046977;b@example.org\n\nnot a siren\n12345"
    )
    assert sirens == ["243100518", "200046977"] and emails == {
        "243100518": "a@example.org",
        "200046977": "b@example.org",
    }
    assert bad == ["not a siren", "12345"]


def test_invite_once_per_authority_with_emails(campaign, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = invite(
            campaign, Target(sirens=["243100518", "999999999"]), emails={"243100518": "ess@example.org"}
        )
    assert len(outcome.created) == 1 and outcome.unknown_sirens == ["999999999"]
    invitation = outcome.created[0]
    assert (invitation.authority_name, invitation.nature, invitation.region_code) == (
        "Toulouse Métropole",
        "METRO",
        "76",
    )
    (message,) = mail.outbox
    assert message.to == ["ess@example.org"] and "Toulouse Métropole" in message.body
    link = re.search(r"https?://\S+", message.body).group(0)
    assert "/fr/enquetes/r/" in link
    again = invite(campaign, Target(natures=["METRO"]), send=False)
    assert len(again.created) == 1 and again.existing == 1  # Toulouse is not invited twice


def test_reminders_skip_submitted_and_recent(campaign, django_capture_on_commit_callbacks):
    outcome = invite(
        campaign,
        Target(natures=["METRO", "MET69"]),
        emails={c: f"{c}@example.org" for c in ("243100518", "200046977", "200054781")},
        send=False,
    )
    submitted = next(i for i in outcome.created if i.territory == "epci:200046977")
    submitted.status = InvitationStatus.SUBMITTED
    submitted.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(campaign) == 2
    assert all("Relance" in m.subject for m in mail.outbox) and len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(campaign) == 0  # not twice in a week


def test_invite_form(client, campaign, django_capture_on_commit_callbacks):
    client.force_login(make_user(role=Role.EDITOR))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/fr/enquetes/campagnes/{campaign.slug}/",
            {"sirens": "243100518 ess@example.org", "language": "en"},
            follow=True,
        )
    assert (
        "1 collectivité invitée (1 courriel en attente d&#x27;envoi) ; 0 était déjà invitée."
        in response.content.decode()
    )
    assert mail.outbox[0].subject.startswith("Survey:")
    response = client.post(f"/fr/enquetes/campagnes/{campaign.slug}/", {"language": "fr"})
    assert "Choisissez au moins un critère" in response.content.decode()
