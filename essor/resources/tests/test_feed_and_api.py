"""Atom feed parsed back and checked; JSON API for partner platforms; no personal data anywhere."""

import xml.etree.ElementTree as ET
from datetime import datetime

import pytest

from essor.resources.tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(client, language):
    response = client.get(f"/{language}/ressources/flux.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_atom_feed_is_valid_and_lists_published_resources_newest_first(client, catalogue, language):
    ResourceFactory(slug="tout-neuf", title_fr="Tout nouveau guide", title_en="Brand new guide")
    root = _feed(client, language)
    assert root.tag == f"{ATOM}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    # RFC 4287: a feed has an id, a title, an updated date and a self link; so does each entry (with a link).
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}").text
    assert any(link.get("rel") == "self" for link in root.findall(f"{ATOM}link"))
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 3  # the unpublished draft is left out
    for entry in entries:
        assert entry.find(f"{ATOM}id").text and entry.find(f"{ATOM}title").text
        datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
        assert entry.find(f"{ATOM}link").get("href").startswith(f"http://testserver/{language}/ressources/")
    first = entries[0]
    assert first.find(f"{ATOM}title").text == (
        "Tout nouveau guide" if language == "fr" else "Brand new guide"
    )
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert "Brouillon non publié" not in titles


def test_feed_categories_and_authors_are_organisations_not_people(client, catalogue):
    root = _feed(client, "en")
    entry = next(e for e in root.findall(f"{ATOM}entry") if e.find(f"{ATOM}title").text == "SCIC guide")
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["SCIC and cooperatives"]
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "RTES"
    assert entry.find(f"{ATOM}author/{ATOM}email") is None


def test_api_lists_and_filters_resources(client, catalogue):
    body = client.get("/api/v1/resources?audience=local_authority").json()
    assert body["count"] == 1
    resource = body["results"][0]
    assert resource["slug"] == "guide-scic" and resource["title_en"] == "SCIC guide"
    assert resource["languages"] == ["fr", "en"] and resource["themes"] == ["scic-cooperatives"]
    assert client.get("/api/v1/resources?q=locaux").json()["count"] == 1
    assert client.get("/api/v1/resources?page_size=1&page=2").json()["results"][0]["slug"] == "video-locaux"
    assert client.get("/api/v1/resources/brouillon").status_code == 404


def test_api_language_filter_ignores_case_on_every_database(client, catalogue):
    def slugs(language):
        return {r["slug"] for r in client.get(f"/api/v1/resources?language={language}").json()["results"]}

    assert "guide-scic" in slugs("en")
    assert slugs("EN") == slugs("en")


def test_api_rejects_bad_parameters_with_the_common_error_format(client, catalogue):
    response = client.get("/api/v1/resources?kind=podcast")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_parameters"
    response = client.get("/api/v1/resources?page_size=1000")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_parameters"
    assert response.json()["error"]["details"][0]["field"] == "page_size"


def test_api_experiences_collections_and_grid(client, catalogue):
    body = client.get("/api/v1/experiences?region=27").json()
    assert [e["slug"] for e in body["results"]] == ["dijon"]
    assert body["results"][0]["region_name"] == "Bourgogne-Franche-Comté"
    detail = client.get("/api/v1/experiences/dijon").json()
    grid = {g["criterion"]: g for g in detail["analysis_grid"]}
    assert grid["croisement"]["score"] == 4 and grid["croisement"]["demo"] is True
    assert grid["evaluation"]["option"] == "rapport"
    assert detail["resources"] == ["guide-scic"]
    collections = client.get("/api/v1/collections").json()
    assert collections[0]["resources"] == ["video-locaux", "guide-scic"]
    assert client.get("/api/v1/collections/premiers-pas").json()["slug"] == "premiers-pas"


def test_api_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/resources",
        "/api/v1/resources/{slug}",
        "/api/v1/experiences",
        "/api/v1/experiences/{slug}",
        "/api/v1/collections",
        "/api/v1/collections/{slug}",
    ):
        assert path in paths


def test_no_personal_data_in_public_outputs(client, catalogue, django_user_model):
    person = django_user_model.objects.create_user(
        "camille.martin@example.org", "camille.martin@example.org", "a-long-password-1"
    )
    catalogue["guide"].author = "RTES"
    outputs = [
        client.get("/api/v1/resources").content,
        client.get("/api/v1/experiences").content,
        client.get("/en/ressources/flux.atom").content,
        client.get("/fr/ressources/export.csv").content,
        client.get("/fr/ressources/experiences/export.csv").content,
    ]
    for output in outputs:
        assert person.email.encode() not in output and b"@" not in output.replace(b"@context", b"")
