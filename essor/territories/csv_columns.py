"""Columns out of a block of CSV lines without a Python loop per row: the fast half of the CSV batch (locate_csv.py).

A block is bytes ending at a line end. Lines without a quote character (nearly all of them in the files people
send) are cut at the delimiter with numpy over the raw bytes (one pass finds every delimiter and line end), and
their coordinates read from the bytes (fast_decimals.py: plain decimals, float()'s values) or, for the other
numbers, in one vectorised cast from text; the rare lines holding a quote are parsed one by one with Python's csv (strict, then lenient), as
before: one record is one line, so a quote left open spoils that line only. Values the fast cast cannot read
exactly like `locate.parse_number` would (a decimal comma, spaces inside, words...) go through parse_number itself.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import numpy as np

from essor.territories.fast_decimals import FAST_WIDTH, plain_decimals
from essor.territories.locate import parse_number

# Longest coordinate text read by the vectorised cast; longer ones go through parse_number.
NUMBER_WIDTH = 40
# Bytes a plain number may hold (digits, sign, point, exponent, spaces around).
NUMERIC = np.zeros(256, dtype=bool)
NUMERIC[list(b"0123456789+-.eE ")] = True


@dataclass
class Block:
    """One block of lines, each known by where it starts in the block's bytes and its length there (line end
    excluded): its number of fields, an error (absent when the line parsed), the raw coordinate fields' numbers
    (NaN with a message when unusable), and the text written back for the lines parsed alone (re-quoted)."""

    data: bytes
    buf: np.ndarray  # the same bytes, as an array
    starts: np.ndarray
    lengths: np.ndarray
    fields: np.ndarray
    errors: dict[int, str]
    x: np.ndarray
    y: np.ndarray
    rewritten: dict[int, bytes]  # lines holding a quote, parsed alone: their fields as csv.writer writes them

    def __len__(self) -> int:
        return len(self.starts)

    def line(self, i: int) -> bytes:
        """Line i's text as written back (without its line end)."""
        text = self.rewritten.get(i)
        if text is None:
            start = int(self.starts[i])
            text = self.data[start : start + int(self.lengths[i])]
        return text


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
    """The block's lines, field counts and coordinates (columns: indices of x and y; names: for messages).
    No bytes object per line: lines are positions in the block's bytes (Block.line gives one when needed)."""
    sep = delimiter.encode()
    buf = np.frombuffer(data, dtype=np.uint8)
    # Every delimiter and line end in one pass: per line (a line end "\r\n" or "\n" excluded; the last line may
    # lack its line end, at the end of the file) its start and end, its first delimiter and its field count.
    if len(sep) == 1:
        events = np.flatnonzero((buf == sep[0]) | (buf == 10))
        is_end = buf[events] == 10
        seps = events[~is_end]
    else:
        events = np.flatnonzero(buf == 10)
        is_end = np.ones(len(events), dtype=bool)
        seps = np.zeros(0, dtype=np.int64)
    line_ends = np.flatnonzero(is_end)  # their places among the events
    ends = events[line_ends]
    if not len(ends) or ends[-1] != len(buf) - 1:
        ends = np.r_[ends, len(buf)]
        line_ends = np.r_[line_ends, len(events)]
    starts = np.r_[0, ends[:-1] + 1]
    previous = np.r_[-1, line_ends[:-1]]
    # The delimiters before a line: the events before it, less the line ends among them.
    first = previous + 1 - np.arange(len(starts))
    fields = line_ends - previous
    if b"\r" in data:
        ends = ends - ((ends > starts) & (buf[np.maximum(ends - 1, 0)] == 13))
    errors: dict[int, str] = {}
    quoted: list[int] = []
    if b'"' in data:
        where = np.searchsorted(starts, np.flatnonzero(buf == 34), side="right") - 1
        quoted = np.unique(where).tolist()
    values = []
    for column, name in zip(columns, names, strict=True):
        values.append(_numbers(buf, seps, starts, ends, first, fields, column, name, errors))
    x, y = values
    malformed = set()
    rewritten: dict[int, bytes] = {}
    for i in quoted:  # the slow lines, one by one
        row, error = parse_line(data[starts[i] : ends[i]].decode("utf-8"), delimiter)
        fields[i] = len(row)
        rewritten[i] = write_fields(row, delimiter)
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
    return Block(data, buf, starts, ends - starts, fields, errors, x, y, rewritten)


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
    numbers = np.full(n, np.nan)
    # Most fields are plain decimals, read from the bytes (fast_decimals.py); then numpy's cast from text, which
    # reads exactly like float(), for the other short ones; parse_number for what both refuse (below).
    fast = (length > 0) & (length <= FAST_WIDTH)
    rows = np.flatnonzero(fast)
    values, plain_rows = plain_decimals(buf, high[rows], length[rows])
    numbers[rows[plain_rows]] = values[plain_rows]
    plain = np.zeros(n, dtype=bool)
    plain[rows[plain_rows]] = True
    rows = np.flatnonzero((length > 0) & (length <= NUMBER_WIDTH) & ~plain)
    if len(rows):
        width = int(length[rows].max())
        raw = windows(buf, low[rows], length[rows], width)
        text = np.ascontiguousarray(raw).view(f"S{width}").ravel()
        try:  # every value a number: one cast
            numbers[rows] = text.astype(np.float64)
            plain[rows] = True
        except ValueError:  # some are not: cast the plain-looking ones, the others go one by one below
            within = np.arange(width) < length[rows][:, None]
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
