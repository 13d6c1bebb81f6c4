"""Synthetic SIRENE files: INSEE's exact layouts, deterministic, realistic enough, malformed rows on request."""

import csv
import gzip
import json
import zipfile
from collections import Counter
from pathlib import Path

import duckdb
import pytest
import shapely
from django.core.management import CommandError, call_command

from essor.sirene import synth_formats as layouts
from essor.sirene.synth import SynthOptions, generate, luhn_key, synthetic_siret
from essor.sirene.synth_geo import QPV2024_CONTOURS

TOULOUSE = "epci:243100518"
NAMES = (layouts.UNITES_LEGALES, layouts.ETABLISSEMENTS, layouts.GEOLOCALISATION)


def read_rows(path: Path, name: str) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=layouts.DELIMITERS[name]))


def luhn_valid(number: str) -> bool:
    return number.isdigit() and luhn_key(number[:-1]) == int(number[-1])


@pytest.fixture(scope="module")
def toulouse(tmp_path_factory):
    out = tmp_path_factory.mktemp("toulouse")
    result = generate(SynthOptions(territory=TOULOUSE, out=out, establishments=4000, seed=7, malformed=True))
    rows = {name: read_rows(result.files[name], name) for name in NAMES}
    return result, rows


def test_files_have_the_official_names_columns_order_and_delimiters(toulouse):
    result, _ = toulouse
    for name in NAMES:
        path = result.files[name]
        assert path.name == f"{name}.csv"
        with path.open(encoding="utf-8") as handle:
            header = handle.readline().rstrip("\n")
        assert header.split(layouts.DELIMITERS[name]) == layouts.COLUMNS[name]
    assert len(layouts.UNITE_LEGALE_COLUMNS) == 35
    assert len(layouts.ETABLISSEMENT_COLUMNS) == 54
    assert len(layouts.GEOLOCALISATION_COLUMNS) == 19
    readme = (result.files[layouts.ETABLISSEMENTS].parent / "README.txt").read_text(encoding="utf-8")
    assert readme.startswith("SYNTHETIC DATA")
    assert "INVENTED" in readme


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    def run(out, seed):
        result = generate(
            SynthOptions(territory="commune:31069", out=tmp_path / out, establishments=800, seed=seed)
        )
        return {name: path.read_bytes() for name, path in result.files.items()}

    first, again, other = run("a", 3), run("b", 3), run("c", 4)
    assert first == again
    assert first[layouts.ETABLISSEMENTS] != other[layouts.ETABLISSEMENTS]


def test_identifiers_are_valid_and_consistent(toulouse):
    result, rows = toulouse
    units = rows[layouts.UNITES_LEGALES]
    sirens = {row["siren"] for row in units}
    assert len(sirens) == len(units)
    assert all(luhn_valid(siren) for siren in sirens)
    etabs = [r for r in rows[layouts.ETABLISSEMENTS] if None not in r.values() and len(r["siret"]) == 14]
    good = [row for row in etabs if luhn_valid(row["siret"])]
    assert len(etabs) - len(good) <= 2  # the malformed ones only
    assert all(row["siret"] == row["siren"] + row["nic"] and row["siren"] in sirens for row in good)
    sieges = {row["siren"]: row["nic"] for row in good if row["etablissementSiege"] == "true"}
    assert all(sieges[row["siren"]] == row["nicSiegeUniteLegale"] for row in units)
    # ~1.5 establishments per unit, as in the national stock
    assert 1.2 < len(etabs) / len(units) < 1.9


def test_malformed_rows_on_request(toulouse):
    result, rows = toulouse
    etabs = rows[layouts.ETABLISSEMENTS]
    sirets = Counter(row["siret"] for row in etabs)
    assert sirets[synthetic_siret(3)] == 2  # duplicate
    assert synthetic_siret(1)[:13] in sirets  # 13 digits
    assert any(s and not s.isdigit() for s in sirets)  # a letter
    assert any(len(s) == 14 and s.isdigit() and not luhn_valid(s) for s in sirets)  # check digit
    unknown = [row for row in etabs if row["codeCommuneEtablissement"] == "00000"]
    assert [row["siret"] for row in unknown] == [synthetic_siret(4)]
    short = [row for row in etabs if None in row.values()]  # DictReader pads a line with too few fields
    assert len(short) == 1
    assert "a line with a wrong number of fields" in result.malformed


def test_no_malformed_rows_unless_asked(tmp_path):
    result = generate(SynthOptions(territory="commune:31069", out=tmp_path, establishments=300, seed=1))
    etabs = read_rows(result.files[layouts.ETABLISSEMENTS], layouts.ETABLISSEMENTS)
    assert all(luhn_valid(row["siret"]) and row["codeCommuneEtablissement"] == "31069" for row in etabs)
    assert len({row["siret"] for row in etabs}) == len(etabs)
    assert result.malformed == []


