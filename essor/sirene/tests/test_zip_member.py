"""The zip member inflated by ISA-L is byte for byte what zipfile gives, and damage is a clear error."""

import random
import zipfile

import pytest

from essor.sirene import formats, zip_member
from essor.sirene import synth_formats as layouts
from essor.sirene.tests.builders import etab, write_file


def lines(count: int) -> bytes:
    rng = random.Random(7)
    return b"".join(
        f"{rng.randrange(10**13, 10**14)},{rng.choice(['88.99Z', '94.99B'])},RUE {rng.random()}\n".encode()
        for _ in range(count)
    )


def archive(tmp_path, data: bytes, compression=zipfile.ZIP_DEFLATED, zip64=False):
    path = tmp_path / "stock.zip"
    with zipfile.ZipFile(path, "w", compression=compression) as handle:
        with handle.open("StockEtablissement_utf8.csv", "w", force_zip64=zip64) as member:
            member.write(data)
    return path


@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
@pytest.mark.parametrize("zip64", [False, True])
def test_member_is_the_same_bytes_as_zipfile_gives_across_many_chunks(
    tmp_path, monkeypatch, compression, zip64
):
    # Small chunks: every loop (input chunks, bounded output, the tail) runs many times.
    monkeypatch.setattr(zip_member, "READ_CHUNK", 4096)
    monkeypatch.setattr(zip_member, "OUT_CHUNK", 10_000)
    data = lines(20_000) + b"last line without newline"
    path = archive(tmp_path, data, compression, zip64)
    with zipfile.ZipFile(path) as handle:
        member = handle.infolist()[0]
    counts = formats.InputFile(role=formats.ETABLISSEMENTS, path=path, format="zip", size=0, sha256="")
    zip_member.extract(path, member, tmp_path / "out.csv", counts.count_lines)
    assert (tmp_path / "out.csv").read_bytes() == data
    assert counts.newlines == data.count(b"\n") == 20_000
    assert counts.last_byte == b"e"


def test_a_bad_crc_is_a_clear_error_naming_the_file(tmp_path):
    path = archive(tmp_path, lines(2_000))
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as handle:
        crc = handle.infolist()[0].CRC.to_bytes(4, "little")
    # The CRC in the central directory (and the local header) no longer matches the data.
    start = raw.rfind(crc)
    raw[start : start + 4] = (int.from_bytes(crc, "little") ^ 1).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    item = formats.describe(formats.ETABLISSEMENTS, path)
    with pytest.raises(formats.SireneInputError, match=r"StockEtablissement file .*stock\.zip: .*bad CRC-32"):
        formats.open_input(item, tmp_path)


def test_the_staged_zip_reads_the_same_rows_and_line_count_as_the_csv(tmp_path):
    rows = [etab("100000001", n, commune="2A004") for n in range(1, 400)]
    csv_item = formats.open_input(
        formats.describe(formats.ETABLISSEMENTS, write_file(tmp_path / "c", layouts.ETABLISSEMENTS, rows)),
        tmp_path / "c",
    )
    zip_item = formats.open_input(
        formats.describe(
            formats.ETABLISSEMENTS, write_file(tmp_path / "z", layouts.ETABLISSEMENTS, rows, "zip")
        ),
        tmp_path / "z",
    )
    assert zip_item.newlines == csv_item.newlines == 400
    assert formats.data_lines(zip_item) == 399
    assert zip_item.readable.read_bytes() == csv_item.readable.read_bytes()
