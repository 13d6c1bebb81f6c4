"""End to end in headless Chromium: a large directory export's page while the worker writes the file, then its
link, announced in the live region without reloading; axe-core's WCAG 2.1 AA checks on both states."""

import re
from types import SimpleNamespace

import pytest

from essor.core.tests.axe import axe_violations
from essor.observatory import export_jobs
from essor.observatory.models import DirectoryExport
from essor.observatory.precompute import precompute_release
from essor.observatory.tests.conftest import build_release, build_territories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_export_page_shows_the_link_once_the_worker_has_written_the_file(
    page, settings, tmp_path, monkeypatch
):
    settings.DATA_DIR = tmp_path / "data"
    settings.ESSOR_DIRECTORY_EXPORT_BACKGROUND_ROWS = 2
    build_territories()
    precompute_release(build_release())
    worker = export_jobs.write_export
    monkeypatch.setattr(
        export_jobs, "write_export", SimpleNamespace(enqueue=lambda export_id: None)
    )  # queued
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto("/fr/observatoire/territoires/epci/243100518/annuaire.csv", wait_until="domcontentloaded")
    assert re.search(r"/fr/observatoire/exports/[\w-]{43}/$", page.url)
    state = page.locator("#export-state")
    assert "en cours d'écriture" in state.inner_text()
    assert state.get_attribute("aria-live") == "polite"
    assert axe_violations(page) == []

    worker.call(DirectoryExport.objects.get().pk)  # what `essor db_worker` does
    link = state.get_by_role("link", name="Télécharger le fichier CSV")
    link.wait_for(timeout=20_000)  # the page asks for its state every few seconds
    assert "10 établissements est prêt" in state.inner_text()
    assert axe_violations(page) == []
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "essor-annuaire-epci-243100518-2026-11-01.csv"
    assert not errors
