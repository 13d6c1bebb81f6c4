"""End to end in headless Chromium: a territory's ESS profile, the language switch, the directory filter and
the CSV download."""

import csv
import io
import re

import pytest

from essor.observatory.precompute import precompute_release
from essor.observatory.tests.conftest import build_release, build_territories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_profile_language_directory_filter_and_csv_download(page):
    build_territories()
    precompute_release(build_release())
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto("/fr/territoires/epci/243100518/", wait_until="domcontentloaded")
    section = page.locator("#obs-title")
    assert section.inner_text() == "Économie sociale et solidaire (ESS)"
    assert page.get_by_role("table", name=re.compile("Chiffres clés")).is_visible()
    page.locator("#obs-map .leaflet-marker-pane, #obs-map .leaflet-overlay-pane path").first.wait_for(
        state="attached"
    )

    page.get_by_role("navigation", name="Langue").get_by_role("link", name="EN").click()
    page.wait_for_url(re.compile(r"/en/territoires/epci/243100518/$"), wait_until="domcontentloaded")
    assert page.locator("#obs-title").inner_text() == "Social and solidarity economy (ESS)"
    # The chart is a server-rendered SVG image, in English on the English page.
    chart = page.locator("#chart-families img")
    assert re.search(r"^/en/observatoire/.*/graphiques/families\.svg$", chart.get_attribute("src"))
    svg = page.request.get(chart.get_attribute("src"))
    assert svg.status == 200 and svg.headers["content-type"] == "image/svg+xml"
    assert "Cooperative" in svg.text()

    page.get_by_role("link", name=re.compile("ESS directory: 10 establishments")).click()
    page.wait_for_url(
        re.compile(r"/en/observatoire/territoires/epci/243100518/annuaire/"), wait_until="domcontentloaded"
    )
    page.get_by_label("Family").select_option("cooperative")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"family=cooperative"), wait_until="domcontentloaded")
    assert page.get_by_role("status").inner_text() == "3 establishments"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename == "essor-annuaire-epci-243100518-2026-11-01.csv"
    with open(download.path(), "rb") as handle:
        raw = handle.read()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["siret", "Name", "Family"]
    assert sorted(row[1] for row in rows[1:-1]) == ["Aéro Coop", "Coop du Canal", "Coop du Canal"]
    assert "SIRENE" in rows[-1][0]  # the source and vintage line
    assert errors == []
