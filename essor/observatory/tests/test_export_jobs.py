"""Issue 16 §5: a large anonymous directory export is written by the task worker, never by the web worker.

The national export (38,600 rows, 11 s) stalled /healthz for 13.6 s. Beyond ESSOR_DIRECTORY_EXPORT_BACKGROUND_ROWS
(lowered here) the export answers at once with a page that gives the link when the file is ready; the file is the
immediate export's, byte for byte; only its unguessable token reaches it, until it expires.
"""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.cache import caches
from openpyxl import load_workbook

from essor.observatory import export_jobs
from essor.observatory.models import DirectoryExport
from essor.observatory.tests.factories import EssEstablishmentFactory

EXPORT = "/{lang}/observatoire/territoires/epci/243100518/annuaire.{fmt}"
EVIL = '=HYPERLINK("http://evil.example/", "x")'


@pytest.fixture
def exports_setup(settings, tmp_path, precomputed):
    settings.DATA_DIR = tmp_path / "data"
    settings.ESSOR_RATE_LIMITS = {**settings.ESSOR_RATE_LIMITS, "directory-export": "0"}
    EssEstablishmentFactory(release=precomputed, name=EVIL, commune_code="31555", epci_code="243100518")
    EssEstablishmentFactory(
        release=precomputed,
        name="Jeanne Martin",
        address="12 rue des Lilas",
        legal_category="1000",
        commune_code="31555",
        epci_code="243100518",
    )
    return settings


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def immediate(client, settings, lang, fmt, **params) -> bytes:
    settings.ESSOR_DIRECTORY_EXPORT_BACKGROUND_ROWS = 1_000_000
    response = client.get(EXPORT.format(lang=lang, fmt=fmt), params)
    assert response.status_code == 200
    return body_of(response)


def background(client, settings, django_capture_on_commit_callbacks, lang, fmt, **params):
    """Start a background export (the worker runs the task once the row is committed); its status URL."""
    settings.ESSOR_DIRECTORY_EXPORT_BACKGROUND_ROWS = 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(EXPORT.format(lang=lang, fmt=fmt), params)
    assert response.status_code == 302
    return response["Location"]


def download_link(client, status_url) -> str:
    page = client.get(status_url)
    assert page.status_code == 200
    return re.search(r'href="([^"]+/fichier)"', page.content.decode()).group(1)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_a_large_export_is_written_by_the_worker_and_is_the_immediate_file(
    client, exports_setup, django_capture_on_commit_callbacks, lang, fmt
):
    settings = exports_setup
    expected = immediate(client, settings, lang, fmt, zone="hors_qpv", decimal="point")
    status_url = background(
        client, settings, django_capture_on_commit_callbacks, lang, fmt, zone="hors_qpv", decimal="point"
    )
    export = DirectoryExport.objects.get()
    assert export.status == "ready" and export.language == lang and export.fmt == fmt
    assert export.filters == {"zone": "hors_qpv"} and export.decimal == "."
    page = client.get(status_url).content.decode()
    assert ("est prêt" if lang == "fr" else "is ready") in page
    response = client.get(download_link(client, status_url))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="essor-annuaire-epci-243100518-2026-11-01.{fmt}"'
    )
    assert body_of(response) == expected
    # The file lives under the data folder (never the public media), named by the token only.
    assert export_jobs.file_path(export).parent == settings.DATA_DIR / "exports"


def test_the_background_file_keeps_the_privacy_and_formula_rules(
    client, exports_setup, django_capture_on_commit_callbacks
):
    status_url = background(client, exports_setup, django_capture_on_commit_callbacks, "fr", "csv")
    raw = body_of(client.get(download_link(client, status_url)))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert "'" + EVIL in {row[1] for row in rows if len(row) > 1}
    assert not any(cell.startswith(("=", "@")) for row in rows for cell in row)
    text = raw.decode("utf-8-sig")
    assert "Jeanne Martin" not in text and "12 rue des Lilas" not in text
    assert "Entrepreneur individuel (nom non publié)" in text


def test_a_large_xlsx_has_the_same_cells_as_the_immediate_one(
    client, exports_setup, django_capture_on_commit_callbacks
):
    def cells(raw):
        sheet = load_workbook(io.BytesIO(raw)).worksheets[0]
        return [[cell.value for cell in row] for row in sheet.iter_rows()]

    expected = immediate(client, exports_setup, "en", "xlsx")
    status_url = background(client, exports_setup, django_capture_on_commit_callbacks, "en", "xlsx")
    assert cells(body_of(client.get(download_link(client, status_url)))) == cells(expected)


