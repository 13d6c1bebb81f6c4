"""`essor qpv locate --csv IN --out OUT`: every row kept, bad rows explained, delimiters, BOM, projections."""

import csv
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from pyproj import Transformer

from essor.territories import locate
from essor.territories.tests.locate_support import BARRADELS, load_lookup_reference


@pytest.fixture
def reference(db):
    load_lookup_reference()
    yield
    locate.clear_cache()


def run(source, output, *args) -> str:
    out = StringIO()
    call_command("qpv", "locate", "--csv", str(source), "--out", str(output), *args, stdout=out)
    return out.getvalue()


def read(path, delimiter=",", encoding="utf-8") -> list[dict]:
    with open(path, encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def test_each_row_gets_the_qpv_columns_and_a_bad_row_is_kept_and_reported(reference, tmp_path):
    source = tmp_path / "establishments.csv"
    source.write_text(
        "siret,name,lon,lat\n"
        f"1,inside,{BARRADELS[0]},{BARRADELS[1]}\n"
        "2,outside,1.45,43.70\n"
        "3,typo,1.4x,43.6\n"
        "4,no coordinates,,\n"
        "5,out of range,1.4,99\n",
        encoding="utf-8",
    )
    output = tmp_path / "out.csv"
    text = run(source, output)
    rows = read(output)
    assert [row["siret"] for row in rows] == ["1", "2", "3", "4", "5"]  # nothing dropped, order kept
    assert (
        rows[0]["name"] == "inside"
        and rows[0]["qpv_code"] == "QN03104M"
        and rows[0]["qpv_name"] == "Barradels"
    )
    assert rows[0]["qpv_status"] == "inside" and rows[0]["distance_m"] == "0.0"
    assert rows[1]["qpv_code"] == "" and rows[1]["nearest_qpv_code"].startswith("QN031")
    assert float(rows[1]["distance_m"]) > 0 and rows[1]["qpv_status"] == "outside"
    assert (
        rows[2]["qpv_status"] == "invalid: lon '1.4x' is not a number." and rows[2]["nearest_qpv_code"] == ""
    )
    assert rows[3]["qpv_status"].startswith("invalid: lon is empty")
    assert rows[4]["qpv_status"].startswith("invalid: lat 99 is outside -90..90")
    assert "5 rows" in text and "inside a QPV 2024: 1" in text and "invalid (kept, see qpv_status): 3" in text
    assert "line 4: lon '1.4x' is not a number." in text and "line 5: lon is empty." in text
    assert not (tmp_path / "out.csv.part").exists()


def test_semicolons_a_bom_and_decimal_commas_are_understood_and_kept(reference, tmp_path):
    source = tmp_path / "export-excel.csv"
    source.write_bytes(
        "\ufeffNom;Longitude;Latitude\nBarradels;1,3819;43,6397\nAilleurs;1,45;43,70\n".encode()
    )
    output = tmp_path / "out.csv"
    run(source, output, "--lon-column", "longitude", "--lat-column", "Latitude")
    assert output.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM stays for spreadsheet users
    rows = read(output, delimiter=";", encoding="utf-8-sig")
    assert list(rows[0])[:3] == ["Nom", "Longitude", "Latitude"]
    assert [row["qpv_code"] for row in rows] == ["QN03104M", ""]


def test_coordinates_in_a_local_projection_are_converted(reference, tmp_path):
    to_reunion = Transformer.from_crs(4326, 2975, always_xy=True)
    to_lambert = Transformer.from_crs(4326, 2154, always_xy=True)
    index = locate.get_index()
    record = next(record for record in index.records if record.code == "QN97430I")
    inside = record.geometry.representative_point()
    x, y = to_reunion.transform(inside.x, inside.y)
    (tmp_path / "reunion.csv").write_text(f"id;x;y\n1;{x:.2f};{y:.2f}\n2;12;oops\n", encoding="utf-8")
    run(
        tmp_path / "reunion.csv",
        tmp_path / "out.csv",
        "--crs",
        "2975",
        "--lon-column",
        "x",
        "--lat-column",
        "y",
    )
    rows = read(tmp_path / "out.csv", delimiter=";")
    assert rows[0]["qpv_code"] == "QN97430I"
    assert rows[1]["qpv_status"] == "invalid: y 'oops' is not a number."
    x, y = to_lambert.transform(*BARRADELS)
    (tmp_path / "l93.csv").write_text(f"x,y\n{x:.1f},{y:.1f}\n", encoding="utf-8")
    run(
        tmp_path / "l93.csv",
        tmp_path / "out93.csv",
        "--crs",
        "2154",
        "--lon-column",
        "x",
        "--lat-column",
        "y",
    )
    assert read(tmp_path / "out93.csv")[0]["qpv_code"] == "QN03104M"


def test_short_rows_and_blank_lines_are_kept_and_explained(reference, tmp_path):
    source = tmp_path / "ragged.csv"
    source.write_text(f"id,lon,lat\n1,{BARRADELS[0]}\n\n2,{BARRADELS[0]},{BARRADELS[1]}\n", encoding="utf-8")
    run(source, tmp_path / "out.csv")
    rows = read(tmp_path / "out.csv")
    assert [row["qpv_status"].split(":")[0] for row in rows] == ["invalid", "invalid", "inside"]


def test_the_json_summary_counts_rows(reference, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("lon,lat\n1.45,43.70\nx,y\n", encoding="utf-8")
    summary = json.loads(run(source, tmp_path / "out.csv", "--json"))
    assert summary["rows"] == 2 and summary["outside"] == 1 and summary["invalid"] == 1
    assert summary["invalid_samples"] == [{"line": 3, "reason": "lon 'x' is not a number."}]


def test_a_missing_column_or_file_stops_naming_it(reference, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("longitude,latitude\n1.4,43.6\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"in\.csv: column 'lon' not found.*--lon-column"):
        run(source, tmp_path / "out.csv")
    with pytest.raises(CommandError, match=r"missing\.csv: file not found"):
        run(tmp_path / "missing.csv", tmp_path / "out.csv")
    with pytest.raises(CommandError, match="EPSG:999999"):
        run(
            source,
            tmp_path / "out.csv",
            "--crs",
            "999999",
            "--lon-column",
            "longitude",
            "--lat-column",
            "latitude",
        )
    assert not (tmp_path / "out.csv").exists()


def test_a_maximum_distance_leaves_far_rows_without_a_nearest_qpv(reference, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(f"lon,lat\n1.45,43.70\n{BARRADELS[0]},{BARRADELS[1]}\n", encoding="utf-8")
    run(source, tmp_path / "out.csv", "--max-distance", "300")
    far, inside = read(tmp_path / "out.csv")
    assert far["qpv_status"] == "outside" and far["nearest_qpv_code"] == "" and far["distance_m"] == ""
    assert inside["qpv_code"] == "QN03104M" and inside["nearest_qpv_code"] == "QN03104M"


def test_a_file_that_is_not_utf8_stops_naming_it(reference, tmp_path):
    source = tmp_path / "latin1.csv"
    source.write_bytes("nom;lon;lat\nCafé;1.38;43.63\n".encode("latin-1"))
    with pytest.raises(CommandError, match=r"latin1\.csv.*not UTF-8.*save it as UTF-8"):
        run(source, tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()


def test_an_unclosed_quote_is_one_bad_row_and_the_next_rows_are_read(reference, tmp_path):
    """Issue 16 §2: the quote opened on line 3 must not swallow lines 4 and 5 into one field."""
    source = tmp_path / "quotes.csv"
    source.write_text(
        "siret,name,lon,lat\n"
        f"1,inside,{BARRADELS[0]},{BARRADELS[1]}\n"
        f'2,"unclosed,{BARRADELS[0]},{BARRADELS[1]}\n'
        f"3,after,{BARRADELS[0]},{BARRADELS[1]}\n"
        f'4,"quoted, fine",{BARRADELS[0]},{BARRADELS[1]}\n',
        encoding="utf-8",
    )
    output = tmp_path / "out.csv"
    summary = json.loads(run(source, output, "--json"))
    rows = read(output)
    assert [row["siret"] for row in rows] == ["1", "2", "3", "4"]
    assert rows[1]["qpv_status"].startswith("invalid: malformed line (unclosed quote)")
    assert [row["qpv_status"] for row in (rows[0], rows[2], rows[3])] == ["inside"] * 3
    assert rows[3]["name"] == "quoted, fine"
    assert (summary["rows"], summary["invalid"]) == (4, 1)
    assert summary["invalid_samples"][0]["line"] == 3


def test_a_ten_megabyte_field_is_read_and_kept(reference, tmp_path):
    long_text = "x" * 10_000_000
    source = tmp_path / "long.csv"
    source.write_text(
        f'siret,notes,lon,lat\n1,"{long_text}",{BARRADELS[0]},{BARRADELS[1]}\n2,short,1.45,43.70\n',
        encoding="utf-8",
    )
    output = tmp_path / "out.csv"
    run(source, output)
    previous = csv.field_size_limit(20_000_000)
    try:
        rows = read(output)
    finally:
        csv.field_size_limit(previous)
    assert [row["qpv_status"] for row in rows] == ["inside", "outside"]
    assert rows[0]["notes"] == long_text


def test_rows_across_blocks_long_lines_and_crlf_come_out_as_one_file(reference, tmp_path, monkeypatch):
    """The file is read in blocks of bytes: a block boundary inside a line, a line longer than a block, CRLF line
    ends, decimal commas and a quoted delimiter give the same rows as one block would."""
    from essor.territories import locate_csv as batch

    rows = [
        f"{i};n{i};{BARRADELS[0] + i * 1e-4:.6f};{BARRADELS[1]:.6f}".replace(".", ",") for i in range(300)
    ]
    rows[17] = f'17;"a; b";{BARRADELS[0]};{BARRADELS[1]}'
    rows[40] = f"40;{'long ' * 400};1.45;43.70"
    source = tmp_path / "blocks.csv"
    source.write_bytes(("id;name;lon;lat\r\n" + "\r\n".join(rows) + "\r\n").encode())
    run(source, tmp_path / "whole.csv")
    monkeypatch.setattr(batch, "BLOCK_BYTES", 700)
    monkeypatch.setattr(batch, "MATRIX_LINE", 64)
    run(source, tmp_path / "blocks-out.csv")
    assert (tmp_path / "blocks-out.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()
    out = read(tmp_path / "blocks-out.csv", delimiter=";")
    assert [row["id"] for row in out] == [str(i) for i in range(300)]
    assert out[17]["name"] == "a; b" and out[17]["qpv_code"] == "QN03104M"
    assert out[40]["qpv_status"] == "outside" and out[0]["qpv_status"] == "inside"
    assert all(row["qpv_status"] in ("inside", "outside") for row in out)
