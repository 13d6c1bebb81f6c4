"""Plain decimal numbers read straight from a block's bytes with numpy: the coordinates of the CSV batch.

`plain_decimals` reads fields of at most FAST_WIDTH bytes shaped `[+-]digits[.digits]` (a digit at least), which is
how nearly every file writes its coordinates, and leaves every other field to the caller (csv_columns.py: numpy's
cast from text, then `parse_number`). The value is exactly float()'s: the digits make an integer below 10**15,
exact in a double, and one division by a power of ten, also exact, rounds once and correctly (the fast path of
every correct decimal reader, Clinger 1990). Per field, a row of 16 bytes, right-aligned, is read as two 64-bit
words: the eight digits of each word make a number in three multiplications (SWAR), with no loop over the
columns. About 2x faster than numpy's cast of the same fields from text (docs/adr/018).
"""

from __future__ import annotations

import numpy as np

# Longest field read here (16 bytes per row, the first one always padding, keeps the integer below 10**15).
FAST_WIDTH = 15
WIDE = 16
COLUMNS = np.arange(WIDE, dtype=np.uint8)
SCALES = 10.0 ** np.arange(WIDE)
# FIELD_MASKS[lead]: the 16 bytes of a row, 1 from column `lead` on (where a field of 16 - lead bytes lies), as
# one 16-byte item, so that a gather reads one item per row.
FIELD_MASKS = np.ascontiguousarray(COLUMNS >= np.arange(WIDE + 1)[:, None]).view(np.complex128).ravel()
BYTE_SUM = np.uint64(0x0101010101010101)
LANES = (
    (np.uint64(10), np.uint64(8), np.uint64(0x00FF00FF00FF00FF)),
    (np.uint64(100), np.uint64(16), np.uint64(0x0000FFFF0000FFFF)),
    (np.uint64(10_000), np.uint64(32), np.uint64(0x00000000FFFFFFFF)),
)


def _byte_sums(rows: np.ndarray) -> np.ndarray:
    """Per row of a (n, 16) array of small bytes (sum < 256), the sum of its bytes: two words, one product each."""
    words = rows.view(np.uint64) * BYTE_SUM >> np.uint64(56)
    return words[:, 0] + words[:, 1]


def _eight_digits(words: np.ndarray) -> np.ndarray:
    """The number written by the 8 digit values (0-9, the most significant in the lowest byte) of each word."""
    for factor, shift, mask in LANES:
        words = (words * factor + (words >> shift)) & mask
    return words


def plain_decimals(buf: np.ndarray, high: np.ndarray, length: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The values of the fields buf[high - length : high] (1 <= length <= FAST_WIDTH), and which fields are plain
    decimals (the values of the others are meaningless)."""
    n = len(high)
    padded = np.concatenate([np.zeros(WIDE, dtype=np.uint8), buf])
    # Right-aligned: the field ends each row.
    raw = np.lib.stride_tricks.sliding_window_view(padded, WIDE)[high]
    lead = WIDE - length
    field = FIELD_MASKS[lead].view(np.bool_).reshape(n, WIDE)
    digit = raw - np.uint8(48)
    is_digit = (digit < 10) & field
    dot = (raw == 46) & field
    other = field & ~(is_digit | dot)
    first = buf[high - length]
    signed = (first == 45) | (first == 43)
    others, dots = _byte_sums(other), _byte_sums(dot)
    # Nothing but digits and one dot at most, a sign allowed as the first byte (the one other byte then).
    ok = ((others == 0) | ((others == 1) & signed)) & (dots <= 1) & (_byte_sums(is_digit) > 0)
    digit *= is_digit  # the dot, the sign and the padding count as 0
    words = digit.view(np.uint64)
    whole = _eight_digits(words[:, 0]) * np.uint64(100_000_000) + _eight_digits(words[:, 1])
    # `whole` has the digits before the dot one place too high (the dot holds a column): put them back.
    whole = whole.astype(np.float64)
    after = np.where(dots == 1, WIDE - 1 - _byte_sums(dot * COLUMNS).astype(np.int64), 0)  # digits after it
    scale = SCALES[after]
    low = whole - np.floor(whole / scale) * scale  # the digits after the dot, exactly (whole < 2**53)
    mantissa = np.where(dots > 0, (whole - low) / 10 + low, whole)
    value = mantissa / scale
    return np.where(first == 45, -value, value), ok
