"""End to end in headless Chromium: the QPV map draws under the site's CSP, the language switch, the search."""

import re

import pytest

from essor.territories.tests.fixtures import load_reference

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Record CSP violations from the first byte of every page (an init script is not subject to the page's CSP).
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def watched(page):
    page.add_init_script(WATCH_CSP)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.errors = errors
    return page


def csp_violations(page) -> list:
    return page.evaluate("window.__cspViolations")


def test_qpv_page_draws_its_contour_and_switches_language(watched):
    page = watched
    load_reference(departements=("31",))
    page.goto("/fr/territoires/qpv/QN03104M/")
    contour = page.locator("#territory-map .leaflet-overlay-pane path")
    contour.first.wait_for()
    assert contour.count() == 2  # its contour, and (dashed) the 2015 QPV it replaced
    assert page.locator("#territory-map").get_attribute("tabindex") == "0"  # reachable with the keyboard
    assert page.locator("#territory-map-caption").is_visible()  # the text alternative
    assert csp_violations(page) == [] and page.errors == []

    page.get_by_role("navigation", name="Langue").get_by_role("link", name="EN").click()
    page.wait_for_url(re.compile(r"/en/territoires/qpv/QN03104M/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Reference information").is_visible()
    page.locator("#territory-map .leaflet-overlay-pane path").first.wait_for()
    assert csp_violations(page) == [] and page.errors == []


def test_home_search_leads_to_a_territory_page_with_its_qpv_map(watched):
    page = watched
    load_reference(departements=("31",))
    page.goto("/fr/")
    page.get_by_label(re.compile("Rechercher un quartier")).fill("blagnac")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/fr/territoires/\?q=blagnac"))
    page.get_by_role("region", name=re.compile("Communes")).get_by_role("link", name="Blagnac").click()
    page.wait_for_url(re.compile(r"/fr/territoires/commune/31069/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Blagnac"
    # the contours come from the territory's GeoJSON address
    page.locator("#territory-map .leaflet-overlay-pane path").first.wait_for()
    assert (
        page.get_by_role("navigation", name="Fil d'Ariane")
        .get_by_role("link", name="Toulouse Métropole")
        .count()
    )
    assert csp_violations(page) == [] and page.errors == []


def test_locate_page_answers_from_the_api_without_reloading(watched):
    page = watched
    load_reference(departements=("31",))
    page.goto("/en/territoires/localiser/")
    page.get_by_label("Longitude").fill("1.3829")
    page.get_by_label("Latitude").fill("43.6395")
    with page.expect_response(re.compile(r"/api/v1/qpv/locate\?")):
        page.get_by_role("button", name="Find the QPV").click()
    result = page.get_by_role("status").filter(has_text="This point is in the QPV")
    result.get_by_role("link", name="Barradels").wait_for()
    assert page.url.endswith("/en/territoires/localiser/?lon=1.3829&lat=43.6395")
    page.get_by_label("Longitude").fill("1.45")
    page.get_by_label("Latitude").fill("43.70")
    page.get_by_role("button", name="Find the QPV").click()
    outside = page.get_by_role("status").filter(has_text="This point is in no QPV")
    outside.get_by_text(re.compile(r"The nearest QPV is .+, [\d,]+ metres away\.")).wait_for()
    assert csp_violations(page) == [] and page.errors == []


TAB_STOP = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const name = e.getAttribute("aria-label") || e.getAttribute("title") || e.textContent.trim()
    || (e.getAttribute("aria-labelledby") && document.getElementById(e.getAttribute("aria-labelledby")).textContent);
  return {tag: e.tagName, inMap: !!e.closest(".map"), name: (name || "").trim().slice(0, 60)};
}"""


def tab_stops(page, most=250) -> list[dict]:
    stops = []
    for _ in range(most):
        page.keyboard.press("Tab")
        stop = page.evaluate(TAB_STOP)
        if stop is None or (stops and stop == stops[0]):
            break
        stops.append(stop)
    return stops


def test_keyboard_meets_few_named_stops_in_the_map_and_can_skip_it(watched):
    page = watched
    load_reference(departements=("31",))
    page.goto("/fr/territoires/commune/31555/")
    page.locator("#territory-map .leaflet-overlay-pane path").first.wait_for()
    stops = tab_stops(page)
    in_map = [stop for stop in stops if stop["inMap"]]
    # The map itself and its two zoom buttons: the QPV shapes were unnamed stops (25 of 86 on this page).
    assert len(in_map) == 3, in_map
    assert all(stop["name"] for stop in in_map)
    assert page.locator("#territory-map path[tabindex='0']").count() == 0
    # "Skip the map" comes just before the map and takes the focus past it.
    names = [stop["name"] for stop in stops]
    first_in_map = next(index for index, stop in enumerate(stops) if stop["inMap"])
    assert names[first_in_map - 1] == "Passer la carte"
    page.get_by_role("link", name="Passer la carte").first.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert not page.evaluate(TAB_STOP)["inMap"]
