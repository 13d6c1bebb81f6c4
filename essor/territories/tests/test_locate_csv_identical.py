"""The CSV batch writes exactly the bytes of the slow, obvious reading of its contract (csv_reference.py), on files
made to be awkward: quotes closed, escaped, left open or stray, a BOM, CRLF and mixed line ends, missing, odd and
out-of-range coordinates, short and long rows, lines longer than the vectorised width, NUL bytes, non-ASCII text,
decimal commas, any block size."""

import json
import random

import pytest

from essor.territories import locate_csv as batch
from essor.territories.tests.csv_reference import reference_output
from essor.territories.tests.locate_support import BARRADELS, vendored_index

NUMBERS = ["", " ", "1,38", " 1.38 ", "nan", "inf", "-inf", "1e2", "+1.5", "-0.0", ".5", "5.", "1_000", "abc",
           "1.4x", "999", "-999", "1.3819000000000000000001", "0x10", "1e400", "١٢", "13819e-4", "-", ".", "+",
           "--1", "1..2", "01.380", "0" * 45 + "1.38", "1 .38", "+-1", "43.6397,5", "٫5"]  # fmt: skip


def coordinates(rng: random.Random, inside: bool) -> tuple[str, str]:
    # Most rows in Barradels (Blagnac) when `inside`: their blocks are written the wide way.
    if inside and rng.random() < 0.8:
        return (
            f"{BARRADELS[0] + rng.uniform(-1e-4, 1e-4):.6f}",
            f"{BARRADELS[1] + rng.uniform(-1e-4, 1e-4):.6f}",
        )
    places = [
        (BARRADELS[0], BARRADELS[1], 0.004),  # in and around a QPV of Toulouse
        (4.85, 45.75, 0.05),  # Lyon
        (-61.5, 16.25, 0.2),  # Guadeloupe
        (55.45, -21.0, 0.2),  # La Réunion
        (2.35, 48.85, 3.0),  # far from every QPV of the test reference
        (-30.0, 40.0, 10.0),  # the ocean
    ]
    lon, lat, spread = rng.choice(places)
    lon, lat = lon + rng.uniform(-spread, spread), lat + rng.uniform(-spread, spread)
    form = rng.choice(["%.6f", "%.4f", "%.1f", "%.12f", "%g", "%.0f", "%.15f", "%.17g", "%.13f"])
    return form % lon, form % lat


def awkward_file(path, rows: int, sep: str, crlf: bool, bom: bool, seed: int, inside=False) -> None:
    rng = random.Random(seed)
    end = "\r\n" if crlf else "\n"
    lines = [sep.join(["id", "name", "lon", "lat", "note"])]
    for i in range(rows):
        lon, lat = coordinates(rng, inside)
        if rng.random() < 0.03:
            lon = rng.choice(NUMBERS)
        if rng.random() < 0.03:
            lat = rng.choice(NUMBERS)
        if sep == ";" and rng.random() < 0.2:
            lon, lat = lon.replace(".", ","), lat.replace(".", ",")
        fields = [str(i), f"n{i}", lon, lat, ""]
        kind = rng.random()
        if kind < 0.02:
            fields[1] = f'"a{sep} b ""q"""'  # a quoted delimiter and escaped quotes
        elif kind < 0.03:
            fields[1] = '"unclosed'
        elif kind < 0.04:
            fields[1] = 'stray"quote'
        elif kind < 0.05:
            fields[2] = f'"{lon}"'
        elif kind < 0.06:
            fields = fields[: rng.randint(0, 3)]  # short, or blank
        elif kind < 0.07:
            fields.append("extra")
        elif kind < 0.08:
            fields[4] = "long " * rng.randint(20, 300)
        elif kind < 0.09:
            fields[4] = "é€😀 çà"
        elif kind < 0.095:
            fields[4] = "nul\x00byte"
        elif kind < 0.1:
            fields[4] = "cr\rinside"
        lines.append(sep.join(fields) + ("\n" if crlf and rng.random() < 0.05 else end))
    text = lines[0] + end + "".join(lines[1:])
    path.write_bytes(("\ufeff" if bom else "").encode() + text.rstrip("\r\n").encode())  # no final line end


@pytest.mark.parametrize(
    "sep, crlf, bom, block_bytes, inside",
    [
        (",", False, False, None, False),
        (";", True, True, 1000, False),
        ("\t", False, False, 4096, False),
        (",", True, False, 333, False),
        (",", False, False, None, True),
        (";", True, False, 2000, True),
    ],
)
def test_the_output_is_the_reference_byte_for_byte(
    tmp_path, monkeypatch, sep, crlf, bom, block_bytes, inside
):
    index = vendored_index()
    source = tmp_path / "awkward.csv"
    seed = len(sep) + 2 * crlf + (block_bytes or 7) + inside
    awkward_file(source, 3000, sep, crlf, bom, seed=seed, inside=inside)
    if block_bytes:
        monkeypatch.setattr(batch, "BLOCK_BYTES", block_bytes)
        monkeypatch.setattr(batch, "MATRIX_LINE", 64)  # long lines both ways: alone and in the matrix
    report = batch.locate_csv(index, source, tmp_path / "out.csv")
    expected, summary = reference_output(index, source)
    assert (tmp_path / "out.csv").read_bytes() == expected
    assert {key: value for key, value in report.as_dict().items() if key in summary} == summary
    assert (
        summary["inside"] > (1800 if inside else 50) and summary["outside"] > 100 and summary["invalid"] > 100
    )
    assert json.dumps(summary)  # the samples are plain data


def test_a_large_file_is_located_through_the_fields_in_every_block(tmp_path, monkeypatch):
    """Blocks of a file with long rows may hold fewer rows than the fields' threshold: the whole file decides."""
    index = vendored_index()
    calls = []
    original = type(index).locate

    def spy(self, lon, lat, **options):
        calls.append(options["method"])
        return original(self, lon, lat, **{**options, "method": "exhaustive"})

    monkeypatch.setattr(type(index), "locate", spy)
    monkeypatch.setattr(batch.field_lookup, "FIELD_MIN_POINTS", 200)
    monkeypatch.setattr(batch, "BLOCK_BYTES", 4096)
    source = tmp_path / "wide.csv"
    source.write_text(
        "id,lon,lat,notes\n" + "".join(f"{i},1.45,43.70,{'x' * 100}\n" for i in range(300)), encoding="utf-8"
    )
    batch.locate_csv(index, source, tmp_path / "out.csv")
    assert len(calls) > 5 and set(calls) == {"field"}
    calls.clear()
    batch.locate_csv(index, source, tmp_path / "out.csv", max_distance_m=300)  # fields not built: no build
    assert set(calls) == {"auto"}
