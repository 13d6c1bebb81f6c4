"""Open data of a release: a Frictionless package that validates, CSV and Parquet that agree, no personal data."""

import csv
import hashlib
import io
import json

import duckdb
import pytest
from django.core.management import call_command
from frictionless import validate

from essor.diffusion import opendata
from essor.diffusion.tests.conftest import PERSON
from essor.sirene.models import EssEstablishment


def _csv(release, name):
    with (opendata.package_dir(release) / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def published(release):
    opendata.publish(release)
    return release


def test_package_validates_with_frictionless(published):
    path = opendata.package_dir(published) / "datapackage.json"
    report = validate(str(path))
    assert report.valid, report.flatten(["taskName", "type", "note"])
    # every file was checked (size and SHA-256), the CSV against its table schema
    assert {task.name for task in report.tasks} == {
        f"{table}-{fmt}"
        for table in ("ess_establishments", "establishment_counts", "indicators")
        for fmt in ("csv", "parquet")
    }


def test_package_names_licence_vintage_sources_and_says_synthetic(published):
    package = json.loads((opendata.package_dir(published) / "datapackage.json").read_text())
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert package["licenses"][0]["name"] == "etalab-2.0"
    assert package["version"] == "2026-11-01"
    assert package["essor:synthetic"] is True
    assert "synthetic" in package["title"].lower() and "synthétique" in package["title"].lower()
    assert any("Sirene" in source["title"] for source in package["sources"])
    for resource in package["resources"]:
        path = opendata.package_dir(published) / resource["path"]
        assert resource["bytes"] == path.stat().st_size
        assert resource["hash"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_tampered_file_fails_validation(published):
    path = opendata.package_dir(published) / "indicators.parquet"
    path.write_bytes(path.read_bytes() + b"x")
    report = validate(str(opendata.package_dir(published) / "datapackage.json"))
    assert not report.valid
    assert any(task.name == "indicators-parquet" and not task.valid for task in report.tasks)


def test_no_personal_data_for_a_sole_proprietor(published):
    rows = _csv(published, "ess_establishments")
    person = next(row for row in rows if row["legal_category"] == "1000")
    assert person["restricted"] == "true"
    for field in ("name", "address", "postcode", "lon", "lat", "qpv24_code", "zone"):
        assert person[field] == ""
    assert person["commune_code"] == "31555" and person["naf"] == "96.02A"
    text = (opendata.package_dir(published) / "ess_establishments.csv").read_text()
    for secret in (PERSON["name"], PERSON["address"], str(PERSON["lat"])):
        assert secret not in text
    con = duckdb.connect()
    parquet = str(opendata.package_dir(published) / "ess_establishments.parquet")
    names = [
        row[0]
        for row in con.execute(f"SELECT name FROM '{parquet}' WHERE legal_category = '1000'").fetchall()
    ]
    assert names == [None]
    # an association keeps its name and position
    association = next(row for row in rows if row["name"] == "Aéro Coop")
    assert association["restricted"] == "false" and association["lat"] == "43.63"


def test_parquet_has_the_csv_columns_typed_and_the_same_rows(published):
    con = duckdb.connect()
    for table in ("ess_establishments", "establishment_counts", "indicators"):
        rows = _csv(published, table)
        parquet = str(opendata.package_dir(published) / f"{table}.parquet")
        described = con.execute(f"DESCRIBE SELECT * FROM '{parquet}'").fetchall()
        assert [row[0] for row in described] == list(rows[0].keys())
        assert con.execute(f"SELECT count(*) FROM '{parquet}'").fetchone()[0] == len(rows)
    counts = str(opendata.package_dir(published) / "establishment_counts.parquet")
    types = {row[0]: row[1] for row in con.execute(f"DESCRIBE SELECT * FROM '{counts}'").fetchall()}
    assert types["commune_code"] == "VARCHAR" and types["establishments"] == "BIGINT"
    assert types["is_ess"] == "BOOLEAN"


def test_establishments_file_has_every_ess_establishment(published):
    rows = _csv(published, "ess_establishments")
    assert len(rows) == EssEstablishment.objects.filter(release=published).count() == 13
    assert len({row["siret"] for row in rows}) == 13


def test_indicators_file_gives_the_api_figures(published, client):
    rows = {(row["territory"], row["zone"]): row for row in _csv(published, "indicators")}
    api = client.get("/api/v1/territories/epci/243100518/indicators").json()
    row = rows[("epci:243100518", "all")]
    assert row["name"] == "Toulouse Métropole"
    assert int(row["ess"]) == api["establishments"]["ess"] == 10
    assert int(row["active"]) == api["establishments"]["active"] == 51
    assert float(row["ess_share"]) == pytest.approx(api["establishments"]["ess_share"])
    assert int(row["cooperative"]) == api["establishments"]["ess_by_family"]["cooperative"]
    assert row["ess_employees_high"] == ""  # the top band has no upper bound
    assert int(rows[("qpv:QN03104M", "qpv")]["ess"]) == 4
    assert ("france:FR", "all") in rows


def test_publish_is_idempotent_and_force_rewrites(published):
    again = opendata.publish(published)
    assert again["changed"] is False
    forced = opendata.publish(published, force=True)
    assert forced["changed"] is True
    assert not list(opendata.package_dir(published).parent.glob("opendata.tmp-*"))


def test_a_failed_publication_leaves_the_previous_package(published, monkeypatch):
    before = (opendata.package_dir(published) / "datapackage.json").read_text()

    def broken(release):
        yield from ()
        raise RuntimeError("disk full")

    monkeypatch.setitem(opendata.ROWS, "indicators", broken)
    with pytest.raises(RuntimeError):
        opendata.publish(published, force=True)
    assert (opendata.package_dir(published) / "datapackage.json").read_text() == before
    assert not list(opendata.package_dir(published).parent.glob("opendata.tmp-*"))


def test_a_release_is_published_while_it_is_built(release, settings):
    from essor.sirene.models import Release
    from essor.sirene.signals import release_built

    settings.ESSOR_OPENDATA_ON_RELEASE = True
    release_built.send(sender=Release, release=release)
    assert opendata.read_package(release)["version"] == "2026-11-01"
    release.refresh_from_db()
    assert "opendata" in release.timings


def test_publication_can_be_left_to_the_command(release, settings):
    from essor.sirene.models import Release
    from essor.sirene.signals import release_built

    settings.ESSOR_OPENDATA_ON_RELEASE = False
    release_built.send(sender=Release, release=release)
    assert opendata.read_package(release) is None


def test_the_publish_command_dry_run_names_what_it_would_write_and_writes_nothing(release):
    out = io.StringIO()
    call_command("diffusion", "publish", "--dry-run", stdout=out)
    assert f"[{release.pk}]: would be published." in out.getvalue()
    assert opendata.read_package(release) is None
    out = io.StringIO()
    call_command("diffusion", "publish", stdout=out)
    assert f"[{release.pk}]: published in" in out.getvalue()
    out = io.StringIO()
    call_command("diffusion", "publish", "--dry-run", stdout=out)
    assert f"[{release.pk}]: already published." in out.getvalue()
