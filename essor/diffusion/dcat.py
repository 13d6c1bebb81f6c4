"""The DCAT-AP catalogue of essor's open data, in JSON-LD (`/catalog.jsonld`).

One dcat:Dataset per published release (its vintage is its version and temporal coverage), each with one
dcat:Distribution per file (CSV, Parquet) and one for its datapackage.json. Datasets are paged with Hydra
(`?page=N`), the way data.gouv.fr's DCAT harvester walks a catalogue: it follows `hydra:next` of the
`hydra:PartialCollectionView` (older harvesters: `hydra:nextPage` of a `hydra:PagedCollection`; the same node
carries both).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from essor.diffusion import opendata

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "hydra": "http://www.w3.org/ns/hydra/core#",
    "spdx": "http://spdx.org/rdf/terms#",
    "adms": "http://www.w3.org/ns/adms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
MONTHLY = "http://publications.europa.eu/resource/authority/frequency/MONTHLY"
FRANCE = "http://publications.europa.eu/resource/authority/country/FRA"
LANGUAGES = {
    "fr": "http://publications.europa.eu/resource/authority/language/FRA",
    "en": "http://publications.europa.eu/resource/authority/language/ENG",
}
IANA = "https://www.iana.org/assignments/media-types/"
DATAPACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"


def _texts(message: str, **values) -> list[dict]:
    """A literal in French and in English (language-tagged)."""
    literals = []
    for language in ("fr", "en"):
        with translation.override(language):
            text = _(message) % values if values else _(message)
        literals.append({"@language": language, "@value": text})
    return literals


def _id(url: str) -> dict:
    return {"@id": url}


def _date(value) -> dict:
    return {"@value": value, "@type": "xsd:date"}


def _datetime(value) -> dict:
    return {"@value": value, "@type": "xsd:dateTime"}


def _distribution(absolute: Callable[[str], str], release, resource: dict) -> dict:
    url = absolute(opendata_file_path(release, resource["path"]))
    checksum = resource["hash"].removeprefix("sha256:")
    return {
        "@id": url + "#distribution",
        "@type": "dcat:Distribution",
        "dct:title": resource["title"],
        "dct:description": resource["description"],
        "dcat:accessURL": _id(url),
        "dcat:downloadURL": _id(url),
        "dcat:mediaType": _id(IANA + resource["mediatype"]),
        "dct:format": resource["format"].upper(),
        "dcat:byteSize": {"@value": str(resource["bytes"]), "@type": "xsd:nonNegativeInteger"},
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": _id("spdx:checksumAlgorithm_sha256"),
            "spdx:checksumValue": {"@value": checksum, "@type": "xsd:hexBinary"},
        },
        "dct:license": _id(opendata.LICENCE["path"]),
    }


def opendata_file_path(release, name: str) -> str:
    return reverse(
        "diffusion_data:opendata_file", kwargs={"vintage": release.vintage.isoformat(), "name": name}
    )


def release_page_path(release, language: str = "fr") -> str:
    with translation.override(language):
        return reverse("diffusion:opendata_release", kwargs={"vintage": release.vintage.isoformat()})


def _dataset(absolute: Callable[[str], str], release, package: dict) -> tuple[dict, list[dict]]:
    vintage = release.vintage.isoformat()
    landing = absolute(release_page_path(release))
    package_url = absolute(opendata_file_path(release, opendata.PACKAGE_FILE))
    distributions = [_distribution(absolute, release, resource) for resource in package["resources"]]
    distributions.append(
        {
            "@id": package_url + "#distribution",
            "@type": "dcat:Distribution",
            "dct:title": "datapackage.json (Frictionless Data Package v2)",
            "dcat:accessURL": _id(package_url),
            "dcat:downloadURL": _id(package_url),
            "dcat:mediaType": _id(IANA + "application/json"),
            "dct:format": "JSON",
            "dct:conformsTo": _id(DATAPACKAGE_PROFILE),
            "dct:license": _id(opendata.LICENCE["path"]),
        }
    )
    title = _texts(opendata.release_title(release), vintage=vintage)
    dataset = {
        "@id": landing + "#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": package["id"],
        "dct:title": title,
        "dct:description": package["description"],
        "dcat:keyword": package["keywords"],
        "adms:versionInfo": vintage,
        "dct:issued": _datetime(package["created"]),
        "dct:modified": _datetime(package["created"]),
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": _date(vintage),
            "dcat:endDate": _date(vintage),
        },
        "dct:accrualPeriodicity": _id(MONTHLY),
        "dct:spatial": _id(FRANCE),
        "dct:language": [_id(uri) for uri in LANGUAGES.values()],
        "dct:license": _id(opendata.LICENCE["path"]),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": "essor"},
        "dct:source": [_id(source["path"]) for source in package["sources"]],
        "dcat:landingPage": _id(landing),
        "dcat:distribution": [_id(item["@id"]) for item in distributions],
    }
    return dataset, distributions


def catalogue(absolute: Callable[[str], str], page: int = 1, page_size: int = 20) -> dict | None:
    """The JSON-LD document of one page of the catalogue; None for a page past the last one."""
    releases = []
    seen = set()
    for release, package in opendata.published_releases():
        if release.vintage not in seen:  # one dataset per vintage (its URLs name the vintage)
            seen.add(release.vintage)
            releases.append((release, package))
    pages = max(1, math.ceil(len(releases) / page_size))
    if page < 1 or page > pages:
        return None
    base = absolute(reverse("diffusion_data:catalog"))
    chunk = releases[(page - 1) * page_size : page * page_size]
    graph = [
        {
            "@id": base,
            "@type": "dcat:Catalog",
            "dct:title": _texts(gettext_noop("essor open data: the ESS in priority neighbourhoods (QPV)")),
            "dct:description": _texts(
                gettext_noop(
                    "Open data of essor, the observatory of the social and solidarity economy in France's priority "
                    "urban neighbourhoods: one dataset per SIRENE release, in CSV and Parquet, described by a "
                    "Frictionless Data Package."
                )
            ),
            "dct:publisher": {"@type": "foaf:Agent", "foaf:name": "essor"},
            "foaf:homepage": _id(absolute(reverse("diffusion:opendata"))),
            "dct:language": [_id(uri) for uri in LANGUAGES.values()],
            "dct:license": _id(opendata.LICENCE["path"]),
            "dcat:dataset": [],
        }
    ]
    for release, package in chunk:
        dataset, distributions = _dataset(absolute, release, package)
        graph[0]["dcat:dataset"].append(_id(dataset["@id"]))
        graph.append(dataset)
        graph.extend(distributions)

    def page_url(number: int) -> dict:
        return _id(f"{base}?page={number}")

    view = {
        "@id": page_url(page)["@id"],
        "@type": ["hydra:PartialCollectionView", "hydra:PagedCollection"],
        "hydra:totalItems": {"@value": str(len(releases)), "@type": "xsd:nonNegativeInteger"},
        "hydra:itemsPerPage": {"@value": str(page_size), "@type": "xsd:nonNegativeInteger"},
        "hydra:first": page_url(1),
        "hydra:last": page_url(pages),
        "hydra:firstPage": page_url(1),
        "hydra:lastPage": page_url(pages),
    }
    if page < pages:
        view["hydra:next"] = view["hydra:nextPage"] = page_url(page + 1)
    if page > 1:
        view["hydra:previous"] = view["hydra:previousPage"] = page_url(page - 1)
    graph.append(view)
    return {"@context": CONTEXT, "@graph": graph}
