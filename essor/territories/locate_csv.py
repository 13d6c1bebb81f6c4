"""Batch QPV lookup of a CSV file: rows are streamed in batches, every row comes out with the QPV columns added.

Rows whose coordinates cannot be used (empty, not a number, out of range, not convertible from `crs`) are kept
in the output with an explanation in `qpv_status`, counted and sampled in the report: nothing is dropped. The
output is written aside (`OUT.part`) and renamed at the end, so a failed run leaves no half-written file.

One record is one line: a quote left open (or a stray quote) makes that line a bad row, counted and explained,
instead of swallowing the rows after it. Fields up to LONG_FIELD characters are read (Python's csv stops at 128 KB).
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import os
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pyproj import Transformer
from pyproj.exceptions import CRSError

from essor.territories.locate import COORDINATE_RANGES, QpvIndex, check_range, parse_number

ADDED_COLUMNS = ["qpv_code", "qpv_name", "nearest_qpv_code", "distance_m", "qpv_status"]
DELIMITERS = {"auto": None, ",": ",", ";": ";", "tab": "\t", "\t": "\t", "|": "|"}
BATCH_ROWS = 50_000
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


class RowReader:
    """(row, line number, error or None) for each line of a CSV, read with Python's fast csv reader.

    A record the reader could only close on a later line (an unclosed quote), or could not parse (a stray quote,
    a field over LONG_FIELD), is split back into its lines and each is parsed alone: the lines that parse are
    rows as usual, the others are bad rows with their fields as read leniently."""

    def __init__(self, lines: Iterator[str], delimiter: str):
        self.delimiter = delimiter
        self.line_num = 0
        self._lines = lines
        self._pending: list[str] = []  # the physical lines of the record being read
        self._ready: deque = deque()
        self._reader = csv.reader(self._feed(), delimiter=delimiter, strict=True)

    def _feed(self):
        for line in self._lines:
            self._pending.append(line)
            yield line

    def __iter__(self):
        return self

    def __next__(self):
        if self._ready:
            return self._ready.popleft()
        try:
            row = next(self._reader)
            error = None
        except csv.Error as exc:
            row, error = None, exc
        lines, self._pending = self._pending, []
        if row is not None and len(lines) == 1:
            self.line_num += 1
            return row, self.line_num, None
        if not lines:  # end of the file (csv raised StopIteration above unless an error was pending)
            raise StopIteration
        for line in lines:
            self.line_num += 1
            self._ready.append(self._alone(line, self.line_num, error))
        return self._ready.popleft()

    def _alone(self, line: str, number: int, error: Exception | None):
        text = line.rstrip("\r\n")
        try:
            return next(csv.reader([text], delimiter=self.delimiter, strict=True), []), number, None
        except csv.Error as exc:
            reason = "unclosed quote" if "end of data" in str(exc) else str(exc)
            lenient = next(csv.reader([text], delimiter=self.delimiter), [])
            return lenient, number, f"malformed line ({reason}): the row is kept as read, without a QPV."


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
    best = max(counts, key=counts.get)
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


def _parse_column(values: list, field: str, errors: list[str | None]) -> np.ndarray:
    """Floats for a column of text; NaN and an error message where a value is not a finite number."""
    try:
        numbers = np.asarray(values, dtype=np.float64)  # fast path: every value is a plain number
        if np.isfinite(numbers).all():
            return numbers
    except (ValueError, TypeError):
        pass
    numbers = np.full(len(values), np.nan)
    for i, raw in enumerate(values):
        try:
            numbers[i] = parse_number(raw, field)
        except ValueError as exc:
            errors[i] = errors[i] or str(exc)
    return numbers


def _coordinates(lon_raw, lat_raw, transformer, crs, errors) -> tuple[np.ndarray, np.ndarray]:
    x_name, y_name = ("lon", "lat") if transformer is None else ("x", "y")
    x = _parse_column(lon_raw, x_name, errors)
    y = _parse_column(lat_raw, y_name, errors)
    ok = np.array([error is None for error in errors], dtype=bool)
    if transformer is not None and ok.any():
        lon, lat = np.full(len(x), np.nan), np.full(len(y), np.nan)
        lon[ok], lat[ok] = transformer.transform(x[ok], y[ok])
        for i in np.flatnonzero(ok & ~(np.isfinite(lon) & np.isfinite(lat))):
            errors[i] = f"x {x[i]:g}, y {y[i]:g} cannot be converted from EPSG:{crs}."
    else:
        lon, lat = x, y
    (lon_low, lon_high), (lat_low, lat_high) = COORDINATE_RANGES["lon"], COORDINATE_RANGES["lat"]
    out_of_range = ~((lon >= lon_low) & (lon <= lon_high) & (lat >= lat_low) & (lat <= lat_high))
    for i in np.flatnonzero(out_of_range):
        if errors[i] is None:
            try:
                check_range(lon[i], "lon")
                check_range(lat[i], "lat")
            except ValueError as exc:
                errors[i] = str(exc) if transformer is None else f"{exc} (converted from EPSG:{crs})"
    return lon, lat


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
        has_bom = raw.read(3) == b"\xef\xbb\xbf"
        raw.seek(0)
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        try:
            first_line = text.readline()
        except UnicodeDecodeError as exc:
            raise BatchError(
                f"{source}: not UTF-8 text in its first lines ({exc.reason}); save it as UTF-8."
            ) from None
        if not first_line.strip():
            raise BatchError(f"{source}: empty file, or no header line.")
        sep = DELIMITERS[delimiter] or detect_delimiter(first_line)
        reader = RowReader(itertools.chain([first_line], text), sep)
        header, _line, header_error = next(reader)
        if header_error:
            raise BatchError(f"{source}, line 1 (the header): {header_error}")
        lon_index = _column(header, lon_column, source, "--lon-column")
        lat_index = _column(header, lat_column, source, "--lat-column")
        clashes = [name for name in ADDED_COLUMNS if name in (column.strip() for column in header)]
        if clashes:
            raise BatchError(
                f"{source}: the header already has the column(s) {', '.join(clashes)} this adds."
            )
        report = BatchReport(source=source, output=output, delimiter=sep, crs=crs)
        try:
            with partial.open("w", encoding="utf-8-sig" if has_bom else "utf-8", newline="") as handle:
                writer = csv.writer(handle, delimiter=sep)
                writer.writerow([*header, *ADDED_COLUMNS])
                while True:
                    try:
                        batch = list(itertools.islice(reader, BATCH_ROWS))
                    except UnicodeDecodeError as exc:
                        raise BatchError(
                            f"{source}, after line {reader.line_num}: not UTF-8 text ({exc.reason}); save it as UTF-8."
                        ) from None
                    except csv.Error as exc:
                        raise BatchError(f"{source}, line {reader.line_num}: {exc}.") from None
                    if not batch:
                        break
                    columns = (len(header), lon_index, lat_index)
                    _write_batch(index, batch, columns, (transformer, crs), max_distance_m, writer, report)
                    if on_progress:
                        on_progress(raw.tell(), total)
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    return report


def _write_batch(index, batch, columns, projection, max_distance_m, writer, report) -> None:
    width, lon_index, lat_index = columns
    transformer, crs = projection
    rows = [row for row, _line, _error in batch]
    errors: list[str | None] = [error for _row, _line, error in batch]
    for i, row in enumerate(rows):
        if len(row) < width:  # short row (or blank line): empty cells, so the added columns stay aligned
            rows[i] = row + [""] * (width - len(row))
        elif len(row) > width and not errors[i]:
            errors[i] = f"the row has {len(row)} fields, the header {width}."
    lon, lat = _coordinates(
        [row[lon_index] for row in rows], [row[lat_index] for row in rows], transformer, crs, errors
    )
    valid = np.array([error is None for error in errors], dtype=bool)
    qpv = np.full(len(rows), -1)
    nearest = np.full(len(rows), -1)
    distance = np.full(len(rows), np.nan)
    if valid.any():
        found = index.locate(lon[valid], lat[valid], max_distance_m=max_distance_m)
        qpv[valid], nearest[valid], distance[valid] = found.qpv, found.nearest, found.distance_m
    # The added cells, built column by column (index -1, "none", maps to the empty last entry).
    codes, names = _record_columns(index)
    distance_text = np.round(distance, 1).astype(str)
    distance_text[nearest < 0] = ""
    status = np.where(qpv >= 0, "inside", "outside").astype(object)
    for i in np.flatnonzero(~valid):
        status[i] = f"invalid: {errors[i]}"
        if len(report.samples) < SAMPLE_SIZE:
            report.samples.append((batch[i][1], errors[i]))
    added = zip(codes[qpv], names[qpv], codes[nearest], distance_text, status, strict=True)
    writer.writerows([*row, *cells] for row, cells in zip(rows, added, strict=True))
    report.rows += len(rows)
    report.invalid += int((~valid).sum())
    report.inside += int((qpv >= 0).sum())
    report.outside += int((valid & (qpv < 0)).sum())


def _record_columns(index: QpvIndex) -> tuple[np.ndarray, np.ndarray]:
    codes = np.array([record.code for record in index.records] + [""], dtype=object)
    names = np.array([record.name for record in index.records] + [""], dtype=object)
    return codes, names
