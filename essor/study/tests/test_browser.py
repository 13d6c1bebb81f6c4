"""A published edition in a real browser: axe finds no WCAG 2.1 A/AA violation in French and English, the tables
stay inside the screen at 375 px, and the figures are reached with the keyboard from the contents."""

import pytest

from essor.core.tests.axe import axe_violations
from essor.observatory.precompute import precompute_release
from essor.observatory.tests.conftest import build_release, build_territories
from essor.study import workflow
from essor.study.tests.conftest import make_edition, user_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_published_edition_is_accessible_and_fits_a_phone(page):
    build_territories()
    precompute_release(build_release())
    editor, admin = user_with("editor"), user_with("programme_admin")
    edition = workflow.publish(workflow.send_for_review(make_edition(), editor), admin)
    for lang in ("fr", "en"):
        page.goto(edition.get_absolute_url().replace("/fr/", f"/{lang}/"))
        assert page.locator("html").get_attribute("lang") == lang
        assert axe_violations(page) == [], lang
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(edition.get_absolute_url())
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0  # wide tables scroll inside their own region, not the page
    page.get_by_role("link", name="Quartiers").first.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#chapter-qpv"
    assert page.get_by_role("figure", name="Figure 3").is_visible()
