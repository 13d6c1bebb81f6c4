"""The general pages (home, glossary, methodology, errors) in both languages."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

LANGUAGES = ["fr", "en"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_explains_essor_and_leads_to_the_search_and_entry_points(
    client, django_assert_max_num_queries, language
):
    with django_assert_max_num_queries(3):
        response = client.get(f"/{language}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'role="search"' in html and 'action="/' + language + '/territoires/"' in html
    for entry in ("/territoires/france/FR/", "/territoires/localiser/", "/glossaire/"):
        assert f'href="/{language}{entry}"' in html
    other = "en" if language == "fr" else "fr"
    assert f'href="/{other}/" hreflang="{other}"' in html  # the language switch
    intro = {"fr": "quartier prioritaire", "en": "priority neighbourhood"}[language]
    assert intro in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_glossary_keeps_french_terms_and_explains_them_in_the_page_language(client, language):
    response = client.get(f"/{language}/glossaire/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<dfn lang="fr">QPV — quartier prioritaire de la politique de la ville</dfn>' in html
    assert 'id="epci"' in html
    explanation = {
        "fr": "Les quartiers urbains les plus pauvres",
        "en": "The poorest urban areas targeted by city policy",
    }[language]
    assert explanation in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_methodology_describes_sources_and_rules(client, language):
    response = client.get(f"/{language}/methodologie/")
    assert response.status_code == 200
    html = response.content.decode()
    expected = {"fr": ["Sources", "300 mètres", "glossaire"], "en": ["Sources", "300 metres", "glossary"]}[
        language
    ]
    for text in expected:
        assert text in html


@pytest.mark.parametrize(("language", "title"), [("fr", "Page introuvable"), ("en", "Page not found")])
def test_unknown_page_answers_404_in_the_page_language(client, language, title):
    response = client.get(f"/{language}/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert title in html and f'<html lang="{language}">' in html


@override_settings(DEBUG=False)
def test_pages_carry_no_inline_script_or_style(client):
    html = client.get("/fr/").content.decode()
    assert "<script>" not in html and "style=" not in html
    assert "Content-Security-Policy" in client.get("/fr/").headers


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/fr/", "/en/", "/fr/glossaire/", "/en/methodologie/"])
def test_page_titles_name_the_brand_once(client, path):
    """The home page's title read "essor — … · essor"."""
    html = client.get(path).content.decode()
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.lower().count("essor") == 1, title
