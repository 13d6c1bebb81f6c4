"""Partially diffusible establishments (statutDiffusion P) are never published with a name, an address, a
postcode or coordinates: not on the directory, the establishment page, the exports, the API nor the maps.
The pipeline stores none of them (essor/sirene/tests/test_real_files.py); the rows below carry them anyway
(an older release, a hand-made row) to check that the published views never read them."""

import io
import zipfile

import pytest

from essor.observatory.tests.factories import EssEstablishmentFactory

SIRET = "55566677700012"
SECRETS = ("Jean Secret", "Allée des Secrets", "31999", "1.4321")


@pytest.fixture
def masked(precomputed):
    EssEstablishmentFactory(
        release=precomputed, siret=SIRET, name="Jean Secret", address="9 Allée des Secrets", postcode="31999",
        legal_category="5710", family="entreprise_commerciale_ess", private=True, lon=1.4321, lat=43.6,
    )  # fmt: skip
    return precomputed


def no_secret(text: str):
    assert not any(secret in text for secret in SECRETS), [s for s in SECRETS if s in text]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_directory_and_establishment_page(client, masked, lang):
    page = client.get(f"/{lang}/observatoire/territoires/commune/31555/annuaire/", {"q": ""}).content.decode()
    no_secret(page)
    detail = client.get(f"/{lang}/observatoire/etablissements/{SIRET}/").content.decode()
    no_secret(detail)
    label = "Établissement partiellement diffusible" if lang == "fr" else "Partially diffusible establishment"
    assert label in detail and "Toulouse" in detail


@pytest.mark.parametrize("fmt", ["csv", "geojson", "xlsx"])
def test_exports(client, masked, fmt):
    response = client.get(f"/fr/observatoire/territoires/commune/31555/annuaire.{fmt}")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body = b"".join(archive.read(name) for name in archive.namelist())
    text = body.decode("utf-8", "replace")
    assert SIRET in text  # listed (it counts), but masked
    no_secret(text)


def test_api_and_map(client, masked):
    one = client.get(f"/api/v1/establishments/{SIRET}").json()
    no_secret(str(one))
    assert (one["lon"], one["postcode"], one["commune_code"]) == (None, "", "31555")
    listing = client.get("/api/v1/territories/commune/31555/establishments", {"page_size": 100}).json()
    no_secret(str(listing))
    points = client.get("/fr/observatoire/territoires/commune/31555/carte.geojson").json()
    assert all(SIRET not in feature["properties"]["url"] for feature in points["features"])
    no_secret(str(points))
