"""Columns out of a block of CSV lines without a Python loop per row: the fast half of the CSV batch (locate_csv.py).

A block is bytes ending at a line end. Lines without a quote character (nearly all of them in the files people
send) are cut at the delimiter with numpy over the raw bytes, and their coordinates parsed as numbers in one
vectorised cast; the rare lines holding a quote are parsed one by one with Python's csv (strict, then lenient), as
before: one record is one line, so a quote left open spoils that line only. Values the fast cast cannot read
exactly like `locate.parse_number` would (a decimal comma, spaces inside, words...) go through parse_number itself.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import numpy as np

from essor.territories.locate import parse_number

# Longest coordinate text read by the vectorised cast; longer ones go through parse_number.
NUMBER_WIDTH = 40
# Bytes a plain number may hold (digits, sign, point, exponent, spaces around).
NUMERIC = np.zeros(256, dtype=bool)
NUMERIC[list(b"0123456789+-.eE ")] = True


@dataclass
class Block:
    """One block of lines: per line its text as written back (bytes, no line end), its number of fields, an error
    (None when the line parsed), and the raw coordinate fields' numbers (NaN with a message when unusable)."""

    lines: list[bytes]
    fields: np.ndarray
    errors: dict[int, str]
    x: np.ndarray
    y: np.ndarray
    buf: np.ndarray  # the lines joined by b"\n", as bytes
    starts: np.ndarray  # where each line starts in buf, and its length there
    lengths: np.ndarray
    rewritten: list[int]  # lines parsed alone, whose text (in lines) is written back re-quoted


def parse_line(text: str, delimiter: str) -> tuple[list[str], str | None]:
    """Fields of one line (a record never spans lines); a malformed line is read leniently, with a message."""
    try:
        return next(csv.reader([text], delimiter=delimiter, strict=True), []), None
    except csv.Error as exc:
        reason = "unclosed quote" if "end of data" in str(exc) else str(exc)
        lenient = next(csv.reader([text], delimiter=delimiter), [])
        return lenient, f"malformed line ({reason}): the row is kept as read, without a QPV."


def write_fields(fields: list[str], delimiter: str) -> bytes:
    """Fields as csv.writer writes them (quoted where needed), without the line end."""
    out = _Buffer()
    csv.writer(out, delimiter=delimiter, lineterminator="").writerow(fields)
    return out.text.encode("utf-8")


class _Buffer:
    text = ""

    def write(self, value: str) -> None:
        self.text += value


def split_block(
    data: bytes, delimiter: str, width: int, columns: tuple[int, int], names: tuple[str, str]
) -> Block:
    """The block's lines, field counts and coordinates (columns: indices of x and y; names: for messages)."""
    sep = delimiter.encode()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if b"\r" in data:
        lines = [line[:-1] if line.endswith(b"\r") else line for line in lines]
    n = len(lines)
    errors: dict[int, str] = {}
    quoted = [i for i, line in enumerate(lines) if b'"' in line] if b'"' in data else []
    # Positions of every line's start and end in the block's bytes (a line end "\r\n" or "\n" excluded).
    buf = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(buf == 10)
    if len(ends) < n:
        ends = np.r_[ends, len(buf)]
    starts = np.r_[0, ends[:-1] + 1] if n else ends
    if b"\r" in data:
        ends = ends - ((ends > starts) & (buf[np.maximum(ends - 1, 0)] == 13))
    seps = np.flatnonzero(buf == sep[0]) if len(sep) == 1 else np.zeros(0, dtype=np.int64)
    first = np.searchsorted(seps, starts)
    fields = np.searchsorted(seps, ends) - first + 1
    values = []
    for column, name in zip(columns, names, strict=True):
        values.append(_numbers(buf, seps, starts, ends, first, fields, column, name, errors))
    x, y = values
    malformed = set()
    for i in quoted:  # the slow lines, one by one
        row, error = parse_line(lines[i].decode("utf-8"), delimiter)
        fields[i] = len(row)
        lines[i] = write_fields(row, delimiter)
        errors.pop(i, None)
        if error:
            errors[i] = error
            malformed.add(i)
            x[i] = y[i] = np.nan
            continue
        for array, column, name in ((x, columns[0], names[0]), (y, columns[1], names[1])):
            try:
                array[i] = parse_number(row[column] if column < len(row) else "", name)
            except ValueError as exc:
                array[i] = np.nan
                errors.setdefault(i, str(exc))
    # The order of the messages: a malformed line, then too many fields, then the coordinates.
    for wide in map(int, np.flatnonzero(fields > width)):
        if wide not in malformed:
            errors[wide] = f"the row has {fields[wide]} fields, the header {width}."
    return Block(lines, fields, errors, x, y, buf, starts, ends - starts, quoted)


def windows(buf: np.ndarray, starts: np.ndarray, lengths: np.ndarray, width: int) -> np.ndarray:
    """Rows of `width` bytes of buf from each start, NUL past each length: whole rows copied from a sliding-window
    view (one copy of `width` bytes per row, no index per byte)."""
    padded = np.concatenate([buf, np.zeros(width, dtype=np.uint8)])
    rows = np.lib.stride_tricks.sliding_window_view(padded, width)[starts]
    rows[np.arange(width) >= lengths[:, None]] = 0
    return rows


def _numbers(buf, seps, starts, ends, first, fields, column, name, errors) -> np.ndarray:
    """The numbers in field `column` of every line; NaN and a message (in errors) where it is not one."""
    n = len(starts)
    present = column < fields
    safe = seps if len(seps) else np.zeros(1, dtype=np.int64)
    top = len(safe) - 1
    low = starts if column == 0 else safe[np.minimum(first + column - 1, top)] + 1
    high = np.where(column == fields - 1, ends, safe[np.minimum(first + column, top)])
    low, high = np.where(present, low, ends), np.where(present, high, ends)
    length = high - low
    short = (length <= NUMBER_WIDTH) & (length > 0)
    numbers = np.full(n, np.nan)
    rows = np.flatnonzero(short)
    plain = np.zeros(n, dtype=bool)
    if len(rows):
        width = int(length[rows].max())
        raw = windows(buf, low[rows], length[rows], width)
        within = np.arange(width) < length[rows][:, None]
        text = np.ascontiguousarray(raw).view(f"S{width}").ravel()
        try:  # the usual case: every value is a plain number, one cast (it reads exactly like float())
            numbers[rows] = text.astype(np.float64)
            plain[rows] = True
        except ValueError:  # some are not: cast the plain-looking ones, the others go one by one below
            looks = np.all(NUMERIC[raw] | ~within, axis=1)
            try:
                numbers[rows[looks]] = text[looks].astype(np.float64)
                plain[rows[looks]] = True
            except ValueError:
                pass
    odd = np.flatnonzero(~plain | ~np.isfinite(numbers))
    for i in odd:
        raw_text = bytes(buf[low[i] : high[i]]).decode("utf-8", errors="replace")
        try:
            numbers[i] = parse_number(raw_text, name)
        except ValueError as exc:
            numbers[i] = np.nan
            errors.setdefault(int(i), str(exc))
    return numbers
