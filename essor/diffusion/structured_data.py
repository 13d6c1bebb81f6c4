"""schema.org descriptions (JSON-LD) of a release's open data, for search engines and dataset search."""

from collections.abc import Callable

from essor.diffusion import dcat, opendata


def dataset_jsonld(absolute: Callable[[str], str], release, package: dict, language: str) -> dict:
    """A schema.org Dataset: its files as DataDownload, licence, vintage as temporal coverage."""
    vintage = release.vintage.isoformat()
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": absolute(dcat.release_page_path(release, language)) + "#dataset",
        "name": package["title"],
        "description": package["description"],
        "url": absolute(dcat.release_page_path(release, language)),
        "version": vintage,
        "temporalCoverage": vintage,
        "dateModified": package["created"],
        "inLanguage": ["fr", "en"],
        "isAccessibleForFree": True,
        "keywords": package["keywords"],
        "license": opendata.LICENCE["path"],
        "creator": {"@type": "Organization", "name": "essor"},
        "spatialCoverage": {"@type": "Place", "name": "France"},
        "isBasedOn": [source["path"] for source in package["sources"]],
        "distribution": [
            {
                "@type": "DataDownload",
                "name": resource["title"],
                "encodingFormat": resource["mediatype"],
                "contentUrl": absolute(dcat.opendata_file_path(release, resource["path"])),
                "contentSize": f"{resource['bytes']} B",
                "sha256": resource["hash"].removeprefix("sha256:"),
            }
            for resource in package["resources"]
        ]
        + [
            {
                "@type": "DataDownload",
                "name": "datapackage.json",
                "encodingFormat": "application/json",
                "contentUrl": absolute(dcat.opendata_file_path(release, opendata.PACKAGE_FILE)),
            }
        ],
    }
