"""The DCAT-AP catalogue parses as JSON-LD (as data.gouv.fr's harvester reads it, with rdflib), its Hydra paging
leads through every dataset, and every distribution URL answers 200; the download pages in both languages."""

import hashlib
import json
from urllib.parse import urlsplit

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from essor.diffusion import opendata

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")


@pytest.fixture
def two_published(release, older_release):
    opendata.publish(release)
    opendata.publish(older_release)
    return release, older_release


def _get(client, url):
    parts = urlsplit(str(url))
    return client.get(parts.path + (f"?{parts.query}" if parts.query else ""))


def _graph(client, url) -> Graph:
    response = _get(client, url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    return Graph().parse(data=response.content, format="json-ld", publicID=str(url))


def test_catalog_pages_lead_through_every_dataset_and_every_distribution_answers(
    client, settings, two_published
):
    settings.ESSOR_DCAT_PAGE_SIZE = 1
    url, pages, datasets = "http://testserver/catalog.jsonld", 0, {}
    while url:
        graph = _graph(client, url)
        pages += 1
        for dataset in graph.subjects(RDF.type, DCAT.Dataset):
            datasets[dataset] = graph
        view = next(graph.subjects(RDF.type, HYDRA.PartialCollectionView))
        assert graph.value(view, HYDRA.totalItems).toPython() == 2
        url = graph.value(view, HYDRA.next)
        assert url == graph.value(view, HYDRA.nextPage)
    assert pages == 2 and len(datasets) == 2
    fetched = 0
    for dataset, graph in datasets.items():
        assert graph.value(dataset, DCTERMS.accrualPeriodicity) == URIRef(
            "http://publications.europa.eu/resource/authority/frequency/MONTHLY"
        )
        temporal = graph.value(dataset, DCTERMS.temporal)
        assert str(graph.value(temporal, DCAT.startDate)) in ("2026-11-01", "2026-10-01")
        assert graph.value(dataset, DCTERMS.license) == URIRef(opendata.LICENCE["path"])
        titles = {title.language: str(title) for title in graph.objects(dataset, DCTERMS.title)}
        assert set(titles) == {"fr", "en"}
        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert len(distributions) == 7  # 3 tables x (CSV, Parquet) + datapackage.json
        for distribution in distributions:
            download = graph.value(distribution, DCAT.downloadURL)
            response = _get(client, download)
            assert response.status_code == 200, download
            body = b"".join(response.streaming_content)
            checksum = graph.value(distribution, SPDX.checksum)
            if checksum is not None:
                assert str(graph.value(checksum, SPDX.checksumValue)) == hashlib.sha256(body).hexdigest()
                assert int(graph.value(distribution, DCAT.byteSize)) == len(body)
            fetched += 1
    assert fetched == 14


def test_catalog_says_which_dataset_is_synthetic(client, two_published):
    graph = _graph(client, "http://testserver/catalog.jsonld")
    titles = [str(t) for s in graph.subjects(RDF.type, DCAT.Dataset) for t in graph.objects(s, DCTERMS.title)]
    assert any("synthétique" in title for title in titles)
    assert any("synthetic" in title for title in titles)
    assert sum("SIRENE release of 2026-10-01" in title for title in titles) == 1


def test_catalog_page_out_of_range_is_an_error(client, two_published):
    response = client.get("/catalog.jsonld?page=9")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "page_out_of_range"


def test_files_are_only_those_of_the_package(client, two_published):
    package = client.get("/opendata/2026-11-01/datapackage.json")
    assert package.status_code == 200
    package.close()  # a file response holds its file open until closed
    assert client.get("/opendata/2026-11-01/secret.txt").status_code == 404
    assert client.get("/opendata/2026-11-01/..%2Fdatapackage.json").status_code == 404
    assert client.get("/opendata/1999-01-01/datapackage.json").status_code == 404
    response = client.get("/opendata/2026-11-01/indicators.csv")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["ETag"].strip('"') == hashlib.sha256(b"".join(response.streaming_content)).hexdigest()
    response.close()


@pytest.mark.parametrize(
    "language, heading, synthetic",
    [
        ("fr", "Données ouvertes", "Données de démonstration synthétiques"),
        ("en", "Open data", "Synthetic demonstration data"),
    ],
)
def test_download_page_lists_each_release_and_its_datapackage(
    client, two_published, language, heading, synthetic
):
    response = client.get(f"/{language}/donnees-ouvertes/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert html.count('href="/opendata/2026-11-01/datapackage.json"') == 1
    assert 'href="/opendata/2026-10-01/datapackage.json"' in html
    assert 'href="/opendata/2026-11-01/ess_establishments.parquet"' in html
    assert synthetic in html
    assert 'href="/catalog.jsonld"' in html


def test_download_page_without_release_says_so(client, db, data_dir):
    response = client.get("/en/donnees-ouvertes/")
    assert "No release is published yet" in response.content.decode()


def test_release_page_describes_a_schema_org_dataset(client, two_published):
    response = client.get("/en/donnees-ouvertes/2026-10-01/")
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('<script type="application/ld+json"')
    body = html[html.index(">", start) + 1 : html.index("</script>", start)]
    data = json.loads(body)
    assert data["@type"] == "Dataset" and data["version"] == "2026-10-01"
    assert data["license"] == opendata.LICENCE["path"]
    assert len(data["distribution"]) == 7
    assert all(
        item["contentUrl"].startswith("http://testserver/opendata/2026-10-01/")
        for item in data["distribution"]
    )
    assert "Synthetic demonstration data" not in html
    assert client.get("/en/donnees-ouvertes/2031-01-01/").status_code == 404
    assert client.get("/en/donnees-ouvertes/not-a-date/").status_code == 404
