"""The open data written from the pipeline's DuckDB connection (ingestion) and from the database (`essor diffusion
publish` later) are the same files; restricted rows (persons, partially diffusible records) carry no identity."""

import csv
import datetime as dt
import hashlib
import json
import shutil

import duckdb
import pytest

from essor.diffusion import opendata, tables
from essor.diffusion.tests.conftest import PERSON
from essor.observatory.tests.factories import EssEstablishmentFactory
from essor.sirene import rules, writer
from essor.sirene.models import EssEstablishment, EstablishmentCount, Release
from essor.sirene.signals import release_built

FILES = ("ess_establishments", "establishment_counts", "indicators")
# A partially diffusible association (statutDiffusion P, not a person): an older release may still hold its name.
PRIVATE = {
    "name": "Refuge Discret",
    "address": "3 impasse Cachée",
    "postcode": "31200",
    "lon": 1.4123,
    "lat": 43.6321,
}
QUOTED = 'Coop "La Fabrique", Toulouse'
LON, LAT = 1.4432861234567891, 43.604243123456789
WITHHELD = ("name", "address", "postcode", "zone", "qpv24_code", "qpv24_source", "qpv15_code", "near_qpv24_code",
            "lon", "lat")  # fmt: skip


@pytest.fixture
def edge_release(release):
    common = {"release": release, "commune_code": "31555", "epci_code": "243100518", "departement_code": "31",
              "region_code": "76"}  # fmt: skip
    EssEstablishmentFactory(
        siret="90000000000001", legal_category="9220", private=True, zone="qpv", qpv24_code="QN03104M",
        qpv24_source="insee", qpv15_code="QP031007", near_qpv24_code="QN03105M", **PRIVATE, **common,
    )  # fmt: skip
    EssEstablishmentFactory(
        siret="90000000000002", name=QUOTED, address="5, place du Capitole", band="53", employer=True,
        employees_low=10_000, employees_high=None, created_on=dt.date(1987, 6, 15), lon=LON, lat=LAT,
        family="cooperative", legal_category="5458", **common,
    )  # fmt: skip
    return release


def pipeline_connection(release) -> duckdb.DuckDBPyConnection:
    """A DuckDB laid out as the pipeline's at release_built: out_ess / out_counts (text NULL where the pipeline
    has no value) under writer.create_views."""
    con = duckdb.connect()
    for table, model, columns in (("out_ess", EssEstablishment, writer.ESS_COLUMNS),
                                  ("out_counts", EstablishmentCount, writer.COUNT_COLUMNS)):  # fmt: skip
        kinds = [tables.MODEL_TYPES[model._meta.get_field(c).get_internal_type()] for c in columns]
        con.execute(
            f"CREATE TABLE {table} ({', '.join(f'{c} {k}' for c, k in zip(columns, kinds, strict=True))})"
        )
        rows = [
            tuple(None if value == "" else value for value in row)
            for row in model.objects.filter(release=release).values_list(*columns)
        ]
        con.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' for _ in columns)})", rows)
    writer.create_views(con, release.pk)
    return con


def _snapshot(release, into):
    shutil.copytree(opendata.package_dir(release), into)
    return into


def _csv(folder, name):
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _parquet(folder, name):
    return duckdb.sql(f"SELECT * FROM read_parquet('{folder / name}.parquet')").fetchall()


@pytest.fixture
def both(edge_release, tmp_path):
    """The package written from the pipeline's connection, then the one written from the database."""
    con = pipeline_connection(edge_release)
    opendata.publish(edge_release, force=True, duckdb=con)
    con.close()
    from_pipeline = _snapshot(edge_release, tmp_path / "pipeline")
    opendata.publish(edge_release, force=True)
    return from_pipeline, _snapshot(edge_release, tmp_path / "database")


def test_both_paths_write_the_same_files_and_descriptor(both):
    pipeline, database = both
    for name in FILES:
        assert (pipeline / f"{name}.csv").read_bytes() == (database / f"{name}.csv").read_bytes()
        assert _parquet(pipeline, name) == _parquet(database, name)
    package = json.loads((pipeline / "datapackage.json").read_text())
    assert package == json.loads((database / "datapackage.json").read_text())
    counts = _csv(pipeline, "establishment_counts")
    assert (
        len(counts) == EstablishmentCount.objects.count() and len(_csv(pipeline, "ess_establishments")) == 15
    )


