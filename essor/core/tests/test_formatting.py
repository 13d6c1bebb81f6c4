"""Figures are rounded half-up (never truncated) and written in the page's language, everywhere."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from essor.core import formatting


@pytest.mark.parametrize(
    ("share", "fr", "en"),
    [
        (0.095623, "9,6\u00a0%", "9.6%"),  # truncation gave 9,5 %
        (8 / 11, "72,7\u00a0%", "72.7%"),
        (0.99999, "100,0\u00a0%", "100.0%"),
        (0.00125, "0,1\u00a0%", "0.1%"),
        (0, "0,0\u00a0%", "0.0%"),
    ],
)
def test_percent_rounds_half_up_in_both_languages(share, fr, en):
    assert formatting.format_percent(share, lang="fr") == fr
    assert formatting.format_percent(share, lang="en") == en


def test_integer_percent_of_eight_elevenths_is_73_not_72():
    assert formatting.format_percent(8 / 11, 0, lang="fr") == "73\u00a0%"


@pytest.mark.parametrize(
    ("value", "digits", "fr", "en"),
    [
        (12345.5, 0, "12\u00a0346", "12,346"),
        (1234567, 0, "1\u00a0234\u00a0567", "1,234,567"),
        (2.675, 2, "2,68", "2.68"),  # a float alone would round to 2.67
        (0.125, 2, "0,13", "0.13"),  # round() would give 0.12 (half to even)
        (-0.004, 2, "0,00", "0.00"),  # no "-0,00"
        (-1234.5, 0, "-1\u00a0235", "-1,235"),
        (374, 0, "374", "374"),
    ],
)
def test_numbers(value, digits, fr, en):
    assert formatting.format_number(value, digits, lang="fr") == fr
    assert formatting.format_number(value, digits, lang="en") == en


def test_unknown_is_a_dash_not_zero():
    assert formatting.format_number(None) == formatting.format_percent(None) == "—"
    assert formatting.format_number(float("nan")) == "—"
    assert formatting.format_range(10, None, lang="en") == "10+"
    assert formatting.format_range(1000, 2500, lang="fr") == "1\u00a0000–2\u00a0500"


def test_active_language_decides_when_none_given():
    with translation.override("en"):
        assert formatting.format_percent(0.5) == "50.0%"
    with translation.override("fr"):
        assert formatting.format_percent(0.5) == "50,0\u00a0%"


def test_plain_numbers_for_csv_cells():
    assert formatting.plain_number(0.093173000000000001, 6, ",") == "0,093173"
    assert formatting.plain_number(12.345, 2) == "12.35"
    assert formatting.plain_number(None, 2) == ""
    assert formatting.round_half_up(72.5) == Decimal("73")


def test_template_filters_round():
    template = Template(
        "{% load essor_tags observatory_tags %}{{ s|pct }} {{ s|figure:'pct' }} {{ d|num:2 }}"
    )
    with translation.override("fr"):
        assert template.render(Context({"s": 0.095623, "d": 2.675})) == "9,6\u00a0% 9,6\u00a0% 2,68"
    with translation.override("en"):
        assert template.render(Context({"s": 0.095623, "d": 2.675})) == "9.6% 9.6% 2.68"


def test_d3_locale_matches_the_tables():
    assert formatting.d3_locale("fr")["percent"] == "\u00a0%"
    assert formatting.d3_locale("fr")["decimal"] == ","
    assert formatting.d3_locale("en")["percent"] == "%"
    assert formatting.xlsx_number_format(1, percent=True) == "0.0%"
    assert formatting.xlsx_number_format(2) == "#,##0.00"


def test_dates_read_as_written_in_each_language():
    import datetime as dt

    template = Template("{% load essor_tags %}{{ d|long_date }}")
    first, twelfth = dt.date(2026, 11, 1), dt.date(2026, 3, 12)
    with translation.override("fr"):
        # French writes the first of the month as an ordinal; every SIRENE release is dated the 1st.
        assert template.render(Context({"d": first})) == "1er novembre 2026"
        assert template.render(Context({"d": twelfth})) == "12 mars 2026"
        assert template.render(Context({"d": None})) == ""
    with translation.override("en"):
        assert template.render(Context({"d": first})) == "Nov. 1, 2026"
        assert formatting.long_date(twelfth) == "March 12, 2026"
    assert formatting.long_date(first, lang="fr") == "1er novembre 2026"
