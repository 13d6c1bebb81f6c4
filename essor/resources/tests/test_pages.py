"""Public pages in both languages: lists, filters, details, map, synthesis, exports; bounded query counts."""

import csv
import io
import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    "path",
    [
        "",
        "collections/",
        "collections/premiers-pas/",
        "guide-scic/",
        "experiences/",
        "experiences/dijon/",
        "experiences/carte/",
        "experiences/synthese/",
    ],
)
def test_every_page_answers_in_both_languages_with_few_queries(
    client, catalogue, django_assert_max_num_queries, language, path
):
    with django_assert_max_num_queries(14):
        response = client.get(f"/{language}/ressources/{path}")
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


def test_resource_list_filters_and_search(client, catalogue):
    page = client.get("/fr/ressources/").content.decode()
    assert "Guide des SCIC" in page and "Vidéo : des locaux" in page and "Brouillon" not in page
    page = client.get("/fr/ressources/?audience=prefect_delegate").content.decode()
    assert "Vidéo : des locaux" in page and "Guide des SCIC" not in page
    page = client.get("/fr/ressources/?theme=scic-cooperatives&kind=guide&language=en").content.decode()
    assert "Guide des SCIC" in page and "Vidéo : des locaux" not in page
    page = client.get("/fr/ressources/?q=SCÏC").content.decode()
    assert "1 ressource" in page
    page = client.get("/fr/ressources/?q=introuvable").content.decode()
    assert "Aucune ressource ne correspond" in page


def test_english_page_shows_english_content_and_marks_french_fallback(client, catalogue):
    page = client.get("/en/ressources/").content.decode()
    assert "SCIC guide" in page
    # The video has no English title: shown in French, marked as such for screen readers.
    assert 'lang="fr">Vidéo : des locaux en quartier' in page
    assert "Demonstration" in page


def test_invalid_filter_is_reported_not_crashing(client, catalogue):
    response = client.get("/en/ressources/experiences/?year_from=2020&year_to=2010")
    assert response.status_code == 200
    assert "The start year must not be after the end year." in response.content.decode()
    response = client.get("/fr/ressources/?kind=podcast")
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()


def test_pagination(client, db):
    from essor.resources.tests.factories import ResourceFactory

    ResourceFactory.create_batch(25)
    first = client.get("/en/ressources/").content.decode()
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = client.get("/en/ressources/?page=2").content.decode()
    assert "Page 2 of 2" in second and 'rel="prev"' in second


def test_resource_detail_lists_experiences_and_modules_using_it(client, catalogue):
    page = client.get("/en/ressources/guide-scic/").content.decode()
    assert "Cross-training in Grésilles" in page
    assert "No training module uses this resource yet." in page
    assert client.get("/fr/ressources/brouillon/").status_code == 404


def test_experience_filters_by_region_audience_format_and_period(client, catalogue):
    def titles(query):
        return client.get(f"/fr/ressources/experiences/?{query}").content.decode()

    assert "2 expériences" in titles("")  # French plural (gettext's French has three plural forms)
    assert "Grésilles" in titles("region=27") and "Séminaire national" not in titles("region=27")
    assert "Séminaire national" in titles("region=national")
    assert "Séminaire national" not in titles("audience=prefect_delegate")
    assert "Grésilles" not in titles("format=exchange")
    # An ongoing experience (2015-) overlaps 2024; the 2019 one does not.
    page = titles("year_from=2024")
    assert "Séminaire national" in page and "Grésilles" not in page
    assert "Grésilles" in titles("q=gresilles")


def test_experience_detail_shows_the_analysis_grid(client, catalogue):
    page = client.get("/en/ressources/experiences/dijon/").content.decode()
    assert "Mix of institutions" in page and "4 out of 4" in page
    assert "Evaluation report" in page
    assert '<th scope="row">' in page and "<caption>" in page


def test_map_passes_located_experiences_as_json(client, catalogue):
    response = client.get("/fr/ressources/experiences/carte/")
    page = response.content.decode()
    start = page.index('id="experience-points"')
    data = json.loads(page[page.index(">", start) + 1 : page.index("</script>", start)])
    assert [p["title"] for p in data] == ["Formation croisée aux Grésilles"]
    assert data[0]["lon"] == 5.05
    assert "non (nationale)" in page
    assert "<script>" not in page  # CSP: no inline script


def test_synthesis_counts_and_csv(client, catalogue):
    page = client.get("/en/ressources/experiences/synthese/").content.decode()
    assert "Experiences by région" in page and "Bourgogne-Franche-Comté" in page and "National" in page
    assert "Mean score: 3.0" in page
    rows = list(
        csv.DictReader(io.StringIO(client.get("/en/ressources/experiences/synthese.csv").content.decode()))
    )
    region = {r["key"]: int(r["count"]) for r in rows if r["table"] == "region"}
    assert region == {"27": 1, "national": 1}
    grid = {r["key"]: int(r["count"]) for r in rows if r["table"] == "criterion-croisement"}
    assert grid == {"0": 0, "1": 0, "2": 1, "3": 0, "4": 1}


def test_csv_exports_follow_filters_and_carry_the_grid(client, catalogue):
    response = client.get("/fr/ressources/export.csv?audience=local_authority")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["slug"] for r in rows] == ["guide-scic"]
    assert rows[0]["themes"] == "scic-cooperatives"
    rows = list(
        csv.DictReader(io.StringIO(client.get("/fr/ressources/experiences/export.csv").content.decode()))
    )
    dijon = next(r for r in rows if r["slug"] == "dijon")
    assert dijon["grid:croisement"] == "4" and dijon["grid:evaluation"] == "rapport"


def test_empty_catalogue_pages_show_empty_states(client, db):
    assert "Aucune ressource" in client.get("/fr/ressources/").content.decode()
    assert "No experience matches" in client.get("/en/ressources/experiences/").content.decode()
    assert client.get("/en/ressources/experiences/synthese/").status_code == 200
    assert (
        "No collection has been published yet." in client.get("/en/ressources/collections/").content.decode()
    )


def test_csv_cells_that_look_like_formulas_are_neutralised(client, db):
    from essor.resources.tests.factories import ResourceFactory

    ResourceFactory(slug="piege", title_fr='=HYPERLINK("http://evil")')
    rows = list(csv.DictReader(io.StringIO(client.get("/fr/ressources/export.csv").content.decode())))
    assert rows[0]["title_fr"] == '\'=HYPERLINK("http://evil")'