@pytest.mark.parametrize("path", ["pipeline", "database"])
def test_the_descriptor_gives_the_rows_size_and_hash_of_every_file(both, path):
    folder = both[0] if path == "pipeline" else both[1]
    package = json.loads((folder / "datapackage.json").read_text())
    assert len(package["resources"]) == 6
    for resource in package["resources"]:
        file = folder / resource["path"]
        assert resource["bytes"] == file.stat().st_size
        assert resource["hash"] == "sha256:" + hashlib.sha256(file.read_bytes()).hexdigest()
        name = resource["path"].rsplit(".", 1)[0]
        rows = len(_csv(folder, name)) if resource["format"] == "csv" else len(_parquet(folder, name))
        assert resource["essor:rows"] == rows


@pytest.mark.parametrize("path", ["pipeline", "database"])
def test_restricted_rows_carry_no_identity_zone_qpv_nor_position(edge_release, path):
    """The partially diffusible association used to be published with its zone and QPV codes."""
    con = pipeline_connection(edge_release) if path == "pipeline" else None
    opendata.publish(edge_release, force=True, **({"duckdb": con} if con else {}))
    folder = opendata.package_dir(edge_release)
    rows = {row["siret"]: row for row in _csv(folder, "ess_establishments")}
    private = rows["90000000000001"]
    person = next(row for row in rows.values() if row["legal_category"] == PERSON["legal_category"])
    for row in (private, person):
        assert row["restricted"] == "true"
        assert {field: row[field] for field in WITHHELD} == dict.fromkeys(WITHHELD, "")
        assert row["commune_code"] == "31555" and row["naf"]
    text = (folder / "ess_establishments.csv").read_text(encoding="utf-8")
    for secret in (*PRIVATE.values(), *(PERSON[k] for k in ("name", "address", "lon", "lat")), "QN03105M"):
        assert str(secret) not in text
    con = duckdb.connect()
    parquet = f"read_parquet('{folder / 'ess_establishments.parquet'}')"
    withheld = con.execute(
        f"SELECT {', '.join(WITHHELD)} FROM {parquet} WHERE siret = '90000000000001' OR legal_category LIKE '1%'"
    ).fetchall()
    assert withheld == [(None,) * len(WITHHELD)] * 2
    assert con.execute(f"SELECT count(*) FROM {parquet} WHERE restricted").fetchall() == [(2,)]


def test_cells_follow_the_csv_conventions_and_parquet_keeps_the_values(both):
    pipeline, _ = both
    rows = {row["siret"]: row for row in _csv(pipeline, "ess_establishments")}
    quoted = rows["90000000000002"]
    assert quoted["name"] == QUOTED and quoted["address"] == "5, place du Capitole"
    assert quoted["employees_high"] == "" and quoted["employees_low"] == "10000"
    assert quoted["created_on"] == "1987-06-15" and quoted["employer"] == "true"
    assert (
        quoted["restricted"] == "false"
        and quoted["zone"] == "hors_qpv"
        and quoted["arrondissement_code"] == ""
    )
    assert float(quoted["lon"]) == LON and float(quoted["lat"]) == LAT  # the shortest text that round-trips
    assert quoted["lon"] == repr(LON)
    assert list(rows) == sorted(rows)  # by SIRET
    con = duckdb.connect()
    parquet = f"read_parquet('{pipeline / 'ess_establishments.parquet'}')"
    assert con.execute(
        f"SELECT name, employees_high, created_on, lon, lat, arrondissement_code FROM {parquet} "
        "WHERE siret = '90000000000002'"
    ).fetchall() == [(QUOTED, None, dt.date(1987, 6, 15), LON, LAT, None)]
    types = dict(
        con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {parquet})").fetchall()
    )
    assert types["created_on"] == "DATE" and types["lon"] == "DOUBLE" and types["employees_high"] == "BIGINT"
    header = (pipeline / "ess_establishments.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(column.name for column in tables.ESTABLISHMENTS.columns)


def test_counts_are_in_the_order_of_location_zone_qpv_and_division(both):
    rows = _csv(both[0], "establishment_counts")
    keys = [tuple(row[name] for name in tables.ORDER["establishment_counts"]) for row in rows]
    assert keys == sorted(keys)


def test_the_signal_publishes_from_the_pipeline_connection_without_reading_the_database(
    edge_release, settings
):
    settings.ESSOR_OPENDATA_ON_RELEASE = True
    con = pipeline_connection(edge_release)
    # Only the pipeline's views still have the establishments.
    EssEstablishment.objects.filter(release=edge_release).delete()
    release_built.send(sender=Release, release=edge_release, duckdb=con)
    rows = _csv(opendata.package_dir(edge_release), "ess_establishments")
    assert len(rows) == 15 and rows[-1]["siret"] == "90000000000002"
    assert con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'opendata_%'"
    ).fetchall() == [(0,)]
    edge_release.refresh_from_db()
    assert "opendata" in edge_release.timings and "opendata" in edge_release.timings["cpu"]


