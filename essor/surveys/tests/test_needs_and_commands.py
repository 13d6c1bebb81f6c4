"""The needs board (validated needs only, contact form that never shows an address) and the command line."""

import io
import json

import pytest
from django.core import mail
from django.core.management import call_command

from essor.accounts.models import Role
from essor.accounts.tests.factories import make_user
from essor.surveys.models import Need, NeedStatus, QuestionnaireVersion
from essor.surveys.tests.factories import NEEDS_FILE, make_campaign, make_invitation

pytestmark = pytest.mark.django_db


@pytest.fixture
def need():
    invitation = make_invitation(make_campaign(), contact_email="secret.contact@toulouse.example.org")
    return Need.objects.create(
        invitation=invitation, title="Diagnostic des tiers-lieux", theme="quartiers", schools=["inet"]
    )


def test_board_shows_only_validated_needs(client, need):
    assert "Diagnostic des tiers-lieux" not in client.get("/fr/enquetes/besoins/").content.decode()
    assert client.get(need.get_absolute_url()).status_code == 403
    editor = make_user(role=Role.EDITOR)
    client.force_login(editor)
    client.post(f"/fr/enquetes/besoins/{need.pk}/examen/", {"decision": "publish"})
    client.logout()
    need.refresh_from_db()
    assert need.status == NeedStatus.VALIDATED and need.reviewed_by == editor
    board = client.get("/fr/enquetes/besoins/?school=inet").content.decode()
    assert "Diagnostic des tiers-lieux" in board and "Toulouse Métropole" in board
    assert "Diagnostic des tiers-lieux" not in client.get("/fr/enquetes/besoins/?school=ira").content.decode()
    page = client.get(need.get_absolute_url()).content.decode()
    assert "secret.contact" not in page


def test_contact_form_forwards_without_showing_addresses(client, need, django_capture_on_commit_callbacks):
    need.status = NeedStatus.VALIDATED
    need.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            need.get_absolute_url(),
            {
                "name": "Camille",
                "email": "camille@etudiants.example.org",
                "school": "INET",
                "message": "Bonjour",
            },
            follow=True,
        )
    assert "secret.contact" not in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["secret.contact@toulouse.example.org"] and message.reply_to == [
        "camille@etudiants.example.org"
    ]
    assert "Bonjour" in message.body


def test_commands_list_import_export_round_trip(tmp_path):
    out = io.StringIO()
    call_command("surveys", "import-xlsform", str(NEEDS_FILE), stdout=out)
    assert "besoins-ingenierie v1: new version" in out.getvalue()
    exported = tmp_path / "needs.xlsx"
    call_command(
        "surveys", "export-xlsform", "besoins-ingenierie", "--out", str(exported), stdout=io.StringIO()
    )
    out = io.StringIO()
    call_command("surveys", "import-xlsform", str(exported), stdout=out)
    assert "v1: unchanged" in out.getvalue()  # lossless: the exported file is the same questionnaire
    make_campaign(version=QuestionnaireVersion.objects.get())
    out = io.StringIO()
    call_command("surveys", "list", "--json", stdout=out)
    listing = json.loads(out.getvalue())
    assert listing["questionnaires"][0]["versions"] == [{"number": 1, "frozen": True, "questions": 26}]
    assert listing["campaigns"][0]["slug"] == "besoins-2027"


def test_demo_without_reference_loads_questionnaires_only():
    out = io.StringIO()
    call_command("surveys", "demo", stdout=out)
    assert "no territorial reference loaded" in out.getvalue()
    assert QuestionnaireVersion.objects.count() == 2
