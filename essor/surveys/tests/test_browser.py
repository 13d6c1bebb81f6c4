"""In a real browser, with the keyboard only, in French and English: the team invites an authority, a person opens
the emailed link, answers part of it, a colleague resumes on another device (another browser context), submits,
and the team sees the answer in the analysis and the export. axe checks every survey page on the way."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core import mail

from essor.accounts.models import Role
from essor.accounts.tests.factories import PASSWORD, make_user
from essor.core.tests.axe import axe_violations
from essor.observatory.tests.conftest import build_release, build_territories
from essor.surveys.tests.factories import make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "fr": {
        "start": "Commencer",
        "resume": "Reprendre",
        "later": "Enregistrer et finir plus tard",
        "next": "Enregistrer et continuer",
        "submit": "Envoyer les réponses",
        "saved": "Vos réponses sont enregistrées",
        "done": "Vos réponses ont été envoyées",
        "required": "Merci de répondre à cette question.",
        "csv": "Réponses (CSV)",
        "invite": "Inviter",
        "invited": "1 collectivité invitée",
        "sign_in": "/fr/compte/connexion/",
    },
    "en": {
        "start": "Start",
        "resume": "Resume",
        "later": "Save and finish later",
        "next": "Save and continue",
        "submit": "Submit the answers",
        "saved": "Your answers are saved",
        "done": "Your answers have been submitted",
        "required": "Please answer this question.",
        "csv": "Responses (CSV)",
        "invite": "Invite",
        "invited": "1 authority invited",
        "sign_in": "/en/compte/connexion/",
    },
}


class Audit:
    def __init__(self):
        self.failures = {}

    def __call__(self, page):
        violations = axe_violations(page)
        if violations:
            self.failures[page.url] = violations


def tab_to(page, selector: str, limit: int = 250):
    """Press Tab until the element matching `selector` has the focus (fails if the keyboard cannot reach it)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def press_button(page, text: str, limit: int = 250):
    """Tab until the button saying `text` has the focus, then press Enter."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => [document.activeElement.tagName, document.activeElement.innerText.trim()]"
        )
        if focused == ["BUTTON", text]:
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
    raise AssertionError(f"button {text!r} cannot be reached with the Tab key")


def choose_radio(page, first_id: str, presses: int):
    """Tab into a radio group, then move the choice with the arrow keys (how keyboards use radio buttons)."""
    tab_to(page, f"#{first_id}")
    page.keyboard.press("Space")
    for _ in range(presses):
        page.keyboard.press("ArrowDown")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_invite_answer_resume_submit_analyse_export_with_the_keyboard(_browser, live_server, language):
    build_territories()
    build_release(synthetic=False)
    campaign = make_campaign()
    admin = make_user(role=Role.PROGRAMME_ADMIN, email="admin@example.org", username="admin@example.org")
    words = TEXT[language]
    audit = Audit()
    contexts = []

    def new_page():
        context = _browser.new_context(
            base_url=live_server.url, locale="fr-FR" if language == "fr" else "en-GB", accept_downloads=True
        )
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(60_000)  # a loaded 2-core machine
        return tab

    try:
        # The programme admin signs in and invites Toulouse Métropole by its SIREN, with a contact address.
        team = new_page()
        team.goto(words["sign_in"])
        tab_to(team, "#id_username")
        team.keyboard.type(admin.email)
        tab_to(team, "#id_password")
        team.keyboard.type(PASSWORD)
        with team.expect_navigation():
            team.keyboard.press("Enter")
        team.goto(f"/{language}/enquetes/campagnes/{campaign.slug}/")
        audit(team)
        tab_to(team, "#id_sirens")
        team.keyboard.type("243100518 ess@toulouse.example.org")
        press_button(team, words["invite"])
        assert words["invited"] in team.inner_text("body")
        (message,) = mail.outbox
        link = re.search(r"https?://\S+", message.body).group(0)
        path = "/" + link.split("/", 3)[3]
        path = f"/{language}/" + path.split("/", 2)[2]

        # A first person opens the link (no account), answers part of the first page, and stops.
        first = new_page()
        first.goto(path)
        audit(first)
        tab_to(first, "#id_contributor")
        first.keyboard.type("Service ESS")
        with first.expect_navigation():
            first.keyboard.press("Enter")
        assert first.url.endswith("/page/p_collectivite/")
        audit(first)
        assert first.input_value("#id_ess_establishments") == "10"  # prefilled with the territory's figure
        tab_to(first, "#id_respondent_service")
        first.keyboard.type("Direction de l'économie")
        press_button(first, words["later"])
        assert words["saved"] in first.inner_text("body")

        # A colleague resumes on another device: the answers are there.
        second = new_page()
        second.goto(path)
        press_button(second, words["resume"])
        assert second.input_value("#id_respondent_service") == "Direction de l'économie"
        press_button(second, words["next"])
        # Skipping a required question: the error is announced and tied to the field.
        press_button(second, words["next"])
        assert words["required"] in second.inner_text("main")
        assert second.get_attribute("#id_has_policy_0", "aria-invalid") == "true"
        audit(second)
        choose_radio(second, "id_has_policy_0", 1)  # No
        press_button(second, words["next"])
        choose_radio(second, "id_scic_member_0", 1)  # No
        press_button(second, words["next"])
        audit(second)  # the grid page
        press_button(second, words["next"])
        press_button(second, words["next"])
        choose_radio(second, "id_project_wanted_0", 1)  # No: the project's page is skipped
        press_button(second, words["next"])
        assert second.url.endswith("/relecture/")
        audit(second)
        press_button(second, words["submit"])
        assert words["done"] in second.inner_text("main")
        audit(second)
        receipt = re.search(r"\d{3}-[0-9A-F]{6}", second.inner_text("main")).group(0)
        assert receipt in mail.outbox[-1].subject

        # The team sees it in the analysis and downloads the export.
        team.goto(f"/{language}/enquetes/campagnes/{campaign.slug}/analyse/")
        audit(team)
        submitted = team.inner_text(".status-counts li:nth-child(4)")  # "Submitted : 1" / "Soumis : 1"
        assert re.search(r":\s*1$", submitted.strip()), submitted
        tab_to(team, "a[href$='/export/csv/']")
        with team.expect_download() as download_info:
            team.keyboard.press("Enter")
        content = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(content), delimiter=";"))
        (row,) = rows
        assert row["authority"] == "Toulouse Métropole" and row["status"] == "submitted"
        assert row["respondent_service"] == "Direction de l'économie" and row["has_policy"] == "non"
        assert row["ess_establishments"] == "10" and row["ess_establishments__prefilled"] == "10"
        assert row["receipt"] == receipt
    finally:
        for context in contexts:
            context.close()
    assert not audit.failures, audit.failures
