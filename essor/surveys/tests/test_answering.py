"""Answering through the invitation link, with Django's test client: pages, conditions, resume, submit, receipt."""

import pytest
from django.core import mail

from essor.surveys.answering import invitation_path
from essor.surveys.models import Answer, Contribution, InvitationStatus, Need
from essor.surveys.tests.factories import make_campaign, make_invitation

pytestmark = pytest.mark.django_db


def page_url(invitation, code, language="fr"):
    return f"/{language}" + invitation_path(invitation)[3:] + f"page/{code}/"


@pytest.fixture
def invitation():
    return make_invitation(make_campaign(), contact_email="ess@toulouse.example.org")


def test_link_opens_the_questionnaire_without_an_account(client, invitation):
    response = client.get(invitation_path(invitation))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Toulouse Métropole" in text and "Besoins d&#x27;ingénierie 2027" in text
    assert response["Cache-Control"].startswith("max-age=0") and "no-store" in response["Cache-Control"]
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.OPENED


def test_tampered_or_revoked_link_is_refused(client, invitation):
    path = invitation_path(invitation)
    assert client.get(path[:-3] + "xx/").status_code == 404
    invitation.key = "rotated"
    invitation.save()
    assert client.get(path).status_code == 404


def test_answer_part_then_resume_in_another_session_then_submit(
    client, invitation, django_capture_on_commit_callbacks
):
    client.post(invitation_path(invitation), {"contributor": "Service ESS"})
    response = client.post(
        page_url(invitation, "p_collectivite"),
        {"respondent_service": "Direction de l'économie", "ess_establishments": "1234", "action": "later"},
    )
    assert response.status_code == 302
    # Somebody else, on another computer (a fresh client), opens the same link: the answers are there.
    from django.test import Client

    other = Client()
    page = other.get(page_url(invitation, "p_collectivite")).content.decode()
    assert 'value="Direction de l&#x27;économie"' in page and 'value="1234"' in page
    # Required question left empty: the page says so, next to the field, and links to it from the summary.
    response = other.post(page_url(invitation, "p_politique"), {"action": "next"})
    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-has_policy"' in text and 'href="#id_has_policy_0"' in text
    assert 'aria-describedby="error-has_policy"' in text and 'aria-invalid="true"' in text
    # Conditions: saying yes to a policy reveals the follow-up questions on the same page.
    response = other.post(page_url(invitation, "p_politique"), {"has_policy": "oui", "action": "next"})
    assert response["Location"].endswith("/page/p_politique/")
    page = other.get(response["Location"]).content.decode()
    assert "Dans quels domaines ?" in page
    other.post(
        page_url(invitation, "p_politique"),
        {
            "has_policy": "oui",
            "policy_areas": ["emploi", "other"],
            "policy_areas_other": "Tourisme",
            "maturity": "3",
            "action": "next",
        },
    )
    other.post(page_url(invitation, "p_scic"), {"scic_member": "non", "action": "next"})
    # Declining a student project skips the page of its details.
    response = other.post(page_url(invitation, "p_projet"), {"project_wanted": "non", "action": "next"})
    assert response["Location"].endswith("/relecture/")
    review = other.get(response["Location"]).content.decode()
    assert "Emploi et insertion; Autre — Tourisme" in review
    with django_capture_on_commit_callbacks(execute=True):
        response = other.post(response["Location"])
    assert response["Location"].endswith("/recu/")
    receipt = other.get(response["Location"]).content.decode()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SUBMITTED
    assert invitation.response.receipt in receipt
    assert (
        mail.outbox[-1].to == ["ess@toulouse.example.org"]
        and invitation.response.receipt in mail.outbox[-1].subject
    )
    assert Contribution.objects.filter(response=invitation.response, contributor="Service ESS").exists()
    assert not Need.objects.exists()
    # Submitted answers cannot be changed any more: pages lead to the receipt.
    assert client.get(page_url(invitation, "p_scic"))["Location"].endswith("/recu/")
    assert Answer.objects.get(response=invitation.response, code="ess_establishments").value == 1234


def test_hidden_questions_lose_their_answer(client, invitation):
    client.get(invitation_path(invitation))
    client.post(page_url(invitation, "p_scic"), {"scic_member": "oui", "action": "next"})
    client.post(page_url(invitation, "p_scic"), {"scic_member": "oui", "scic_count": "2", "action": "next"})
    assert Answer.objects.get(code="scic_count").value == 2
    client.post(page_url(invitation, "p_scic"), {"scic_member": "non", "scic_count": "2", "action": "next"})
    assert Answer.objects.get(code="scic_count").value is None


def test_constraint_message_is_tied_to_its_field(client, invitation):
    client.get(invitation_path(invitation))
    client.post(page_url(invitation, "p_scic"), {"scic_member": "oui", "action": "next"})
    response = client.post(
        page_url(invitation, "p_scic"), {"scic_member": "oui", "scic_count": "0", "action": "next"}
    )
    text = response.content.decode()
    assert 'id="error-scic_count"' in text and "Indiquez au moins 1." in text


def test_student_project_becomes_a_proposed_need(client, invitation):
    client.get(invitation_path(invitation))
    client.post(page_url(invitation, "p_politique"), {"has_policy": "non", "action": "next"})
    client.post(page_url(invitation, "p_scic"), {"scic_member": "non", "action": "next"})
    client.post(page_url(invitation, "p_projet"), {"project_wanted": "oui", "action": "next"})
    client.post(
        page_url(invitation, "p_projet_detail"),
        {
            "project_title": "Diagnostic des tiers-lieux",
            "project_theme": "quartiers",
            "project_schools": ["inet", "master"],
            "project_period": "janvier à juin 2027",
            "action": "next",
        },
    )
    response = client.post(invitation_path(invitation) + "relecture/")
    assert response.status_code == 302
    need = Need.objects.get()
    assert (need.title, need.schools, need.theme, need.status) == (
        "Diagnostic des tiers-lieux",
        ["inet", "master"],
        "quartiers",
        "proposed",
    )


def test_english_labels(client, invitation):
    client.get(invitation_path(invitation))
    text = client.get(page_url(invitation, "p_scic", "en")).content.decode()
    assert "Is your authority a member of one or more SCIC?" in text and "(required)" in text


def test_closed_campaign_says_so(client):
    invitation = make_invitation(make_campaign(open_=False))
    text = client.get(invitation_path(invitation)).content.decode()
    assert "Cette enquête a été close le" in text
