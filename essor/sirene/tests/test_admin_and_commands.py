"""The commands a person runs (ingest with its summary, releases) and the admin's readable quality report."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from essor.sirene.models import Release
from essor.sirene.tests.builders import etab, unit, write_inputs


@pytest.fixture
def paths(small_reference, tmp_path):
    etabs = [etab("200000001", 1), etab("200000001", 2, siret="99")]
    return write_inputs(tmp_path, [unit("200000001", ess="O")], etabs, fmt="zip")


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_ingest_command_prints_a_summary_then_is_idempotent(paths):
    args = ["sirene", "ingest", "--unites-legales", str(paths["unites_legales"]),
            "--etablissements", str(paths["etablissements"]), "--vintage", "2026-11-01", "--synthetic"]  # fmt: skip
    output = run(*args)
    assert "New release built and now serving." in output
    assert "ESS establishments" in output and "rejected rows" in output
    release = Release.objects.active()
    assert release.synthetic and str(release.vintage) == "2026-11-01"
    assert "nothing changed" in run(*args)
    assert Release.objects.count() == 1
    listing = run("sirene", "releases")
    assert "2026-11-01" in listing and "ready" in listing


def test_ingest_command_errors_name_the_file(paths):
    broken = paths["etablissements"]
    broken.write_bytes(broken.read_bytes()[:40])
    with pytest.raises(CommandError, match=r"StockEtablissement file .*zip: the zip archive is truncated"):
        run(
            "sirene",
            "ingest",
            "--unites-legales",
            str(paths["unites_legales"]),
            "--etablissements",
            str(broken),
        )
    with pytest.raises(CommandError, match="is not a date"):
        run("sirene", "ingest", "--unites-legales", "a.csv", "--etablissements", "b.csv", "--vintage", "nov")
    assert Release.objects.active() is None


def test_admin_shows_the_quality_report(paths, admin_client):
    run("sirene", "ingest", "--unites-legales", str(paths["unites_legales"]),
        "--etablissements", str(paths["etablissements"]))  # fmt: skip
    release = Release.objects.active()
    page = admin_client.get(reverse("admin:sirene_release_change", args=[release.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<caption>" in html and 'scope="col"' in html
    # The rejected row is in the sample table: its SIRET cell, then its SIREN (not any "99" of the page).
    assert "<tr><td>99</td><td>200000001</td>" in html
    assert admin_client.get(reverse("admin:sirene_release_changelist")).status_code == 200


def test_ingest_needs_the_territorial_reference(db, tmp_path):
    paths = write_inputs(tmp_path, [unit("200000001", ess="O")], [etab("200000001", 1)])
    with pytest.raises(CommandError, match="essor territories load"):
        run("sirene", "ingest", "--unites-legales", str(paths["unites_legales"]),
            "--etablissements", str(paths["etablissements"]))  # fmt: skip
