"""Batch QPV lookup of a CSV file: rows are streamed in batches, every row comes out with the QPV columns added.

Rows whose coordinates cannot be used (empty, not a number, out of range, not convertible from `crs`) are kept
in the output with an explanation in `qpv_status`, counted and sampled in the report: nothing is dropped. The
output is written aside (`OUT.part`) and renamed at the end, so a failed run leaves no half-written file.

One record is one line: a quote left open (or a stray quote) makes that line a bad row, counted and explained,
instead of swallowing the rows after it. Fields up to LONG_FIELD characters are read (Python's csv stops at 128 KB).

Speed: the file is read in blocks of bytes; the lines are cut and their coordinates parsed with numpy
(csv_columns.py, fast_decimals.py), the located rows written back as the input bytes plus the added cells,
precomputed per QPV. Python's csv module only reads the lines holding a quote. Why not DuckDB's CSV reader:
docs/adr/012; the layout of the output and the size of the blocks: docs/adr/018.
"""

from __future__ import annotations

import contextlib
import csv
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pyproj import Transformer
from pyproj.exceptions import CRSError

from essor.territories import csv_columns, field_lookup
from essor.territories.locate import COORDINATE_RANGES, QpvIndex, check_range

ADDED_COLUMNS = ["qpv_code", "qpv_name", "nearest_qpv_code", "distance_m", "qpv_status"]
DELIMITERS = {"auto": None, ",": ",", ";": ";", "tab": "\t", "\t": "\t", "|": "|"}
# Bytes read at a time (~160,000 short rows): bounds the memory whatever the file's size. Larger blocks are no
# faster: their temporary arrays no longer fit in the memory the allocator keeps between blocks, and every block
# then pays page faults for them in the kernel (docs/adr/018).
BLOCK_BYTES = 4 * 1024 * 1024
# Lines at most this long are written through the matrix of bytes; longer ones are spliced in by themselves.
MATRIX_LINE = 512
SAMPLE_SIZE = 5
WGS84 = 4326
LONG_FIELD = 16 * 1024 * 1024


class BatchError(Exception):
    """The file as a whole cannot be processed (missing, unreadable, missing column); names file and column."""


@dataclass
class BatchReport:
    source: Path
    output: Path
    delimiter: str
    crs: int
    rows: int = 0
    inside: int = 0
    outside: int = 0
    invalid: int = 0
    samples: list[tuple[int, str]] = field(default_factory=list)  # (line number, why)

    def as_dict(self) -> dict:
        return {
            "source": str(self.source),
            "output": str(self.output),
            "delimiter": self.delimiter,
            "crs": f"EPSG:{self.crs}",
            "rows": self.rows,
            "inside": self.inside,
            "outside": self.outside,
            "invalid": self.invalid,
            "invalid_samples": [{"line": line, "reason": reason} for line, reason in self.samples],
        }


@contextlib.contextmanager
def _long_fields():
    """Python's csv refuses fields over 128 KB; a batch file may carry long text columns beside its coordinates."""
    previous = csv.field_size_limit(max(csv.field_size_limit(), LONG_FIELD))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def detect_delimiter(header: str) -> str:
    """The most frequent of ';', ',', tab in the header line (',' when none)."""
    counts = {candidate: header.count(candidate) for candidate in (";", ",", "\t")}
    best = max(counts, key=lambda candidate: counts[candidate])
    return best if counts[best] else ","


def _column(header: list[str], wanted: str, source: Path, option: str) -> int:
    stripped = [name.strip() for name in header]
    for names in (stripped, [name.lower() for name in stripped]):
        key = wanted.strip() if names is stripped else wanted.strip().lower()
        if key in names:
            return names.index(key)
    raise BatchError(
        f"{source}: column {wanted!r} not found in the header (columns: {', '.join(stripped)}); "
        f"name it with {option}."
    )


def _transformer(crs: int) -> Transformer | None:
    if crs == WGS84:
        return None
    try:
        return Transformer.from_crs(crs, WGS84, always_xy=True)
    except CRSError as exc:
        raise BatchError(f"EPSG:{crs} is not a coordinate reference system known to PROJ ({exc}).") from None


