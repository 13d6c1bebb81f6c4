"""/api/v1/docs was a blank page: Swagger UI came from a CDN that the site's own CSP blocks."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

VENDOR = Path(__file__).resolve().parents[1] / "static" / "vendor" / "swagger-ui-dist"


def test_docs_page_loads_swagger_ui_from_the_sites_static_files_only(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/static/") for source in sources), sources
    for source in sources:
        assert finders.find(source.removeprefix("/static/")), f"{source} is not a static file of the project"
    # No inline script may run under the CSP: only the JSON settings block, which points to the schema.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline == [' id="swagger-settings" type="application/json"']
    assert '"url": "/api/v1/openapi.json"' in html
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "cdn" not in csp


def test_vendored_swagger_ui_keeps_its_licence_and_provenance():
    assert "Apache License" in (VENDOR / "LICENSE").read_text()
    readme = (VENDOR / "README.md").read_text()
    assert "registry.npmjs.org/swagger-ui-dist/-/swagger-ui-dist-5.35.0.tgz" in readme


@pytest.mark.browser
def test_docs_page_renders_the_operations_in_a_browser(live_server, page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/api/v1/docs", wait_until="domcontentloaded", timeout=60_000)
    page.wait_for_selector(".opblock", timeout=60_000)
    assert page.locator(".opblock").count() > 10
    assert not [error for error in errors if "Content Security Policy" in error]
