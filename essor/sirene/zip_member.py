"""Inflate the CSV member of an INSEE zip to disk, fast, handing each chunk to the caller on the way.

Python's zipfile inflates with zlib at ~270 MB/s on this machine's cores: the national files' 3 members took
202 s of a 658 s ingest (docs/adr/019-zip-members-inflated-by-isa-l.md). ISA-L's inflate (the `isal` package,
wheels for x86-64 and ARM) reads the same raw deflate stream at ~950 MB/s and releases the GIL, so the three
members also inflate side by side on threads. The member's CRC-32 is checked as zipfile would; a stored
(uncompressed) member is copied; anything else (encrypted, another method) goes through zipfile itself.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

from isal import isal_zlib

READ_CHUNK = 1024 * 1024
# Bound on what one inflate call returns, so three members inflating at once stay within a few hundred MiB.
OUT_CHUNK = 64 * 1024 * 1024
LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")  # the 30 bytes before a member's name, extra field and data
LOCAL_SIGNATURE = b"PK\x03\x04"
OnChunk = Callable[[bytes], None]


def _ignore(chunk: bytes) -> None:
    """No use for the chunks (a benchmark's floor)."""


def extract(archive_path: Path, member: zipfile.ZipInfo, target: Path, on_chunk: OnChunk = _ignore) -> None:
    """Write the member's bytes to `target`, each chunk also given in order to `on_chunk` (a line count);
    a damaged member raises zipfile.BadZipFile (what and where)."""
    encrypted = member.flag_bits & 0x1
    if encrypted or member.compress_type not in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
        _extract_with_zipfile(archive_path, member, target, on_chunk)
        return
    with archive_path.open("rb") as source, target.open("wb") as sink:
        source.seek(_data_offset(source, member))
        if member.compress_type == zipfile.ZIP_STORED:
            crc, size = _copy(source, sink, member.compress_size, on_chunk)
        else:
            crc, size = _inflate(source, sink, member.compress_size, on_chunk)
    if size != member.file_size:
        raise zipfile.BadZipFile(f"{member.filename}: {size:,} bytes inflated, {member.file_size:,} expected")
    if crc != member.CRC:
        raise zipfile.BadZipFile(f"{member.filename}: bad CRC-32 (the archive is damaged)")


def _data_offset(source, member: zipfile.ZipInfo) -> int:
    source.seek(member.header_offset)
    header = source.read(LOCAL_HEADER.size)
    if len(header) < LOCAL_HEADER.size or header[:4] != LOCAL_SIGNATURE:
        raise zipfile.BadZipFile(f"{member.filename}: no local file header at byte {member.header_offset:,}")
    fields = LOCAL_HEADER.unpack(header)
    name_length, extra_length = fields[9], fields[10]
    return member.header_offset + LOCAL_HEADER.size + name_length + extra_length


def _inflate(source, sink, compressed: int, on_chunk: OnChunk) -> tuple[int, int]:
    inflater = isal_zlib.decompressobj(-15)  # a zip member is a raw deflate stream (no zlib header)
    crc = size = 0
    left = compressed
    try:
        while left and not inflater.eof:
            data = source.read(min(left, READ_CHUNK))
            if not data:
                break
            left -= len(data)
            while data:
                out = inflater.decompress(data, OUT_CHUNK)
                crc, size = _write(sink, out, crc, size, on_chunk)
                data = inflater.unconsumed_tail
        crc, size = _write(sink, inflater.flush(), crc, size, on_chunk)
    except isal_zlib.error as exc:
        raise zipfile.BadZipFile(f"the deflate stream is damaged ({exc})") from None
    if not inflater.eof:
        raise zipfile.BadZipFile("the archive is truncated (the deflate stream ends early)")
    return crc, size


def _copy(source, sink, length: int, on_chunk: OnChunk) -> tuple[int, int]:
    crc = size = 0
    while length:
        data = source.read(min(length, READ_CHUNK))
        if not data:
            raise zipfile.BadZipFile("the archive is truncated")
        length -= len(data)
        crc, size = _write(sink, data, crc, size, on_chunk)
    return crc, size


def _write(sink, out: bytes, crc: int, size: int, on_chunk: OnChunk) -> tuple[int, int]:
    if out:
        sink.write(out)
        on_chunk(out)
        crc = isal_zlib.crc32(out, crc)
    return crc, size + len(out)


def _extract_with_zipfile(
    archive_path: Path, member: zipfile.ZipInfo, target: Path, on_chunk: OnChunk
) -> None:
    with zipfile.ZipFile(archive_path) as archive, archive.open(member) as source, target.open("wb") as sink:
        while chunk := source.read(READ_CHUNK):
            sink.write(chunk)
            on_chunk(chunk)
