"""Bad input stops `essor territories load` with a message naming the file and the record; nothing changes."""

import gzip
import io
import json
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from essor.territories import loader
from essor.territories.models import Commune, Qpv, QpvCrosswalk, ReferenceLoad
from essor.territories.tests.fixtures import write_subset

QPV_FILE = "qpv2024/qpv2024_france_wgs84.geojson.gz"


@pytest.fixture(scope="session")
def subset_dir(tmp_path_factory):
    return write_subset(tmp_path_factory.mktemp("reference") / "data", ("31", "93"))


@pytest.fixture
def loaded(subset_dir, tmp_path, db):
    """A loaded reference and a private copy of its files; returns (copy, snapshot of the tables)."""
    source = shutil.copytree(subset_dir, tmp_path / "data")
    call_command("territories", "load", "--from", str(source), stdout=io.StringIO())
    return source, snapshot()


def snapshot():
    return {
        "communes": sorted(Commune.objects.values_list("code", "name", "population", "epci_id")),
        "qpvs": sorted(Qpv.objects.values_list("code", "name", "area_m2", "repaired")),
        "links": sorted(Qpv.communes.through.objects.values_list("qpv_id", "commune_id")),
        "crosswalk": sorted(
            QpvCrosswalk.objects.values_list("qpv_2015_id", "qpv_2024_id", "share_of_2015_area")
        ),
        "loads": ReferenceLoad.objects.count(),
    }


def fails_with(source, *fragments):
    with pytest.raises(CommandError) as error:
        call_command("territories", "load", "--from", str(source), stdout=io.StringIO())
    message = str(error.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


def edit_qpv(source, change):
    path = source / QPV_FILE
    collection = json.loads(gzip.decompress(path.read_bytes()))
    change(collection["features"])
    path.write_bytes(gzip.compress(json.dumps(collection).encode()))


def feature(features, code):
    return next(f for f in features if f["properties"]["code_qp"] == code)


def test_missing_file(loaded):
    source, before = loaded
    (source / "decoupage-administratif-6.0.0" / "communes.json.gz").unlink()
    fails_with(source, "communes.json.gz", "missing file")
    assert snapshot() == before


def test_missing_qpv_directory(loaded):
    source, before = loaded
    shutil.rmtree(source / "qpv2024")
    fails_with(source, "qpv2024", "missing file")
    assert snapshot() == before


def test_invalid_json(loaded):
    source, before = loaded
    (source / "decoupage-administratif-6.0.0" / "epci.json.gz").write_bytes(gzip.compress(b'[{"code": "2431'))
    fails_with(source, "epci.json.gz", "invalid JSON")
    assert snapshot() == before


def test_not_gzip(loaded):
    source, before = loaded
    (source / "decoupage-administratif-6.0.0" / "regions.json.gz").write_text("[]")
    fails_with(source, "regions.json.gz", "gzip")
    assert snapshot() == before


def test_wrong_format_not_a_list(loaded):
    source, before = loaded
    (source / "decoupage-administratif-6.0.0" / "communes.json.gz").write_bytes(
        gzip.compress(b'{"code": "31555"}')
    )
    fails_with(source, "communes.json.gz", "wrong format")
    assert snapshot() == before


def test_wrong_format_missing_field_names_the_record(loaded):
    source, before = loaded
    path = source / "decoupage-administratif-6.0.0" / "communes.json.gz"
    communes = json.loads(gzip.decompress(path.read_bytes()))
    next(row for row in communes if row["code"] == "31555").pop("nom")
    path.write_bytes(gzip.compress(json.dumps(communes).encode()))
    fails_with(source, "communes.json.gz", "31555", "`nom`")
    assert snapshot() == before


def test_wrong_format_geojson(loaded):
    source, before = loaded
    (source / QPV_FILE).write_bytes(gzip.compress(b'{"type": "Feature"}'))
    fails_with(source, "qpv2024_france_wgs84.geojson.gz", "FeatureCollection")
    assert snapshot() == before


def test_qpv_naming_an_unknown_commune(loaded):
    source, before = loaded
    edit_qpv(
        source, lambda features: feature(features, "QN03104M")["properties"].update(insee_com="31555;31999")
    )
    fails_with(source, "qpv2024_france_wgs84.geojson.gz", "QN03104M", "unknown commune '31999'")
    assert snapshot() == before


def test_qpv_with_empty_geometry(loaded):
    source, before = loaded
    empty = {"type": "MultiPolygon", "coordinates": []}
    edit_qpv(source, lambda features: feature(features, "QN03104M").update(geometry=empty))
    fails_with(source, "qpv2024_france_wgs84.geojson.gz", "QN03104M", "empty")
    assert snapshot() == before


def test_qpv_with_unrepairable_geometry(loaded):
    source, before = loaded
    flat = {"type": "Polygon", "coordinates": [[[1.40, 43.60], [1.41, 43.61], [1.42, 43.62], [1.40, 43.60]]]}
    edit_qpv(source, lambda features: feature(features, "QN03104M").update(geometry=flat))
    fails_with(source, "qpv2024_france_wgs84.geojson.gz", "QN03104M", "no area left")
    assert snapshot() == before


def test_qpv_with_a_point_instead_of_a_contour(loaded):
    source, before = loaded
    point = {"type": "Point", "coordinates": [1.40, 43.60]}
    edit_qpv(source, lambda features: feature(features, "QN03104M").update(geometry=point))
    fails_with(source, "QN03104M", "Point")
    assert snapshot() == before


def test_duplicate_qpv_code(loaded):
    source, before = loaded
    edit_qpv(source, lambda features: features.append(json.loads(json.dumps(feature(features, "QN03104M")))))
    fails_with(source, "QN03104M", "twice")
    assert snapshot() == before


def test_bad_population_in_2015_characteristics(loaded):
    source, before = loaded
    path = source / "qp2015-occitanie" / "qp2015_occitanie_caracteristiques.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("pop_mun")] = "beaucoup"
    path.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    fails_with(source, "qp2015_occitanie_caracteristiques.csv", "line 2", "beaucoup")
    assert snapshot() == before


def test_failure_while_writing_rolls_everything_back(loaded, monkeypatch):
    """Even a failure after some tables were written leaves the previous reference in place."""
    source, before = loaded
    path = source / "decoupage-administratif-6.0.0" / "communes.json.gz"
    communes = json.loads(gzip.decompress(path.read_bytes()))
    for row in communes:
        row["nom"] = row["nom"].upper()
    path.write_bytes(gzip.compress(json.dumps(communes).encode()))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(loader, "_sync_crosswalk", broken)
    with pytest.raises(RuntimeError):
        loader.load_reference(source)
    assert snapshot() == before


def test_population_that_is_not_a_number(loaded):
    source, before = loaded
    path = source / "decoupage-administratif-6.0.0" / "communes.json.gz"
    communes = json.loads(gzip.decompress(path.read_bytes()))
    next(row for row in communes if row["code"] == "31069")["population"] = "25 000"
    path.write_bytes(gzip.compress(json.dumps(communes).encode()))
    fails_with(source, "communes.json.gz", "commune 31069", "'25 000'")
    assert snapshot() == before
