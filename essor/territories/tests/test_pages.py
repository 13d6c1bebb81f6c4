"""Territory pages (search, one page per kind, QPV lookup) in both languages, on the real reference data."""

import json
import re

import pytest

from essor.territories.tests.fixtures import load_reference

LANGUAGES = ["fr", "en"]
# Queries per page: the territory page itself needs at most 10; the rest is left to the observatory section.
MAX_QUERIES = 25


@pytest.fixture
def reference(db):
    """Haute-Garonne: Toulouse Métropole, its QPVs of both generations and their crosswalk."""
    load_reference(departements=("31",))


@pytest.fixture
def wide_reference(db):
    """Plus Paris (arrondissements), Seine-Saint-Denis (EPT) and Rhône (communes déléguées)."""
    load_reference(departements=("31", "69", "75", "93"))


# path, what the page must show (names from the real data), breadcrumbs expected above it
PAGES = [
    ("france/FR", ["Occitanie", "Île-de-France"], []),
    ("region/76", ["Haute-Garonne", "Toulouse Métropole", "Grand Mirail"], ["France"]),
    (
        "departement/31",
        ["Toulouse Métropole", "Blagnac", "Grand Mirail", "Barradels"],
        ["France", "Occitanie"],
    ),
    ("epci/243100518", ["Toulouse", "Blagnac", "Grand Mirail"], ["Occitanie", "Haute-Garonne"]),
    (
        "epci/200054781",
        ["Plaine Commune", "Paris"],
        ["Île-de-France"],
    ),  # Métropole du Grand Paris and its EPTs
    ("epci/200057867", ["Saint-Denis"], ["Métropole du Grand Paris"]),  # an EPT
    ("commune/31555", ["Grand Mirail", "Empalot"], ["Haute-Garonne", "Toulouse Métropole"]),
    ("commune/75056", ["Paris 11e Arrondissement"], ["Île-de-France"]),
    ("commune/75111", ["Paris"], ["Paris"]),  # an arrondissement shows its commune
    ("commune/69015", ["Avenas", "Deux-Grosnes"], ["Rhône", "Deux-Grosnes"]),  # a commune déléguée
    ("qpv/QN03104M", ["Blagnac", "Toulouse Métropole", "QP031004"], ["Toulouse Métropole", "Blagnac"]),
    ("qpv/QP031004", ["QN03104M", "Blagnac"], ["Blagnac"]),  # 2015 -> 2024 crosswalk
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("path", "expected", "crumbs"), PAGES, ids=[page[0] for page in PAGES])
def test_territory_page(
    client, wide_reference, django_assert_max_num_queries, language, path, expected, crumbs
):
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(f"/{language}/territoires/{path}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    for text in expected:
        assert text in html, text
    breadcrumbs = html.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert 'aria-current="page"' in breadcrumbs
    for crumb in crumbs:
        assert f">{crumb}</a>" in breadcrumbs, crumb
    assert f'href="/{language}/territoires/' in breadcrumbs or path == "france/FR"
    other = "en" if language == "fr" else "fr"
    assert f'href="/{other}/territoires/{path}/"' in html  # the language switch stays on the territory


@pytest.mark.parametrize(
    ("language", "labels"),
    [("fr", ["Informations de référence", "Population", "Communes"]), ("en", ["Reference information"])],
)
def test_reference_figures_in_the_page_language(client, reference, language, labels):
    html = client.get(f"/{language}/territoires/epci/243100518/").content.decode()
    for label in labels:
        assert label in html
    number = {"fr": "\u00a0", "en": ","}[language]  # thousands separator of the language
    population = html.split("figure-value")[1]
    assert number in population


def test_qpv_page_embeds_its_contour_for_the_map(client, reference):
    html = client.get("/fr/territoires/qpv/QN03104M/").content.decode()
    config = json.loads(
        html.split('id="territory-map-config" type="application/json">')[1].split("</script>")[0]
    )
    features = {feature["properties"]["code"]: feature for feature in config["contours"]["features"]}
    assert set(features) == {"QN03104M", "QP031004"}  # itself, and the 2015 QPV it replaced (dashed)
    assert features["QN03104M"]["properties"]["highlight"] is True
    assert features["QN03104M"]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    south_west, north_east = config["bounds"]
    assert 43.5 < south_west[0] < north_east[0] < 43.8 and 1.3 < south_west[1] < north_east[1] < 1.5
    assert '<script src="/static/vendor/leaflet/leaflet.js">' in html  # served by the site, no CDN


def test_qpv_2015_page_maps_and_lists_its_2024_successors(client, reference):
    html = client.get("/en/territoires/qpv/QP031004/").content.decode()
    config = json.loads(
        html.split('id="territory-map-config" type="application/json">')[1].split("</script>")[0]
    )
    generations = {
        f["properties"]["code"]: f["properties"]["generation"] for f in config["contours"]["features"]
    }
    assert generations == {"QP031004": 2015, "QN03104M": 2024}
    table = html.split('id="crosswalk"')[1].split("</table>")[0]
    assert 'href="/en/territoires/qpv/QN03104M/"' in table and "%" in table


@pytest.mark.parametrize("language", LANGUAGES)
def test_contours_of_a_territory_as_geojson(client, reference, django_assert_max_num_queries, language):
    with django_assert_max_num_queries(4):
        response = client.get(f"/{language}/territoires/commune/31555/qpv.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.content)
    codes = {feature["properties"]["code"] for feature in collection["features"]}
    assert {"QN03107M", "QN03109M"} <= codes and all(code.startswith("QN") for code in codes)
    assert collection["features"][0]["properties"]["url"].startswith(f"/{language}/territoires/qpv/QN")


def test_national_map_draws_qpv_positions_not_contours(client, reference):
    collection = json.loads(client.get("/fr/territoires/france/FR/qpv.geojson").content)
    assert {feature["geometry"]["type"] for feature in collection["features"]} == {"Point"}


def test_long_lists_are_collapsed(client, reference):
    html = client.get("/fr/territoires/departement/31/").content.decode()
    communes = html.split('id="list-communes"')[1].split("</section>")[0]
    assert "<details>" in communes and "<summary>" in communes


def test_territory_without_qpv_says_so(client, wide_reference):
    html = client.get("/en/territoires/commune/75111/").content.decode()
    assert "There is no priority neighbourhood (QPV 2024) in this territory." in html
    assert "territory-map-config" not in html


@pytest.mark.parametrize(("language", "title"), [("fr", "Page introuvable"), ("en", "Page not found")])
@pytest.mark.parametrize(
    "path",
    ["qpv/QN99999Z", "commune/99999", "epci/123", "planete/terre", "france/DE", "qpv/QN03104M/qpv.geojson/x"],
)
def test_unknown_territory_is_a_clear_404(client, reference, language, title, path):
    response = client.get(f"/{language}/territoires/{path}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert title in html and f'<html lang="{language}">' in html


def test_codes_are_case_insensitive_with_one_address(client, reference):
    response = client.get("/fr/territoires/qpv/qn03104m/")
    assert response.status_code == 301 and response["Location"] == "/fr/territoires/qpv/QN03104M/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_groups_results_by_kind_with_context(
    client, reference, django_assert_max_num_queries, language
):
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(f"/{language}/territoires/", {"q": "toulouse"})
    assert response.status_code == 200
    html = response.content.decode()
    headings = [part.split("<")[0].strip() for part in html.split('<h2 id="results-')[1:]]
    assert [heading.split('">')[1] for heading in headings][:2] == ["EPCI", "Communes"]
    assert f'href="/{language}/territoires/commune/31555/"' in html
    assert "Haute-Garonne (31)" in html  # context: the commune's département


@pytest.mark.parametrize(
    ("language", "text"),
    [("fr", "Aucun territoire ne correspond à « xqzw »."), ("en", "No territory matches “xqzw”.")],
)
def test_search_without_result_gives_a_hint(client, reference, language, text):
    html = client.get(f"/{language}/territoires/", {"q": "xqzw"}).content.decode()
    assert text in html
    assert f'href="/{language}/territoires/france/FR/"' in html


def test_search_page_without_query_explains_what_to_type(client, reference):
    html = client.get("/en/territoires/").content.decode()
    assert "Type the name or the code" in html and 'role="search"' in html


def test_search_by_identifier_goes_straight_to_the_territory(client, reference):
    response = client.get("/fr/territoires/", {"q": "qpv:QN03104M"})
    assert response.status_code == 302 and response["Location"] == "/fr/territoires/qpv/QN03104M/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_locate_page_offers_a_form_and_the_position_button(client, reference, language):
    html = client.get(f"/{language}/territoires/localiser/").content.decode()
    assert 'name="lon"' in html and 'name="lat"' in html and "<label" in html
    assert "data-locate-me" in html and 'data-api-url="/api/v1/qpv/locate"' in html
    assert "/static/territories/locate.js" in html


@pytest.mark.parametrize(
    ("language", "inside", "outside"),
    [
        ("fr", "Ce point se trouve dans le QPV", "Ce point ne se trouve dans aucun QPV"),
        ("en", "This point is in the QPV", "This point is in no QPV"),
    ],
)
def test_locate_without_javascript_answers_on_the_server(
    client, reference, django_assert_max_num_queries, language, inside, outside
):
    with django_assert_max_num_queries(MAX_QUERIES):
        html = client.get(
            f"/{language}/territoires/localiser/", {"lon": "1,3829", "lat": "43.6395"}
        ).content.decode()
    assert inside in html and f'href="/{language}/territoires/qpv/QN03104M/"' in html
    html = client.get(f"/{language}/territoires/localiser/", {"lon": "1.45", "lat": "43.70"}).content.decode()
    assert outside in html
    nearest = html.split(outside)[-1].split("</p>")[1]  # and the nearest QPV, with its distance
    assert f'href="/{language}/territoires/qpv/QN031' in nearest and "m" in nearest


def test_locate_rejects_coordinates_out_of_range(client, reference):
    response = client.get("/en/territoires/localiser/", {"lon": "200", "lat": "abc"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and "errorlist" in html


def test_search_caps_each_kind_and_links_to_the_rest(client, reference):
    html = client.get("/en/territoires/", {"q": "saint"}).content.decode()
    assert "more results of this kind" in html and "kind=commune" in html
    assert html.count('<span class="result-code">') <= 5 * 8  # at most 8 per kind


def test_search_explains_a_query_too_long(client, reference):
    html = client.get("/fr/territoires/", {"q": "x" * 150}).content.decode()
    alert = re.search(r'<ul class="errorlist" role="alert">(.*?)</ul>', html, re.S)
    # The limit and the length typed, in the alert itself (the input's maxlength="100" says nothing to the user).
    assert alert and "100" in alert.group(1) and "150" in alert.group(1), html


def test_a_qpv_2015_contour_can_be_downloaded(client, reference):
    html = client.get("/en/territoires/qpv/QP031004/").content.decode()
    assert 'href="/en/territoires/qpv/QP031004/qpv.geojson" download' in html
    collection = json.loads(client.get("/en/territoires/qpv/QP031004/qpv.geojson").content)
    assert [feature["properties"]["code"] for feature in collection["features"]] == ["QP031004"]


def test_maps_have_no_base_map_unless_one_is_configured(client, reference, settings):
    def config():
        html = client.get("/fr/territoires/commune/31555/").content.decode()
        return json.loads(
            html.split('id="territory-map-config" type="application/json">')[1].split("</script>")[0]
        )

    assert config()["tiles"] is None  # works offline: a plain background
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© example"
    assert config()["tiles"] == {
        "url": "https://tiles.example.org/{z}/{x}/{y}.png",
        "attribution": "© example",
    }
    assert config()["contours_url"] == "/fr/territoires/commune/31555/qpv.geojson"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_france_page_says_how_many_qpv_are_mainland_and_overseas(client, db, language):
    """It said "N QPV 2024 in mainland France" while some of those N were overseas."""
    from essor.territories.models import Qpv

    load_reference(departements=("31", "971"))
    total = Qpv.objects.filter(generation=2024).count()
    overseas = Qpv.objects.filter(generation=2024, departement_id="971").count()
    assert overseas and total > overseas
    html = " ".join(client.get(f"/{language}/territoires/france/FR/").content.decode().split())
    if language == "fr":
        expected = f"{total} au total, {total - overseas} en France métropolitaine (Corse comprise) et {overseas} outre-mer"
    else:
        expected = f"{total} in all, {total - overseas} in mainland France (Corsica included) and {overseas} overseas"
    assert expected in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_page_titles_name_the_territory_and_its_kind_once(client, db, language):
    """The France page was titled "France — France"; other territories keep their kind after the name."""
    load_reference(departements=("31",))
    france = client.get(f"/{language}/territoires/france/FR/").content.decode()
    assert "<title>France · essor</title>" in france
    commune = client.get(f"/{language}/territoires/commune/31555/").content.decode()
    assert re.search(r"<title>Toulouse — commune · essor</title>", commune), re.findall(
        r"<title>.*?</title>", commune, re.S
    )
