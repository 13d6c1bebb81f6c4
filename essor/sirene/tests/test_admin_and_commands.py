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


@pytest.mark.django_db
def test_the_admin_refuses_to_delete_the_serving_release(admin_client):
    """The admin deleted the serving release in two clicks and the whole site went empty."""
    old = Release.objects.create(vintage="2026-10-01", status="ready", is_active=False)
    serving = Release.objects.create(vintage="2026-11-01", status="ready", is_active=True)
    delete_url = reverse("admin:sirene_release_delete", args=[serving.pk])
    assert admin_client.get(delete_url).status_code == 403
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:sirene_release_changelist")
    both = {"action": "delete_selected", "_selected_action": [old.pk, serving.pk], "post": "yes"}
    assert admin_client.post(changelist, both).status_code == 403
    assert Release.objects.count() == 2 and Release.objects.active() == serving
    only_old = {"action": "delete_selected", "_selected_action": [old.pk], "post": "yes"}
    assert admin_client.post(changelist, only_old).status_code == 302
    assert list(Release.objects.values_list("pk", flat=True)) == [serving.pk]
    page = admin_client.get(reverse("admin:sirene_release_change", args=[serving.pk])).content.decode()
    assert delete_url not in page