def test_rough_proportions_of_a_realistic_stock(toulouse):
    _, rows = toulouse
    units, etabs = rows[layouts.UNITES_LEGALES], rows[layouts.ETABLISSEMENTS]
    categories = Counter(row["categorieJuridiqueUniteLegale"] for row in units)
    assert 0.35 < categories["1000"] / len(units) < 0.6  # entrepreneurs individuels
    assert 0.04 < categories["9220"] / len(units) < 0.12  # associations déclarées
    assert categories["5499"] and categories["5710"]
    active = sum(row["etatAdministratifEtablissement"] == "A" for row in etabs)
    assert 0.25 < active / len(etabs) < 0.55  # most of the stock is closed establishments
    flags = Counter(row["economieSocialeSolidaireUniteLegale"] for row in units)
    assert flags["O"] and flags["N"] and flags[""]  # empty flags exercise the statistical perimeter
    masked = [row for row in units if row["statutDiffusionUniteLegale"] == "P"]
    assert masked and all(row["nomUniteLegale"] == "[ND]" for row in masked)
    assert all(row["categorieJuridiqueUniteLegale"] == "1000" for row in masked)
    communes = {row["codeCommuneEtablissement"] for row in etabs} - {"00000", None}
    assert len(communes) > 20 and all(code.startswith("31") for code in communes)
    bands = Counter(row["trancheEffectifsEtablissement"] for row in etabs)
    assert bands["NN"] > bands["01"] > bands["12"] > 0


def test_draws_are_independent_of_each_other(toulouse):
    """Each attribute has its own draw: no category is all active, all ESS or all without a flag."""
    _, rows = toulouse
    units = rows[layouts.UNITES_LEGALES]
    for category in ("1000", "5499", "5710", "9220", "6540"):
        group = [row for row in units if row["categorieJuridiqueUniteLegale"] == category]
        active = sum(row["etatAdministratifUniteLegale"] == "A" for row in group) / len(group)
        assert 0.2 < active < 0.8, category
    associations = [row for row in units if row["categorieJuridiqueUniteLegale"] == "9220"]
    for state in ("A", "C"):
        flags = Counter(
            r["economieSocialeSolidaireUniteLegale"]
            for r in associations
            if r["etatAdministratifUniteLegale"] == state
        )
        assert flags["O"] > flags[""] > 0, state