def test_small_exports_stay_immediate(client, exports_setup):
    exports_setup.ESSOR_DIRECTORY_EXPORT_BACKGROUND_ROWS = 1_000
    response = client.get(EXPORT.format(lang="fr", fmt="csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert not DirectoryExport.objects.exists()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_while_the_file_is_written_the_page_says_so_and_polls(client, exports_setup, lang):
    exports_setup.ESSOR_DIRECTORY_EXPORT_BACKGROUND_ROWS = 2
    response = client.get(EXPORT.format(lang=lang, fmt="csv"))  # the task is not run: still pending
    status_url = response["Location"]
    page = client.get(status_url)
    html = page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    assert ("en cours d'écriture" if lang == "fr" else "is being written") in html
    assert 'aria-live="polite"' in html and "observatory/export-status" in html
    assert "/fichier" not in html
    assert client.get(status_url + "fichier").status_code == 404  # not ready yet
    state = client.get(status_url, headers={"Accept": "application/json"}).json()
    assert state["status"] == "pending"
    export_jobs.write_export.call(DirectoryExport.objects.get().pk)  # what the worker does
    state = client.get(status_url, headers={"Accept": "application/json"}).json()
    assert state["status"] == "ready" and "/fichier" in state["html"]


def test_another_client_cannot_reach_a_file_without_its_token(
    client, exports_setup, django_capture_on_commit_callbacks
):
    status_url = background(client, exports_setup, django_capture_on_commit_callbacks, "fr", "csv")
    token = DirectoryExport.objects.get().token
    assert len(token) >= 43  # 256 random bits
    for guess in (token[:-1] + ("A" if token[-1] != "A" else "B"), "1", DirectoryExport.objects.get().pk):
        assert client.get(f"/fr/observatoire/exports/{guess}/").status_code == 404
        assert client.get(f"/fr/observatoire/exports/{guess}/fichier").status_code == 404
    other = client.__class__()
    assert other.get(status_url).status_code == 200  # the link itself is the key, to share or keep


def test_exports_expire_and_are_cleaned_up(client, exports_setup, django_capture_on_commit_callbacks):
    status_url = background(client, exports_setup, django_capture_on_commit_callbacks, "fr", "csv")
    old = DirectoryExport.objects.get()
    path = export_jobs.file_path(old)
    assert path.is_file()
    DirectoryExport.objects.filter(pk=old.pk).update(created_at=old.created_at - timedelta(hours=25))
    assert client.get(status_url).status_code == 404
    assert client.get(status_url + "fichier").status_code == 404
    caches["default"].clear()
    background(
        client, exports_setup, django_capture_on_commit_callbacks, "fr", "csv"
    )  # a new export cleans up
    assert not path.exists() and not DirectoryExport.objects.filter(pk=old.pk).exists()
    assert DirectoryExport.objects.count() == 1


def test_a_failed_export_says_so(client, exports_setup, monkeypatch):
    exports_setup.ESSOR_DIRECTORY_EXPORT_BACKGROUND_ROWS = 2
    status_url = client.get(EXPORT.format(lang="en", fmt="csv"))["Location"]

    def broken(*args):
        raise OSError("disk full")
        yield  # pragma: no cover

    monkeypatch.setattr(export_jobs.directory_export, "chunks", broken)
    export_jobs.write_export.call(DirectoryExport.objects.get().pk)
    assert DirectoryExport.objects.get().status == "failed"
    assert "could not be written" in client.get(status_url).content.decode()
    assert not list((exports_setup.DATA_DIR / "exports").iterdir())  # no half-written file left


def test_the_per_client_limit_still_counts_background_exports(client, exports_setup):
    exports_setup.ESSOR_DIRECTORY_EXPORT_BACKGROUND_ROWS = 2
    exports_setup.ESSOR_RATE_LIMITS = {"directory-export": "1/h"}
    assert client.get(EXPORT.format(lang="fr", fmt="csv")).status_code == 302
    assert client.get(EXPORT.format(lang="fr", fmt="csv")).status_code == 429
    assert DirectoryExport.objects.count() == 1
