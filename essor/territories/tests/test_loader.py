"""`essor territories load`: real files (a few départements), counts, idempotence, provenance, hierarchy."""

import io
import shutil

import pytest
from django.core.management import call_command

from essor.territories.loader import load_reference
from essor.territories.models import (
    Commune,
    CommuneKind,
    Departement,
    Epci,
    EpciNature,
    Qpv,
    QpvCrosswalk,
    ReferenceLoad,
    Region,
)
from essor.territories.tests.fixtures import write_subset

SUBSET = ("31", "69", "93")


@pytest.fixture(scope="session")
def subset_dir(tmp_path_factory):
    return write_subset(tmp_path_factory.mktemp("reference") / "data", SUBSET)


@pytest.fixture
def source(subset_dir, tmp_path):
    """A private copy of the subset files, that a test may alter."""
    return shutil.copytree(subset_dir, tmp_path / "data")


def run_load(source_dir) -> str:
    out = io.StringIO()
    call_command("territories", "load", "--from", str(source_dir), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_reports_counts_and_records_provenance(source):
    output = run_load(source)

    assert "commune" in output and "Reference loaded" in output
    assert set(Region.objects.values_list("code", flat=True)) == {"76", "84", "11"}
    assert set(Departement.objects.values_list("code", flat=True)) == set(SUBSET)
    load = ReferenceLoad.objects.get()
    assert load.changed
    names = {item["name"] for item in load.files}
    assert "decoupage-administratif-6.0.0/communes.json.gz" in names
    assert all(len(item["sha256"]) == 64 and item["size"] > 0 for item in load.files)
    assert {item["version"] for item in load.files if item["role"].startswith("decoupage")} == {"6.0.0"}
    assert load.counts["commune"]["added"] == Commune.objects.count()
    assert load.counts["qpv_2024"]["added"] == Qpv.objects.filter(generation=2024).count() > 30
    assert load.report["qpv2024_repaired"] > 0


def report_counts(output: str) -> dict[str, list[int]]:
    """The table the command prints: kind -> [added, updated, removed, total]."""
    rows = [line.split() for line in output.splitlines()]
    return {row[0]: [int(cell) for cell in row[1:]] for row in rows if len(row) == 5 and row[1].isdigit()}


@pytest.mark.django_db
def test_a_dry_run_reports_what_a_load_would_write_and_writes_nothing(source):
    out = io.StringIO()
    call_command("territories", "load", "--from", str(source), "--dry-run", stdout=out)
    output = out.getvalue()

    assert "Dry run: nothing was written." in output
    would = report_counts(output)
    assert would["commune"][0] > 100 and would["qpv_2024"][0] > 30
    assert not Commune.objects.exists() and not Qpv.objects.exists() and not ReferenceLoad.objects.exists()
    # The real load then writes exactly what the dry run announced.
    assert report_counts(run_load(source)) == would
    assert Commune.objects.count() == would["commune"][0]


@pytest.mark.django_db
def test_second_load_changes_nothing_and_says_so(source):
    run_load(source)
    before = {model: model.objects.count() for model in (Commune, Epci, Qpv, QpvCrosswalk)}

    output = run_load(source)

    assert "No change" in output
    second = ReferenceLoad.objects.order_by("-pk").first()
    assert not second.changed
    assert all(c["added"] == c["updated"] == c["removed"] == 0 for c in second.counts.values())
    assert before == {model: model.objects.count() for model in before}


@pytest.mark.django_db
def test_changed_file_updates_adds_and_removes(source):
    import gzip
    import json

    run_load(source)
    path = source / "decoupage-administratif-6.0.0" / "communes.json.gz"
    communes = json.loads(gzip.decompress(path.read_bytes()))
    removed = next(row for row in communes if row["code"] == "31001")
    communes.remove(removed)
    for row in communes:
        if row["code"] == "31555":
            row["population"] = 500_000
    path.write_bytes(gzip.compress(json.dumps(communes).encode()))
    epci_path = path.with_name("epci.json.gz")
    epcis = json.loads(gzip.decompress(epci_path.read_bytes()))
    for epci in epcis:
        epci["membres"] = [member for member in epci["membres"] if member["code"] != "31001"]
    epci_path.write_bytes(gzip.compress(json.dumps(epcis).encode()))

    output = run_load(source)

    counts = ReferenceLoad.objects.order_by("-pk").first().counts
    assert counts["commune"]["removed"] == 1 and counts["commune"]["updated"] == 1
    assert counts["departement"]["updated"] == 1 and counts["region"]["updated"] == 1  # population sums
    assert not Commune.objects.filter(code="31001").exists()
    assert Commune.objects.get(code="31555").population == 500_000
    assert "No change" not in output


@pytest.mark.django_db
def test_hierarchy_epci_ept_arrondissements_and_communes_deleguees(source):
    load_reference(source)

    toulouse = Commune.objects.get(code="31555")
    assert toulouse.epci.name == "Toulouse Métropole" and toulouse.epci.nature == EpciNature.METRO
    assert toulouse.departement.region_id == "76"
    lyon_1 = Commune.objects.get(code="69381")
    assert lyon_1.kind == CommuneKind.ARRONDISSEMENT and lyon_1.parent_id == "69123"
    assert lyon_1.epci.nature == EpciNature.MET69  # an arrondissement shares its commune's EPCI
    saint_denis = Commune.objects.get(code="93066")
    assert saint_denis.ept.name == "Plaine Commune" and saint_denis.ept.parent == saint_denis.epci
    assert saint_denis.epci.name == "Métropole du Grand Paris"
    assert Epci.objects.get(code=saint_denis.ept_id).nature == EpciNature.EPT
    pierrefitte = Commune.objects.get(code="93059")  # merged into Saint-Denis on 2025-01-01
    assert pierrefitte.kind == CommuneKind.DELEGUEE and pierrefitte.parent_id == "93066"


@pytest.mark.django_db
def test_populations_are_municipal_and_summed_upwards(source):
    load_reference(source)

    haute_garonne = Departement.objects.get(code="31")
    communes = Commune.objects.filter(departement=haute_garonne, kind=CommuneKind.COMMUNE)
    assert haute_garonne.population == sum(c.population or 0 for c in communes) > 1_400_000
    assert Epci.objects.get(code="243100518").population > 800_000


@pytest.mark.django_db
def test_qpv_naming_a_merged_commune_is_resolved_through_the_cog(source):
    result = load_reference(source)

    qpv = Qpv.objects.get(code="QN09336I")  # published with commune 93059 only
    assert list(qpv.communes.values_list("code", flat=True)) == ["93066"]
    assert any("93059 -> 93066" in line for line in result.report["qpv2024_communes_resolved"])


@pytest.mark.django_db
def test_qpv_2015_population_and_geometry_fields(source):
    load_reference(source)

    qpv = Qpv.objects.get(code="QP031007")  # Grand Mirail, Toulouse
    assert qpv.generation == 2015 and qpv.population > 0
    assert qpv.departement_id == "31" and [c.code for c in qpv.communes.all()] == ["31555"]
    assert qpv.min_lon < qpv.max_lon and qpv.min_lat < qpv.max_lat and 42 < qpv.min_lat < 44
    assert qpv.area_m2 > 10_000
    assert '"MultiPolygon"' in qpv.geojson