def test_points_inside_near_and_far_from_real_qpv_contours(toulouse):
    _, rows = toulouse
    geo = rows[layouts.GEOLOCALISATION]
    located = [row for row in geo if row["x"] and row["x_longitude"] != "[ND]"]
    assert len(geo) > len(located) > 0.9 * len(geo)  # some rows have no coordinates
    assert {row["epsg"] for row in located} == {"2154"}
    with gzip.open(QPV2024_CONTOURS, "rt", encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    contours = {
        f["properties"]["code_qp"]: shapely.make_valid(shapely.geometry.shape(f["geometry"]))
        for f in features
        if f["properties"]["insee_com"].startswith("31")
    }
    codes = Counter(row["plg_qp24"] for row in located)
    assert codes["HZ"] and codes["CSZ"] and codes[""]  # out of zone, commune without QPV, left to compute
    inside = [row for row in located if row["plg_qp24"].startswith("QN")]
    assert len(inside) > 50
    for row in inside:
        point = shapely.Point(float(row["x_longitude"]), float(row["y_latitude"]))
        assert contours[row["plg_qp24"]].buffer(0.0002).contains(point)
    union = shapely.union_all(list(contours.values()))
    outside = [row for row in located if row["plg_qp24"] == "HZ"]
    lonlat = [shapely.Point(float(r["x_longitude"]), float(r["y_latitude"])) for r in outside]
    assert not any(union.contains(point) for point in lonlat)
    near = [p for p in lonlat if union.distance(p) < 0.003]  # ~250 m in degrees at this latitude
    assert 0.05 * len(lonlat) < len(near) < 0.8 * len(lonlat)
    assert any(row["plg_qp15"].startswith("QP") for row in located)  # Occitanie: 2015 contours are vendored


def test_zip_and_parquet_formats(tmp_path):
    options = {"territory": "commune:31069", "establishments": 500, "seed": 5}
    as_csv = generate(SynthOptions(out=tmp_path / "csv", **options))
    as_zip = generate(SynthOptions(out=tmp_path / "zip", format="zip", **options))
    as_parquet = generate(SynthOptions(out=tmp_path / "parquet", format="parquet", **options))
    for name in NAMES:
        assert as_zip.files[name].name == f"{name}.zip"
        with zipfile.ZipFile(as_zip.files[name]) as archive:
            assert archive.namelist() == [f"{name}.csv"]
            assert archive.read(f"{name}.csv") == as_csv.files[name].read_bytes()
        relation = duckdb.sql(f"SELECT * FROM read_parquet('{as_parquet.files[name]}')")
        assert relation.columns == layouts.COLUMNS[name]
        assert len(relation.fetchall()) == as_csv.rows[name]


def test_overseas_rows_use_their_local_projection(tmp_path):
    result = generate(SynthOptions(territory="departement:974", out=tmp_path, establishments=600, seed=2))
    geo = read_rows(result.files[layouts.GEOLOCALISATION], layouts.GEOLOCALISATION)
    located = [row for row in geo if row["x"] and row["x_longitude"] != "[ND]"]
    assert {row["epsg"] for row in located} == {"2975"}
    assert all(-21.5 < float(row["y_latitude"]) < -20.8 for row in located)
    assert any(row["plg_qp24"].startswith("QN974") for row in located)


def test_paris_lyon_marseille_use_arrondissements(tmp_path):
    result = generate(SynthOptions(territory="commune:69123", out=tmp_path, establishments=400, seed=2))
    etabs = read_rows(result.files[layouts.ETABLISSEMENTS], layouts.ETABLISSEMENTS)
    communes = {row["codeCommuneEtablissement"] for row in etabs}
    assert communes <= {f"6938{n}" for n in range(1, 10)} and len(communes) > 3


def test_command_writes_files_and_names_them(tmp_path, capsys):
    call_command(
        "sirene", "synth", "--territory", "commune:31069", "--out", str(tmp_path), "--establishments", "200",
        "--format", "parquet",
    )  # fmt: skip
    assert (tmp_path / f"{layouts.ETABLISSEMENTS}.parquet").exists()
    assert "SYNTHETIC" in (tmp_path / "README.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("territory", ["epci:000000000", "planet:earth", "france:DE"])
def test_unknown_territory_is_a_clear_error(tmp_path, territory):
    with pytest.raises(CommandError, match="Unknown territory"):
        call_command("sirene", "synth", "--territory", territory, "--out", str(tmp_path))


def test_the_generator_follows_the_real_files(toulouse, tmp_path):
    _, rows = toulouse
    units, etabs, geo = (rows[name] for name in NAMES)
    etabs = [row for row in etabs if None not in row.values()]  # without the malformed line (--malformed)
    assert {row["caractereEmployeurUniteLegale"] for row in units} == {""}  # always empty in the real files
    assert {row["caractereEmployeurEtablissement"] for row in etabs} >= {"O", "N"}
    naf25 = [row["activitePrincipaleNAF25Etablissement"] or "" for row in etabs if None not in row.values()]
    assert sum(1 for code in naf25 if len(code) == 6 and code[2] == "." and code[5] in "YGHJKL") > 0.9 * len(
        naf25
    )
    assert {row["nomenclatureActivitePrincipaleEtablissement"] for row in etabs} == {"NAFRev2"}
    masked = [row for row in geo if row["x_longitude"] == "[ND]"]
    assert all(row["y_latitude"] == "[ND]" for row in masked) and sum(
        1 for row in masked if row["x"]
    ) > 0.9 * len(masked)
    assert {len(row["plg_iris"]) for row in geo if row["plg_iris"]} == {4}
    assert {row["typeVoieEtablissement"] for row in etabs} <= {
        "RUE", "AVENUE", "BOULEVARD", "CHEMIN", "PLACE", "IMPASSE", "ALLEE", "ROUTE", "[ND]"}  # fmt: skip
    assert {row["etablissementSiege"] for row in etabs if None not in row.values()} == {"true", "false"}
    assert any(row["dateCreationEtablissement"] == "1900-01-01" for row in etabs)
    # Parquet with the data.gouv.fr types.
    parquet = generate(SynthOptions(territory="commune:31069", out=tmp_path, establishments=600, seed=3,
                                    format="parquet"))  # fmt: skip
    types = {
        name: dict(duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{parquet.files[name]}')").fetchall()[i][:2]
                   for i in range(len(layouts.COLUMNS[name])))
        for name in NAMES
    }  # fmt: skip
    assert types[layouts.UNITES_LEGALES]["categorieJuridiqueUniteLegale"] == "BIGINT"
    assert types[layouts.UNITES_LEGALES]["unitePurgeeUniteLegale"] == "BOOLEAN"
    assert types[layouts.ETABLISSEMENTS]["etablissementSiege"] == "BOOLEAN"
    assert types[layouts.ETABLISSEMENTS]["dateCreationEtablissement"] == "DATE"
    assert types[layouts.ETABLISSEMENTS]["dateDernierTraitementEtablissement"] == "TIMESTAMP"
    assert (
        types[layouts.GEOLOCALISATION]["x"] == "FLOAT" and types[layouts.GEOLOCALISATION]["epsg"] == "VARCHAR"
    )
    assert types[layouts.ETABLISSEMENTS]["siret"] == "VARCHAR"


def test_mayotte_is_not_in_the_geolocation_file_but_has_stock_coordinates(tmp_path):
    result = generate(SynthOptions(territory="departement:976", out=tmp_path, establishments=400, seed=2))
    rows = {name: read_rows(result.files[name], name) for name in NAMES}
    assert rows[layouts.GEOLOCALISATION] == []
    located = [
        r
        for r in rows[layouts.ETABLISSEMENTS]
        if r["coordonneeLambertAbscisseEtablissement"] not in ("", "[ND]")
    ]
    assert len(located) > 0.5 * len(rows[layouts.ETABLISSEMENTS])
    assert all(r["codeCommuneEtablissement"].startswith("976") for r in located)
