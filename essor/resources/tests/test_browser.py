"""In a real browser: the map draws one marker per located experience under the CSP; filters work by keyboard."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_map_draws_markers_and_filters_by_keyboard(page, transactional_db, catalogue):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page.base_url + "/fr/ressources/experiences/carte/")
    page.wait_for_selector("#experience-map[data-markers='1']")
    assert page.locator("#experience-map path.leaflet-interactive").count() == 1
    assert errors == []  # no script error, no CSP violation

    page.goto(page.base_url + "/en/ressources/experiences/")
    page.get_by_label("Search").fill("seminaire")
    page.get_by_label("Search").press("Enter")
    page.wait_for_url("**q=seminaire**")
    assert page.get_by_role("link", name="Séminaire national ESS et politique de la ville").is_visible()
    assert page.get_by_role("link", name="Cross-training in Grésilles").count() == 0
