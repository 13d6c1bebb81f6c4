"""Test-wide fixtures: each test starts in the default language, and a real browser for end-to-end tests.

Environment defaults for tests are set in essor/core/pytest_env.py, loaded before Django reads its settings.
"""

import os
import shutil

import pytest
from hypothesis import HealthCheck, settings

# Property tests assert rules, not speed: on a loaded 2-core machine (CI, or several suites at once) input generation
# and single examples can be slow, which Hypothesis would otherwise report as failures unrelated to the rule.
settings.register_profile("essor", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("essor")


@pytest.fixture(autouse=True)
def _default_language():
    """A request to /en/ leaves the thread in English; start every test from the site's default language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_caches(request):
    """Caches live as long as the test process: rate-limit counters and cached charts must not leak between tests.

    The default (shared) cache is a database table, outside Django's flush of transactional tests: it is emptied
    once the test's database is set up; a test without database access cannot reach it anyway."""
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    uses_database = (
        request.node.get_closest_marker("django_db") or "_django_db_helper" in request.fixturenames
    )
    for cache in caches.all():
        if isinstance(cache, DatabaseCache):
            if not uses_database:
                continue
            request.getfixturevalue("_django_db_helper")
        cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Accounts are created by the hundred in tests; the production hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    return os.environ.get("ESSOR_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def _browser():
    path = chromium_path()
    if not path:
        if os.environ.get("ESSOR_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (ESSOR_REQUIRE_BROWSER=1) but was not found on PATH.")
        pytest.skip(
            "Debian's chromium is not installed: `apt-get install chromium` to run the browser tests."
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test stay synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(_browser, live_server):
    """A fresh browser tab (own cookies) pointed at the live test server; `page.base_url` is its address."""
    context = _browser.new_context(base_url=live_server.url, locale="fr-FR", accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.base_url = live_server.url
    yield tab
    context.close()
