"""Automated WCAG 2.1 A/AA checks (axe-core, vendored for tests) on the public pages, in headless Chromium.

axe finds what a machine can find (names, labels, contrast, landmarks, ARIA, lang); keyboard use and wording are
checked by people. The script is evaluated through the DevTools protocol, so the site's CSP stays as it is.
"""

import pytest

from essor.core.tests.axe import axe_violations
from essor.territories.tests.fixtures import load_reference

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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


def test_public_pages_pass_automated_wcag_checks(page):
    load_reference(departements=("31",))
    failures = {}
    for path in PAGES:
        page.goto(path)
        if page.locator("[data-map-config]").count():
            page.locator("[data-map-loaded]").first.wait_for()  # audit the drawn map too
        violations = axe_violations(page)
        if violations:
            failures[path] = violations
    assert not failures, failures
