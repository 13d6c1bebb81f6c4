"""In a real browser: a programme admin goes from the dashboard to a committee, freezes its indicators, opens the
funder report and downloads it; axe finds no WCAG 2.1 AA violation on the steering pages, in French and English."""

import pytest
from django.core.management import call_command

from essor.accounts.models import Role
from essor.accounts.tests.factories import PASSWORD, make_user
from essor.core.tests.axe import axe_violations
from essor.steering.models import Committee, Convention

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email):
    page.goto("/fr/compte/connexion/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def test_admin_freezes_a_committee_and_downloads_the_report(page):
    call_command("steering", "demo")
    admin = make_user(role=Role.PROGRAMME_ADMIN, email="pilote@example.org", username="pilote@example.org")
    sign_in(page, admin.email)
    page.goto("/fr/pilotage/")
    page.get_by_role("heading", name="Tableau de bord du pilotage").wait_for()
    page.click("text=Convention France urbaine – RTES (démonstration)")
    page.click("text=Point intermédiaire France urbaine")
    page.click("text=Figer les indicateurs maintenant")
    page.wait_for_selector("text=Les indicateurs sont figés pour ce comité.")
    assert page.locator("table.indicators tbody tr").count() == 8
    page.goto(Convention.objects.get(reference="ANCT 2020/2022").get_absolute_url())
    page.click("a.button >> text=Rapport au financeur")
    page.wait_for_selector('h1:has-text("Rapport d\'activité")')
    with page.expect_download() as download:
        page.click("text=Télécharger en PDF")
    assert download.value.suggested_filename.endswith(".pdf")
    page.reload()
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")


def test_steering_pages_pass_automated_wcag_checks(page):
    call_command("steering", "demo")
    make_user(role=Role.PROGRAMME_ADMIN, email="pilote@example.org", username="pilote@example.org")
    sign_in(page, "pilote@example.org")
    convention = Convention.objects.get(reference="ANCT 2020/2022")
    committee = Committee.objects.filter(convention=convention).exclude(date=None).first()
    paths = [
        "/fr/pilotage/",
        "/en/pilotage/",
        "/fr/pilotage/feuille-de-route/",
        "/en/pilotage/feuille-de-route/",
        "/fr/pilotage/fiches/3/",
        convention.get_absolute_url(),
        committee.get_absolute_url(),
        f"/fr/pilotage/conventions/{convention.pk}/rapport/",
        f"/en/pilotage/conventions/{convention.pk}/rapport/",
        "/fr/pilotage/journal/",
    ]
    failures = {}
    for path in paths:
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(path)
            violations = axe_violations(page)
            if violations:
                failures[f"{path} @{width}"] = violations
    assert not failures, failures
