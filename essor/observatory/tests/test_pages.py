"""Observatory pages in both languages, with query-count ceilings (no N+1) and what a visitor should see."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from essor.observatory.tests.factories import EssEstablishmentFactory, ReleaseFactory
from essor.sirene.models import Release

LANGUAGES = ["fr", "en"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_fact_sheet_of_an_epci(client, precomputed, lang, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        response = client.get(f"/{lang}/observatoire/territoires/epci/243100518/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Toulouse Métropole" in html and "Occitanie" in html and "France" in html
    # Headline and inside/outside table in the page's number format: 10 ESS establishments of 51 (19.6 %).
    assert ("19,6\u00a0%" if lang == "fr" else "19.6%") in html
    # ESS employees, low estimate: 12 + 6 + 10000 = 10,018 (with the language's thousands separator).
    assert (re.search(r"10.018", html) and "10,018" not in html) if lang == "fr" else "10,018" in html
    assert (
        "Données de démonstration synthétiques" if lang == "fr" else "Synthetic demonstration data"
    ) in html
    assert "/observatoire/territoires/epci/243100518/annuaire/" in html
    for chart in ("families", "sectors", "bands", "creations", "zones"):
        assert f"graphiques/{chart}.svg" in html
    assert 'id="obs-map-config"' in html


def test_fact_sheet_of_a_qpv_has_no_inside_outside_table(client, precomputed):
    html = client.get("/en/observatoire/territoires/qpv/QN03104M/").content.decode()
    assert "Inside and outside the QPVs" not in html
    assert "Toulouse Métropole" in html  # the reference territory column


def test_zone_choice_changes_the_figures(client, precomputed):
    html = client.get("/en/observatoire/territoires/commune/31555/", {"zone": "qpv"}).content.decode()
    assert "Headline figures (Inside a QPV)" in html
    assert re.search(r'<span class="figure-value">4</span> ESS establishments', html)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_empty_state_without_release(client, territories, lang):
    html = client.get(f"/{lang}/observatoire/territoires/epci/243100518/").content.decode()
    assert "essor sirene ingest" in html
    assert client.get(f"/{lang}/observatoire/metropoles/").status_code == 200


def test_unknown_territory_is_a_404(client, precomputed):
    assert client.get("/fr/observatoire/territoires/epci/999999999/").status_code == 404


@pytest.mark.parametrize("name", ["families", "sectors", "bands", "creations", "zones"])
def test_charts_are_svg(client, precomputed, name, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get(f"/fr/observatoire/territoires/commune/31555/graphiques/{name}.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")


def test_chart_numbers_follow_the_language(client, precomputed):
    # Labels and titles in the page's language.
    french = client.get("/fr/observatoire/territoires/france/FR/graphiques/families.svg").content.decode()
    english = client.get("/en/observatoire/territoires/france/FR/graphiques/families.svg").content.decode()
    assert "Coopérative" in french and "Cooperative" in english


@pytest.mark.parametrize("lang", LANGUAGES)
def test_directory_page_filters_sorts_and_paginates(client, precomputed, lang, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get(
            f"/{lang}/observatoire/territoires/epci/243100518/annuaire/", {"family": "cooperative"}
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Coop du Canal" in html and "Aéro Coop" in html and "Les Amis du Mirail" not in html
    assert ("3 établissements" if lang == "fr" else "3 establishments") in html
    assert "annuaire.csv?family=cooperative" in html


def test_directory_pagination(client, precomputed):
    for index in range(60):
        EssEstablishmentFactory(release=precomputed, name=f"Zèbre {index:02d}")
    first = client.get("/en/observatoire/territoires/commune/31555/annuaire/").content.decode()
    assert "Page 1 of 2" in first and "page=2" in first
    second = client.get("/en/observatoire/territoires/commune/31555/annuaire/", {"page": 2}).content.decode()
    assert "Zèbre 59" in second and "Les Amis du Mirail" not in second


def _counting_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if re.search(r"COUNT\(|DISTINCT", q["sql"], re.I)]


def test_directory_counts_a_release_once_and_a_new_release_afresh(client, precomputed):
    """A directory's COUNT and its list of sectors read every row of the territory (~2 M for France): computed
    once per release, never again on the next page views; a newly switched-in release is counted afresh."""
    url = "/en/observatoire/territoires/epci/243100518/annuaire/"
    with CaptureQueriesContext(connection) as first:
        html = client.get(url).content.decode()
    assert "10 establishments" in html and 'value="88"' in html
    with CaptureQueriesContext(connection) as again:
        html = client.get(url).content.decode()
    assert "10 establishments" in html and 'value="88"' in html
    assert len(_counting_queries(first)) == 2 and _counting_queries(again) == []
    # A filter is another selection, counted on its own.
    assert "3 establishments" in client.get(url, {"family": "cooperative"}).content.decode()

    Release.objects.filter(pk=precomputed.pk).update(is_active=False)
    newer = ReleaseFactory(vintage=datetime.date(2026, 12, 1))
    EssEstablishmentFactory.create_batch(2, release=newer, naf="94.99Z", naf_section="S")
    html = client.get(url).content.decode()
    assert "2 establishments" in html and 'value="94"' in html and 'value="88"' not in html


def test_directory_api_count_follows_the_filters(client, precomputed):
    url = "/api/v1/territories/epci/243100518/establishments"
    assert client.get(url).json()["count"] == 10
    assert client.get(url, {"family": "cooperative"}).json()["count"] == 3
    assert client.get(url).json()["count"] == 10


def test_directory_rejects_bad_filters(client, precomputed):
    assert (
        client.get("/fr/observatoire/territoires/epci/243100518/annuaire/", {"zone": "moon"}).status_code
        == 400
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_establishment_page(client, precomputed, lang, django_assert_max_num_queries):
    siret = precomputed.ess_establishments.get(name="Aéro Coop").siret
    with django_assert_max_num_queries(6):
        response = client.get(f"/{lang}/observatoire/etablissements/{siret}/")
    html = response.content.decode()
    assert "Aéro Coop" in html and siret in html and "30.30Z" in html
    expected = r"10.000 salariés ou plus" if lang == "fr" else r"10,000 or more employees"
    assert re.search(expected, html)
    assert client.get(f"/{lang}/observatoire/etablissements/00000000000000/").status_code == 404


def test_sole_proprietor_page_hides_the_person(client, precomputed):
    EssEstablishmentFactory(
        release=precomputed,
        siret="12345678900011",
        name="Jeanne Martin",
        legal_category="1000",
        address="3 impasse des Lilas",
    )
    html = client.get("/fr/observatoire/etablissements/12345678900011/").content.decode()
    assert "Jeanne" not in html and "Lilas" not in html
    points = client.get("/fr/observatoire/territoires/commune/31555/carte.geojson").json()
    assert all("Jeanne" not in feature["properties"]["name"] for feature in points["features"])


def test_map_points(client, precomputed, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        body = client.get("/fr/observatoire/territoires/epci/243100518/carte.geojson").json()
    assert len(body["features"]) == 10
    assert body["features"][0]["properties"]["url"].startswith("/fr/observatoire/etablissements/")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_benchmark_page_is_sortable(client, precomputed, lang, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get(f"/{lang}/observatoire/metropoles/", {"sort": "name", "order": "asc"})
    html = response.content.decode()
    names = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', html)
    assert names == ["Métropole de Lyon", "Métropole du Grand Paris", "Toulouse Métropole"]
    assert 'aria-sort="ascending"' in html
    assert "sort=name&amp;order=desc" in html  # clicking the sorted column reverses it
    assert "metropoles.csv?sort=name&amp;order=asc" in html


def test_benchmark_page_picks_epcis(client, precomputed):
    html = client.get("/en/observatoire/metropoles/", {"nature": "CC"}).content.decode()
    assert "CC des Coteaux" in html and "Toulouse Métropole" not in html
    html = client.get("/en/observatoire/metropoles/", {"nature": "XX"}).content.decode()
    assert "Invalid parameter" in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_establishment_creation_date_is_written_in_the_pages_language(client, precomputed, lang):
    """French pages showed ISO dates (2019-03-12)."""
    import datetime

    EssEstablishmentFactory(
        release=precomputed, siret="55555555500015", created_on=datetime.date(2019, 3, 12)
    )
    html = client.get(f"/{lang}/observatoire/etablissements/55555555500015/").content.decode()
    assert ("12 mars 2019" if lang == "fr" else "March 12, 2019") in html
    assert ">2019-03-12<" not in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_qpv_directory_link_counts_what_the_directory_lists_and_its_naf_filter_offers_every_sector(
    client, precomputed, lang
):
    """The QPV page said "Directory (1)" for a directory of 4 (inside and around), and the NAF filter offered
    only the sectors of the first page."""
    EssEstablishmentFactory(
        release=precomputed, siret="77777777700017", zone="proximite", near_qpv24_code="QN03104M",
        commune_code="31555", epci_code="243100518", departement_code="31", region_code="76",
        naf="93.12Z", naf_division="93", naf_section="R",
    )  # fmt: skip
    listed = client.get("/api/v1/territories/qpv/QN03104M/establishments").json()["count"]
    page = client.get(f"/{lang}/observatoire/territoires/qpv/QN03104M/").content.decode()
    html = " ".join(unescape(page).split())
    if lang == "fr":
        assert f"Annuaire de l'ESS : {listed} établissements dans ce QPV ou à moins de 300 m" in html
    else:
        assert f"ESS directory: {listed} establishments inside this QPV or within 300 m of it" in html
    directory = client.get(
        f"/{lang}/observatoire/territoires/qpv/QN03104M/annuaire/?division=88"
    ).content.decode()
    options = re.findall(r'<option value="(\d\d)"', directory)
    assert {"88", "93"} <= set(options)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_naf_labels_in_the_page_language(client, precomputed, lang):
    """English pages name NAF divisions with Eurostat's NACE Rev. 2 English labels (no French left)."""
    html = client.get(f"/{lang}/observatoire/territoires/epci/243100518/").content.decode()
    directory = client.get(f"/{lang}/observatoire/territoires/epci/243100518/annuaire/").content.decode()
    english, french = "Social work activities without accommodation", "Action sociale sans hébergement"
    for page in (html, directory):
        assert (english if lang == "en" else french) in page
        assert (french if lang == "en" else english) not in page
