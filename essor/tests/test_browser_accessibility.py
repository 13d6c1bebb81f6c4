"""Automated WCAG 2.1 A/AA checks (axe-core, vendored for tests) on the public pages, in headless Chromium.

axe finds what a machine can find (names, labels, contrast, landmarks, ARIA, lang); keyboard use and wording are
checked by people. The script is evaluated through the DevTools protocol, so the site's CSP stays as it is.
"""

from pathlib import Path

import pytest

from essor.territories.tests.fixtures import load_reference

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parents[1] / "core" / "tests" / "vendor" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = [
    "/fr/",
    "/en/",
    "/fr/territoires/?q=toulouse",
    "/fr/territoires/?q=xqzw",
    "/fr/territoires/qpv/QP031004/",
    "/en/territoires/epci/243100518/",
    "/fr/territoires/departement/31/",
    "/fr/territoires/localiser/?lon=1.3829&lat=43.6395",
    "/fr/glossaire/",
    "/en/methodologie/",
    "/fr/territoires/commune/99999/",  # the 404 page
]
RUN_AXE = """async (rules) => {
  const result = await axe.run(document, {runOnly: rules});
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`);
}"""


def test_public_pages_pass_automated_wcag_checks(page):
    load_reference(departements=("31",))
    axe_source = AXE.read_text(encoding="utf-8")
    failures = {}
    for path in PAGES:
        page.goto(path)
        if page.locator("[data-map-config]").count():
            page.locator("[data-map-loaded]").first.wait_for()  # audit the drawn map too
        page.evaluate(axe_source + ";undefined")
        violations = page.evaluate(RUN_AXE, RULES)
        if violations:
            failures[path] = violations
    assert not failures, failures
