"""Inflate the CSV member of an INSEE zip to disk, fast, and count its newlines on the way.

Python's zipfile inflates with zlib at ~270 MB/s on this machine's cores: the national files' 3 members took
202 s of a 658 s ingest (docs/adr/019-zip-members-inflated-by-isa-l.md). ISA-L's inflate (the `isal` package, wheels for x86-64 and ARM) reads
the same raw deflate stream at ~950 MB/s and releases the GIL, so the three members also inflate side by side
on threads. The member's CRC-32 is checked as zipfile would; a stored (uncompressed) member is copied; anything
else (encrypted, another method) goes through zipfile itself.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import numpy as np
from isal import isal_zlib

READ_CHUNK = 1024 * 1024
# Bound on what one inflate call returns, so three members inflating at once stay within a few hundred MiB.
OUT_CHUNK = 64 * 1024 * 1024
LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")  # the 30 bytes before a member's name, extra field and data
LOCAL_SIGNATURE = b"PK\x03\x04"
NEWLINE = ord("\n")


class MemberCounts:
    """What the pipeline needs of the member besides its bytes: its newlines and last byte (exact line count)."""

    def __init__(self) -> None:
        self.newlines = 0
        self.last_byte = b""

    def add(self, chunk: bytes) -> None:
        if chunk:
            # numpy on the chunk: ~3.5 GB/s without holding the GIL (bytes.count: ~2 GB/s, holding it).
            self.newlines += int(np.count_nonzero(np.frombuffer(chunk, dtype=np.uint8) == NEWLINE))
            self.last_byte = chunk[-1:]


def extract(archive_path: Path, member: zipfile.ZipInfo, target: Path) -> MemberCounts:
    """Write the member's bytes to `target`; a damaged member raises zipfile.BadZipFile (what and where)."""
    counts = MemberCounts()
    encrypted = member.flag_bits & 0x1
    if encrypted or member.compress_type not in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
        _extract_with_zipfile(archive_path, member, target, counts)
        return counts
    with archive_path.open("rb") as source, target.open("wb") as sink:
        source.seek(_data_offset(source, member))
        if member.compress_type == zipfile.ZIP_STORED:
            crc, size = _copy(source, sink, member.compress_size, counts)
        else:
            crc, size = _inflate(source, sink, member.compress_size, counts)
    if size != member.file_size:
        raise zipfile.BadZipFile(f"{member.filename}: {size:,} bytes inflated, {member.file_size:,} expected")
    if crc != member.CRC:
        raise zipfile.BadZipFile(f"{member.filename}: bad CRC-32 (the archive is damaged)")
    return counts


def _data_offset(source, member: zipfile.ZipInfo) -> int:
    source.seek(member.header_offset)
    header = source.read(LOCAL_HEADER.size)
    if len(header) < LOCAL_HEADER.size or header[:4] != LOCAL_SIGNATURE:
        raise zipfile.BadZipFile(f"{member.filename}: no local file header at byte {member.header_offset:,}")
    fields = LOCAL_HEADER.unpack(header)
    name_length, extra_length = fields[9], fields[10]
    return member.header_offset + LOCAL_HEADER.size + name_length + extra_length


def _inflate(source, sink, compressed: int, counts: MemberCounts) -> tuple[int, int]:
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
                crc, size = _write(sink, out, crc, size, counts)
                data = inflater.unconsumed_tail
        crc, size = _write(sink, inflater.flush(), crc, size, counts)
    except isal_zlib.error as exc:
        raise zipfile.BadZipFile(f"the deflate stream is damaged ({exc})") from None
    if not inflater.eof:
        raise zipfile.BadZipFile("the archive is truncated (the deflate stream ends early)")
    return crc, size


def _copy(source, sink, length: int, counts: MemberCounts) -> tuple[int, int]:
    crc = size = 0
    while length:
        data = source.read(min(length, READ_CHUNK))
        if not data:
            raise zipfile.BadZipFile("the archive is truncated")
        length -= len(data)
        crc, size = _write(sink, data, crc, size, counts)
    return crc, size


def _write(sink, out: bytes, crc: int, size: int, counts: MemberCounts) -> tuple[int, int]:
    if out:
        sink.write(out)
        counts.add(out)
        crc = isal_zlib.crc32(out, crc)
    return crc, size + len(out)


def _extract_with_zipfile(
    archive_path: Path, member: zipfile.ZipInfo, target: Path, counts: MemberCounts
) -> None:
    with zipfile.ZipFile(archive_path) as archive, archive.open(member) as source, target.open("wb") as sink:
        while chunk := source.read(READ_CHUNK):
            sink.write(chunk)
            counts.add(chunk)
