"""A widget embedded in a partner's page (another origin) sizes itself, in a real browser."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from essor.core.tests.axe import axe_violations
from essor.diffusion import opendata, widgets


@pytest.fixture
def partner_site():
    """A page of another origin (another port on 127.0.0.1) holding whatever HTML the test gives it."""
    state = {"html": ""}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = state["html"].encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _frame_height(page) -> float:
    return page.evaluate("document.querySelector('iframe[data-essor-widget]').getBoundingClientRect().height")


def _content_height(page) -> float:
    widget = next(frame for frame in page.frames if "/widgets/" in frame.url)
    return widget.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")


@pytest.mark.browser
def test_widget_in_another_origin_resizes_itself(page, release, partner_site, settings, live_server):
    settings.SITE_URL = live_server.url
    state, partner_url = partner_site
    widget = widgets.in_language("en", widgets.figures_widget, "epci", "243100518", "Toulouse Métropole")
    code = widgets.embed_code(widget, width=360, height=120)
    state["html"] = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner site</title></head>'
        f"<body><main><h1>A partner's page</h1>{code}<p>After the widget.</p></main></body></html>"
    )
    assert partner_url.split(":")[2] != live_server.url.split(":")[2]  # another port: another origin
    page.set_viewport_size({"width": 1000, "height": 900})
    page.goto(partner_url)
    page.wait_for_function("document.querySelector('iframe[data-essor-widget]').style.height !== ''")
    grown = _frame_height(page)
    assert grown > 120  # taller than the initial height given in the code: it grew to its content
    assert abs(grown - _content_height(page)) <= 1
    widget_frame = next(frame for frame in page.frames if "/widgets/" in frame.url)
    assert widget_frame.locator("h1").inner_text() == "Toulouse Métropole"

    # a narrower page: the figures wrap, the widget grows again
    page.set_viewport_size({"width": 220, "height": 900})
    page.wait_for_function(
        f"document.querySelector('iframe[data-essor-widget]').getBoundingClientRect().height > {grown}"
    )
    narrow = _frame_height(page)
    assert abs(narrow - _content_height(page)) <= 1

    # a message from any other origin (here the partner page itself) is ignored
    page.evaluate("window.postMessage({type: 'essor:resize', height: 60}, '*')")
    page.wait_for_timeout(300)
    assert _frame_height(page) == narrow


PAGES = [
    "/fr/donnees-ouvertes/",
    "/en/donnees-ouvertes/2026-11-01/",
    "/fr/integrer/?widget_kind=figures&territory=epci:243100518",
    "/en/integrer/?widget_kind=figures&territory=Atlantide",
    "/fr/widgets/territoires/epci/243100518/chiffres/",
    "/en/widgets/territoires/epci/243100518/graphiques/families/",
    "/fr/widgets/formations/sessions/",
]


@pytest.mark.browser
def test_diffusion_pages_pass_automated_wcag_checks(page, release):
    opendata.publish(release)
    failures = {}
    for path in PAGES:
        for width in (1200, 375):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(path)
            violations = axe_violations(page)
            if violations:
                failures[f"{path} @{width}"] = violations
    assert not failures, failures
