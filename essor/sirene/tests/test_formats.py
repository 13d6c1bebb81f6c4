"""Input files: every format and delimiter reads the same; bad files give a clear message naming the file."""

import duckdb
import pytest

from essor.sirene import formats
from essor.sirene import synth_formats as layouts
from essor.sirene.tests.builders import etab, unit, write_file

ETABS = [etab("100000001", 1, commune="2A004"), etab("100000001", 2, commune="01001", band="01")]


def staged_rows(path, role, tmp_path):
    item = formats.open_input(formats.describe(role, path), tmp_path)
    con = duckdb.connect()
    source = formats.stage(con, item, tmp_path)
    rows = con.execute(f"SELECT siret, codeCommuneEtablissement, trancheEffectifsEtablissement FROM {source}")
    return item, sorted(rows.fetchall())


@pytest.mark.parametrize("fmt", ["csv", "csv.gz", "zip", "parquet"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_every_format_and_delimiter_reads_the_same_text_codes(tmp_path, fmt, delimiter):
    path = write_file(tmp_path / "in", layouts.ETABLISSEMENTS, ETABS, fmt, delimiter)
    item, rows = staged_rows(path, formats.ETABLISSEMENTS, tmp_path)
    # Codes stay text: leading zeros and Corsica's 2A are kept.
    assert rows == [("10000000100001", "2A004", "NN"), ("10000000100002", "01001", "01")]
    assert item.rows == 2 and item.format == fmt
    assert len(item.sha256) == 64


def test_extra_and_reordered_columns_are_tolerated(tmp_path):
    path = tmp_path / "etab.csv"
    columns = list(reversed(layouts.ETABLISSEMENT_COLUMNS)) + ["colonneInconnue"]
    lines = [",".join(columns)] + [",".join(row.get(c, "x") for c in columns) for row in ETABS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, rows = staged_rows(path, formats.ETABLISSEMENTS, tmp_path)
    assert [r[1] for r in rows] == ["2A004", "01001"]


def test_truncated_zip_is_a_clear_error(tmp_path):
    path = write_file(tmp_path / "in", layouts.ETABLISSEMENTS, ETABS * 200, "zip")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(
        formats.SireneInputError, match=r"StockEtablissement file .*\.zip: the zip archive is truncated"
    ):
        formats.open_input(formats.describe(formats.ETABLISSEMENTS, path), tmp_path)


def test_corrupt_zip_member_is_a_clear_error(tmp_path):
    path = write_file(tmp_path / "in", layouts.ETABLISSEMENTS, ETABS * 200, "zip")
    data = bytearray(path.read_bytes())
    for i in range(200, 260):  # damage the compressed data, keep the archive's directory
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(formats.SireneInputError, match="truncated or corrupt"):
        formats.open_input(formats.describe(formats.ETABLISSEMENTS, path), tmp_path)


def test_wrong_encoding_is_a_clear_error_with_the_line(tmp_path):
    path = write_file(
        tmp_path / "in", layouts.UNITES_LEGALES, [unit("100000001"), unit("100000002", name="CAFÉ")]
    )
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    with pytest.raises(formats.SireneInputError, match=r"StockUniteLegale file .*: not UTF-8 .* on line 3"):
        formats.open_input(formats.describe(formats.UNITES_LEGALES, path), tmp_path)


def test_wrong_encoding_after_the_first_megabytes_stops_the_run_too(tmp_path, monkeypatch):
    header = ",".join(layouts.ETABLISSEMENT_COLUMNS)
    monkeypatch.setattr(formats, "ENCODING_PROBE_BYTES", len(header) + 1)  # the probe only sees the header
    path = write_file(tmp_path / "in", layouts.ETABLISSEMENTS, ETABS)
    with path.open("ab") as handle:
        handle.write("100000001,00001,10000000100003,O,café\n".encode("latin-1"))
    item = formats.open_input(formats.describe(formats.ETABLISSEMENTS, path), tmp_path)
    with pytest.raises(formats.SireneInputError, match=r"StockEtablissement file .*: not UTF-8 \(line 4\)"):
        formats.stage(duckdb.connect(), item, tmp_path)


def test_missing_columns_are_named(tmp_path):
    path = tmp_path / "geo.csv"
    path.write_text("siret;x;y;epsg\n10000000100001;1;2;2154\n", encoding="utf-8")
    with pytest.raises(formats.SireneInputError) as error:
        formats.open_input(formats.describe(formats.GEOLOCALISATION, path), tmp_path)
    message = str(error.value)
    assert (
        "geo.csv" in message and "qualite_xy" in message and "plg_qp24" in message and "y_latitude" in message
    )


def test_missing_columns_in_parquet_are_named(tmp_path):
    path = tmp_path / "ul.parquet"
    duckdb.connect().execute(f"COPY (SELECT '100000001' AS siren) TO '{path}' (FORMAT parquet)")
    with pytest.raises(
        formats.SireneInputError, match="ul.parquet: missing required column.*categorieJuridique"
    ):
        formats.open_input(formats.describe(formats.UNITES_LEGALES, path), tmp_path)


def test_malformed_lines_are_counted_and_sampled(tmp_path):
    path = write_file(tmp_path / "in", layouts.ETABLISSEMENTS, ETABS)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("100000009,00001,broken line\n")
    item, rows = staged_rows(path, formats.ETABLISSEMENTS, tmp_path)
    assert len(rows) == 2
    assert item.malformed_count == 1 and item.rows == 3
    assert item.malformed[0]["line"] == 4 and "broken line" in item.malformed[0]["text"]


def test_parquet_codes_stored_as_numbers_get_their_leading_zeros_back(tmp_path):
    path = tmp_path / "etab.parquet"
    columns = ", ".join(f"'' AS {c}" for c in formats.REQUIRED_COLUMNS[formats.ETABLISSEMENTS] if c not in (
        "siren", "siret", "trancheEffectifsEtablissement", "codeCommuneEtablissement"))  # fmt: skip
    duckdb.connect().execute(
        f"COPY (SELECT 5123456::INTEGER AS siren, 512345600012::BIGINT AS siret, 1::INTEGER AS "
        f"trancheEffectifsEtablissement, '01001' AS codeCommuneEtablissement, {columns}) TO '{path}' (FORMAT parquet)"
    )
    _, rows = staged_rows(path, formats.ETABLISSEMENTS, tmp_path)
    assert rows == [("00512345600012", "01001", "01")]


def test_unknown_file_type_and_missing_file(tmp_path):
    with pytest.raises(formats.SireneInputError, match="unsupported file type"):
        formats.detect_format(tmp_path / "x.xlsx")
    with pytest.raises(formats.SireneInputError, match="does not exist"):
        formats.describe(formats.UNITES_LEGALES, tmp_path / "absent.csv")