def _coordinates(block, transformer, crs) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 longitudes and latitudes of a block; rows that cannot be used get a message in block.errors."""
    x, y, errors = block.x, block.y, block.errors
    ok = np.isfinite(x) & np.isfinite(y)
    if errors:
        ok[list(errors)] = False
    if transformer is not None:
        lon, lat = np.full(len(x), np.nan), np.full(len(y), np.nan)
        if ok.any():
            lon[ok], lat[ok] = transformer.transform(x[ok], y[ok])
        for i in np.flatnonzero(ok & ~(np.isfinite(lon) & np.isfinite(lat))):
            errors[int(i)] = f"x {x[i]:g}, y {y[i]:g} cannot be converted from EPSG:{crs}."
    else:
        lon, lat = x, y
    (lon_low, lon_high), (lat_low, lat_high) = COORDINATE_RANGES["lon"], COORDINATE_RANGES["lat"]
    out_of_range = ~((lon >= lon_low) & (lon <= lon_high) & (lat >= lat_low) & (lat <= lat_high))
    for i in np.flatnonzero(out_of_range):
        if int(i) not in errors:
            try:
                check_range(lon[i], "lon")
                check_range(lat[i], "lat")
            except ValueError as exc:
                errors[int(i)] = str(exc) if transformer is None else f"{exc} (converted from EPSG:{crs})"
    return lon, lat


def _blocks(raw) -> Iterator[bytes]:
    """The rest of the file in blocks of about BLOCK_BYTES, each ending at a line end (or the end of the file);
    a line longer than a block makes its block longer."""
    carry = b""
    while True:
        chunk = raw.read(BLOCK_BYTES)
        if not chunk:
            if carry:
                yield carry
            return
        data = carry + chunk
        cut = data.rfind(b"\n")
        if cut < 0:
            carry = data
            continue
        yield data[: cut + 1]
        carry = data[cut + 1 :]


def _header(raw, source: Path, delimiter: str) -> tuple[list[str], str, bool]:
    """The header's fields, the delimiter and whether the file starts with a BOM; the stream is left after it."""
    first = raw.readline(LONG_FIELD)
    has_bom = first.startswith(b"\xef\xbb\xbf")
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BatchError(f"{source}, line 1: not UTF-8 text ({exc.reason}); save it as UTF-8.") from None
    if not text.strip():
        raise BatchError(f"{source}: empty file, or no header line.")
    sep = DELIMITERS[delimiter] or detect_delimiter(text)
    header, error = csv_columns.parse_line(text.rstrip("\r\n"), sep)
    if error:
        raise BatchError(f"{source}, line 1 (the header): {error}")
    return header, sep, has_bom


