"""Address lookup through a configurable geocoder (Base Adresse Nationale API shape), tested against a local
server on 127.0.0.1; off by default, when the pages say "coordinates"."""

import http.server
import json
import threading
import urllib.parse

import pytest

from essor.territories import geocoder
from essor.territories.tests.fixtures import module_reference

loaded = module_reference(("31",))

CAPITOLE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [1.3829, 43.6395]},
            "properties": {"label": "12 Rue Example 31100 Toulouse", "score": 0.93},
        }
    ],
}


@pytest.fixture
def ban(settings):
    """A local server answering like api-adresse.data.gouv.fr/search/; records the queries it receives."""
    queries = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # the stdlib's name
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            queries.append(query)
            text = query.get("q", [""])[0]
            if text == "broken":
                body, status = b"<html>oops</html>", 502
            elif "nowhere" in text:
                body, status = json.dumps({"type": "FeatureCollection", "features": []}).encode(), 200
            else:
                body, status = json.dumps(CAPITOLE).encode(), 200
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.GEOCODER_URL = f"http://127.0.0.1:{server.server_port}/search/"
    yield queries
    server.shutdown()
    server.server_close()


def test_geocode_reads_the_ban_answer(ban):
    found = geocoder.geocode("12 rue example toulouse")
    assert (found.lon, found.lat, found.label) == (1.3829, 43.6395, "12 Rue Example 31100 Toulouse")
    assert ban[0]["q"] == ["12 rue example toulouse"] and ban[0]["limit"] == ["1"]
    assert geocoder.geocode("nowhere at all") is None
    with pytest.raises(geocoder.GeocoderUnavailable):
        geocoder.geocode("broken")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_locate_page_finds_the_qpv_of_an_address(client, loaded, db, ban, lang):
    html = client.get(
        f"/{lang}/territoires/localiser/", {"address": "12 rue example toulouse"}
    ).content.decode()
    assert "12 Rue Example 31100 Toulouse" in html
    assert ("Ce point se trouve dans le QPV" if lang == "fr" else "This point is in the QPV") in html
    assert "Barradels" in html
    failed = client.get(f"/{lang}/territoires/localiser/", {"address": "broken"}).content.decode()
    assert ("coordonnées" if lang == "fr" else "coordinates") in failed and "Barradels" not in failed


def test_without_a_geocoder_the_pages_say_coordinates(client, db, settings):
    settings.GEOCODER_URL = ""
    home = client.get("/en/").content.decode()
    assert "Find the QPV of an address" not in home and "(coordinates)" in home
    page = client.get("/en/territoires/localiser/").content.decode()
    assert 'name="address"' not in page and 'name="lon"' in page
