"""Citations that stay true (`?release=` on pages and charts, permalinks naming the release), schema.org Event on
session pages, sitemap.xml and robots.txt."""

import html
import json
import xml.etree.ElementTree as ET

import pytest

from essor.diffusion import opendata
from essor.observatory.tests.factories import EstablishmentCountFactory
from essor.trainings.tests.factories import SessionFactory

PAGE = "/{lang}/territoires/epci/243100518/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_a_territory_page_gives_a_permalink_naming_its_release(client, release):
    page = html.unescape(client.get(PAGE.format(lang="en")).content.decode())
    assert 'href="/en/territoires/epci/243100518/?release=2026-11-01#obs-title"' in page
    assert "permalink to the release of Nov. 1, 2026" in page
    assert "kept so that citations stay true" not in page


def test_release_parameter_shows_a_kept_older_release_on_the_page(client, release, older_release):
    EstablishmentCountFactory(
        release=older_release, commune_code="31555", zone="hors_qpv", naf_division="88",
        is_ess=True, family="association", establishments=7,
    )  # fmt: skip
    current = html.unescape(client.get(PAGE.format(lang="fr")).content.decode())
    older = html.unescape(client.get(PAGE.format(lang="fr") + "?release=2026-10-01").content.decode())
    assert '<span class="figure-value">10</span>' in current
    assert '<span class="figure-value">17</span>' in older
    assert "conservé pour que les citations restent vraies" in older
    assert 'href="/fr/territoires/epci/243100518/">Voir le millésime courant' in older
    # its charts and the zone form keep the release
    assert "graphiques/families.svg?release=2026-10-01" in older
    assert '<input type="hidden" name="release" value="2026-10-01">' in older
    chart = client.get(
        "/fr/observatoire/territoires/epci/243100518/graphiques/families.svg?release=2026-10-01"
    )
    assert chart.status_code == 200 and chart["Content-Type"] == "image/svg+xml"


def test_a_pruned_release_in_a_permalink_says_so(client, release):
    page = html.unescape(client.get(PAGE.format(lang="en") + "?release=2020-01-01").content.decode())
    assert (
        "The release of 2020-01-01 is no longer kept: these are the figures of the current release." in page
    )
    assert '<span class="figure-value">10</span>' in page


def test_session_page_describes_a_schema_org_event(client, territories):
    session = SessionFactory(module__title_en="ESS basics for delegates", capacity=12)
    page = client.get(f"/en/formations/sessions/{session.pk}/").content.decode()
    start = page.index('<script type="application/ld+json"')
    data = json.loads(page[page.index(">", start) + 1 : page.index("</script>", start)])
    assert data["@type"] == "EducationEvent" and data["name"] == "ESS basics for delegates"
    assert data["startDate"].startswith(session.local_start().strftime("%Y-%m-%dT%H:%M"))
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"]["@type"] == "VirtualLocation"
    assert "visio.example.org" not in json.dumps(data)  # the connection link stays private
    assert data["remainingAttendeeCapacity"] == 12


def test_robots_points_to_the_sitemap_and_keeps_private_areas_out(client, db):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /fr/compte/" in text and "Disallow: /en/admin/" in text


def test_sitemap_lists_pages_territories_and_open_data_in_both_languages(client, release):
    opendata.publish(release)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert "http://testserver/sitemap-territories.xml" in sections
    urls = set()
    for section in sections:
        response = client.get(section.removeprefix("http://testserver"))
        assert response.status_code == 200
        urls |= {loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")}
    for path in (
        "territoires/epci/243100518/",
        "territoires/qpv/QN03104M/",
        "donnees-ouvertes/2026-11-01/",
        "methodologie/",
    ):
        assert f"http://testserver/fr/{path}" in urls and f"http://testserver/en/{path}" in urls
    territories = client.get("/sitemap-territories.xml").content.decode()
    assert 'hreflang="en" href="http://testserver/en/territoires/commune/31555/"' in territories


@pytest.mark.parametrize("path", ["/sitemap.xml", "/robots.txt", "/catalog.jsonld"])
def test_machine_readable_addresses_are_not_language_prefixed(client, db, path):
    assert client.get(path).status_code == 200