@pytest.mark.parametrize(
    ("legal_category", "private", "restricted"),
    [("1000", False, True), ("9220", True, True), ("1000", True, True), ("9220", False, False), ("", False, False),
     ("5499", None, False)],
)  # fmt: skip
def test_the_sql_rule_is_the_python_rule(legal_category, private, restricted):
    row = EssEstablishment(legal_category=legal_category, private=bool(private))
    assert tables.is_restricted(row) is restricted
    assert rules.is_restricted(legal_category, private) is restricted
    con = duckdb.connect()
    sql = con.execute(
        f"SELECT {rules.RESTRICTED_SQL} FROM (SELECT ?::VARCHAR AS legal_category, ?::BOOLEAN AS private)",
        [legal_category, private],
    ).fetchall()
    con.close()
    assert sql == [(restricted,)]


def test_an_ingest_publishes_what_the_command_publishes_later(db, data_dir, tmp_path, settings):
    """A real ingestion (the pipeline's own views) and `essor diffusion publish` afterwards write the same bytes."""
    from essor.sirene.release import ingest
    from essor.sirene.tests.builders import etab, geo, qpv_points, unit, write_inputs
    from essor.territories.models import Qpv
    from essor.territories.tests.fixtures import load_reference

    load_reference(departements=("31",))
    settings.ESSOR_OPENDATA_ON_RELEASE = True
    qpv = Qpv.objects.filter(generation=2024, departement_id="31").order_by("code").first()
    inside = qpv_points(qpv.code)["inside"]
    units = [unit("300000001", cj="5458", ess="O", name=QUOTED), unit("300000002", ess="O"),
             unit("300000003", ess="O", statutDiffusionUniteLegale="P"), unit("300000004", cj="1000", ess="O")]  # fmt: skip
    etabs = [etab("300000001", 1, band="53"), etab("300000001", 2, dateCreationEtablissement=""),
             etab("300000002", 1), etab("300000003", 1, statutDiffusionEtablissement="P"), etab("300000004", 1)]  # fmt: skip
    geos = [geo(f"{siren}{nic:05d}", *inside) for siren, nic in
            (("300000001", 1), ("300000002", 1), ("300000003", 1), ("300000004", 1))]  # fmt: skip
    release = ingest(write_inputs(tmp_path / "in", units, etabs, geos), vintage=dt.date(2026, 11, 1)).release
    at_ingest = _snapshot(release, tmp_path / "ingest")
    release.refresh_from_db()
    assert "opendata" in release.timings["cpu"]
    opendata.publish(release, force=True)
    later = opendata.package_dir(release)
    for name in FILES:
        for fmt in ("csv", "parquet"):
            assert (at_ingest / f"{name}.{fmt}").read_bytes() == (later / f"{name}.{fmt}").read_bytes(), name
    rows = {row["siret"]: row for row in _csv(later, "ess_establishments")}
    assert rows["30000000100001"]["name"] == QUOTED and rows["30000000100001"]["employees_high"] == ""
    assert rows["30000000100001"]["zone"] == "qpv" and rows["30000000100001"]["qpv24_code"] == qpv.code
    assert rows["30000000100002"]["created_on"] == ""
    for siret in ("30000000300001", "30000000400001"):
        assert rows[siret]["restricted"] == "true"
        assert {field: rows[siret][field] for field in WITHHELD} == dict.fromkeys(WITHHELD, "")
