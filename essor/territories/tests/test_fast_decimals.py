"""Plain decimals read from bytes (fast_decimals.py) are float()'s values to the last bit, and nothing else passes."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from essor.territories.fast_decimals import FAST_WIDTH, plain_decimals


def read(texts: list[str]) -> list[float | None]:
    """Each text as the reader sees it in a block: the values it accepts, None where it refuses."""
    if not texts:
        return []
    data = ",".join(texts).encode() + b","
    buf = np.frombuffer(data, dtype=np.uint8)
    high = np.flatnonzero(buf == ord(","))
    length = high - np.r_[0, high[:-1] + 1]
    values, ok = plain_decimals(buf, high, length)
    return [float(value) if accepted else None for value, accepted in zip(values, ok, strict=True)]


def as_float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def same(value: float | None, expected: float | None) -> bool:
    return value == expected and np.signbit(value or 0.0) == np.signbit(expected or 0.0)


def test_coordinates_as_files_write_them_read_exactly():
    texts = ["1.3819", "-61.489412", "43.639700", "0", "-0", "-0.0", "+.5", "5.", "-.5", "007.250", "48"]
    texts += ["99999999999999", "9999999999999.9", ".99999999999999", "-9999999.999999", "0.30000000000001"]
    assert all(same(value, float(text)) for value, text in zip(read(texts), texts, strict=True))


def test_anything_but_a_plain_decimal_is_left_to_the_slower_readers():
    refused = [".", "-", "+", "-.", "+-1", "--1", "1-", "1.2.3", "1e5", "1E5", " 1.5", "1.5 ", "inf", "nan"]
    refused += ["0x10", "1_000", "١٢", "1.5\x00", "\x001.5", "1\x00.5", "a", "1.a", "1;5"]
    assert read(refused) == [None] * len(refused)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="0123456789.+-e ,x\x00", min_size=1, max_size=FAST_WIDTH), max_size=50))
def test_random_texts_are_either_refused_or_read_as_float_reads_them(texts):
    texts = [text for text in texts if "," not in text]
    for value, text in zip(read(texts), texts, strict=True):
        assert value is None or same(value, as_float(text))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "-", "+"]),
            st.text(alphabet="0123456789", max_size=7),
            st.text(alphabet="0123456789", max_size=6),
        ).filter(lambda parts: parts[1] or parts[2]),
        min_size=1,
        max_size=50,
    )
)
def test_every_plain_decimal_is_read_as_float_reads_it(parts):
    texts = [f"{sign}{whole}.{fraction}" if fraction or whole else sign for sign, whole, fraction in parts]
    texts += [f"{sign}{whole}" for sign, whole, _ in parts if whole]
    assert all(same(value, float(text)) for value, text in zip(read(texts), texts, strict=True))