def locate_csv(
    index: QpvIndex,
    source: Path,
    output: Path,
    *,
    lon_column: str = "lon",
    lat_column: str = "lat",
    crs: int = WGS84,
    delimiter: str = "auto",
    max_distance_m: float | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> BatchReport:
    """Write `output`: the rows of `source` with ADDED_COLUMNS; `on_progress(bytes_read, bytes_total)`.
    With max_distance_m, the nearest QPV is only searched that far (left empty beyond): much faster."""
    source, output = Path(source), Path(output)
    if not source.is_file():
        raise BatchError(f"{source}: file not found.")
    if output.resolve() == source.resolve():
        raise BatchError(f"{output}: the output must not be the input file.")
    if delimiter not in DELIMITERS:
        raise BatchError(f"Delimiter {delimiter!r} is not supported (use auto, ',', ';', tab or '|').")
    transformer = _transformer(crs)
    total = source.stat().st_size
    partial = output.with_name(output.name + ".part")
    with _long_fields(), source.open("rb") as raw:
        header, sep, has_bom = _header(raw, source, delimiter)
        columns = (
            _column(header, lon_column, source, "--lon-column"),
            _column(header, lat_column, source, "--lat-column"),
        )
        clashes = [name for name in ADDED_COLUMNS if name in (column.strip() for column in header)]
        if clashes:
            raise BatchError(
                f"{source}: the header already has the column(s) {', '.join(clashes)} this adds."
            )
        report = BatchReport(source=source, output=output, delimiter=sep, crs=crs)
        writer = _Writer(index, sep, len(header), report)
        names = ("lon", "lat") if transformer is None else ("x", "y")
        try:
            with partial.open("wb") as handle:
                handle.write(
                    (b"\xef\xbb\xbf" if has_bom else b"")
                    + csv_columns.write_fields([*header, *ADDED_COLUMNS], sep)
                    + b"\r\n"
                )
                line, method = 1, None
                for data in _blocks(raw):
                    try:
                        data.decode("utf-8")
                    except UnicodeDecodeError as exc:
                        where = line + data.count(b"\n", 0, exc.start) + 1
                        raise BatchError(
                            f"{source}, line {where}: not UTF-8 text ({exc.reason}); save it as UTF-8."
                        ) from None
                    block = csv_columns.split_block(data, sep, len(header), columns, names)
                    lon, lat = _coordinates(block, transformer, crs)
                    if method is None:  # the file's rows, estimated from its first block
                        method = _method(index, len(block) * total / len(data), max_distance_m)
                    handle.write(writer.block(block, lon, lat, max_distance_m, method, first_line=line + 1))
                    line += len(block)
                    if on_progress:
                        on_progress(raw.tell(), total)
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    return report


def _method(index: QpvIndex, rows: float, max_distance_m: float | None) -> str:
    """The lookup of every block: QpvIndex.locate's "auto" rule applied to the whole file rather than to each
    block (a block may hold fewer than FIELD_MIN_POINTS rows of a large file). The answers are the same."""
    large = rows >= field_lookup.FIELD_MIN_POINTS and len(index)
    return "field" if large and (max_distance_m is None or index.field_set.ready) else "auto"


class _Writer:
    """Output bytes of a block: per row its line as read (re-quoted when it was parsed alone, padded when short),
    then the added cells. Rows outside every QPV (nearly all rows) are assembled in numpy as a narrow matrix of
    bytes, NUL where empty: the line, the cells before the distance (precomputed per nearest QPV), the distance's
    digits, the status; the NULs taken out, the rows follow each other. The other rows (inside a QPV, whose QPV
    name makes the matrix wide; invalid; re-quoted, short, longer than MATRIX_LINE or holding a NUL byte) are
    left empty in the matrix and spliced in at their place, each as its line plus a precomputed tail."""

    def __init__(self, index: QpvIndex, sep: str, width: int, report: BatchReport):
        self.index, self.delimiter, self.width, self.report = index, sep, width, report
        self.sep = sep.encode()
        cell = lambda *values: csv_columns.write_fields(list(values), sep)  # noqa: E731
        records = index.records
        self.inside = [cell("", r.code, r.name, r.code, "0.0", "inside") + b"\r\n" for r in records]
        self.before = [cell("", "", "", r.code, "") for r in records] + [cell("", "", "", "", "")]
        self.before_matrix = _pieces(self.before)
        self.wide_matrix = _pieces(self.before + self.inside)  # a QPV's tail at count + 1 + its index
        self.end = self.sep + b"outside\r\n"
        self.invalid: dict[str, bytes] = {}  # the tail of an invalid row, per message (they repeat)

    def block(self, block, lon, lat, max_distance_m, method: str, first_line: int) -> bytes:
        report, n, count = self.report, len(block), len(self.index.records)
        valid = np.ones(n, dtype=bool)
        if block.errors:
            valid[list(block.errors)] = False
        qpv = np.full(n, -1)
        nearest = np.full(n, -1)
        distance = np.full(n, np.nan)
        if valid.all():
            found = self.index.locate(lon, lat, max_distance_m=max_distance_m, method=method)
            qpv, nearest, distance = found.qpv, found.nearest, found.distance_m
        elif valid.any():
            found = self.index.locate(lon[valid], lat[valid], max_distance_m=max_distance_m, method=method)
            qpv[valid], nearest[valid], distance[valid] = found.qpv, found.nearest, found.distance_m
        outside = valid & (qpv < 0)
        shown = outside & (nearest >= 0)
        lengths = block.lengths
        width = min(int(lengths.max(initial=0)), MATRIX_LINE)
        # Lines written back otherwise than as read: re-quoted, padded (short), holding a NUL byte (the NULs of
        # the matrix are taken out).
        rewritten = block.fields < self.width
        if block.rewritten:
            rewritten[list(block.rewritten)] = True
        if b"\x00" in block.data:
            rewritten[np.searchsorted(block.starts, np.flatnonzero(block.buf == 0), side="right") - 1] = True
        # Most rows inside a QPV: their tails go in the matrix too (wide), cheaper then than splicing them in.
        wide = 2 * int((qpv >= 0).sum()) > n
        matrixed = (outside | (wide & (qpv >= 0))) & ~rewritten & (lengths <= width)
        alone = ~matrixed
        with_status = matrixed & outside  # rows whose status cell comes from the matrix
        tenths = np.rint(np.where(shown, distance, 0.0) * 10).astype(np.int64)  # as np.round(distance, 1)
        pieces, piece_length = self.wide_matrix if wide else self.before_matrix
        key = np.where(qpv >= 0, count + 1 + qpv, np.where(nearest >= 0, nearest, count))
        key[alone] = len(piece_length) - 1  # the empty piece
        digits, digits_length = _digits(tenths, shown & matrixed)
        matrix = np.concatenate(
            [
                csv_columns.windows(block.buf, block.starts, np.where(alone, 0, lengths), max(width, 1)),
                pieces[key],
                digits,
                np.frombuffer(self.end, dtype=np.uint8) * with_status[:, None],
            ],
            axis=1,
        )
        flat = matrix[matrix != 0]
        rows = np.flatnonzero(alone)
        if len(rows):
            # The rows left alone take no room in the flat bytes: each goes in at the end of the rows before it.
            sizes = np.where(
                alone, 0, lengths + piece_length[key] + digits_length + len(self.end) * with_status
            )
            offsets = np.cumsum(sizes)[rows].tolist()
            # A row inside a QPV, its line as read: the line's bytes and the QPV's tail; the others one by one.
            simple = (qpv[rows] >= 0) & ~rewritten[rows]
            line_starts = block.starts[rows]
            line_ends, qpvs = (line_starts + lengths[rows]).tolist(), qpv[rows].tolist()
            view, data, inside = memoryview(flat), memoryview(block.data), self.inside
            parts: list[bytes | memoryview] = []
            previous = 0
            for i, offset, start, end, found_qpv, plain in zip(
                rows.tolist(), offsets, line_starts.tolist(), line_ends, qpvs, simple.tolist(), strict=True
            ):
                parts.append(view[previous:offset])
                if plain:
                    parts.append(data[start:end])
                    parts.append(inside[found_qpv])
                else:
                    parts.append(self._alone(block, i, qpv, nearest, tenths, first_line))
                previous = offset
            parts.append(view[previous:])
            out = b"".join(parts)
        else:
            out = flat.tobytes()
        report.rows += n
        report.invalid += int((~valid).sum())
        report.inside += int((qpv >= 0).sum())
        report.outside += int(outside.sum())
        return out

    def _alone(self, block, i: int, qpv, nearest, tenths, first_line: int) -> bytes:
        """Row i's bytes, built by itself: its line, padded when short, then its tail."""
        line = block.line(i)
        if block.fields[i] < self.width:  # a short row: empty cells, so the added columns stay aligned
            line += self.sep * int(self.width - block.fields[i])
        message = block.errors.get(i)
        if message is not None:
            if len(self.report.samples) < SAMPLE_SIZE:
                self.report.samples.append((first_line + i, message))
            tail = self.invalid.get(message)
            if tail is None:
                tail = csv_columns.write_fields(["", "", "", "", "", f"invalid: {message}"], self.delimiter)
                tail = self.invalid[message] = tail + b"\r\n"
            return line + tail
        if qpv[i] >= 0:
            return line + self.inside[qpv[i]]
        if nearest[i] < 0:
            return line + self.before[-1] + self.end
        k = int(tenths[i])
        return line + self.before[nearest[i]] + b"%d.%d" % (k // 10, k % 10) + self.end


def _pieces(texts: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Byte strings as the rows of a NUL-padded matrix (plus an all-NUL last row), with their lengths."""
    length = np.array([len(text) for text in texts] + [0], dtype=np.int64)
    matrix = np.zeros((len(texts) + 1, int(length.max(initial=1))), dtype=np.uint8)
    for k, text in enumerate(texts):
        matrix[k, : len(text)] = np.frombuffer(text, dtype=np.uint8)
    return matrix, length


def _digits(tenths: np.ndarray, shown: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The text of distances in tenths of a metre for the shown rows, as str(round(distance, 1)) writes it for
    metres (k // 10 "." k % 10), as a matrix of bytes, right-aligned (NUL before the digits; all NUL where not
    shown), and its length per row."""
    whole = tenths // 10
    digits = len(str(int(whole.max(initial=0))))
    matrix = np.zeros((len(tenths), digits + 2), dtype=np.uint8)
    length = np.full(len(tenths), 3)
    for j in range(digits):  # from the units leftwards; a leading zero is written only for the units
        written = whole >= 10**j
        matrix[:, digits - 1 - j] = np.where(written | (j == 0), 48 + (whole // 10**j) % 10, 0)
        if j:
            length += written
    matrix[:, digits] = ord(".")
    matrix[:, digits + 1] = 48 + tenths % 10
    matrix[~shown] = 0
    return matrix, np.where(shown, length, 0)
