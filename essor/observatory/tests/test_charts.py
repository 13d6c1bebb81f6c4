"""Charts read right: whole-number axes for counts, one percent format per language (the tables' one), no
second axis title to overlap the labels."""

import re

import pytest
from django.utils import translation

from essor.core import formatting
from essor.observatory import charts


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def few_creations():
    values = [0, 1, 0, 1, 0, 0, 1, 0, 0, 1]
    return {
        "creations": [{"year": year, "ess": n} for year, n in zip(range(2017, 2027), values, strict=True)],
        "establishments": {
            "ess_by_family": {
                "association": 1,
                "cooperative": 0,
                "mutuelle": 0,
                "fondation": 0,
                "entreprise_commerciale_ess": 0,
            }
        },
    }


@pytest.mark.parametrize("name", ["creations", "families"])
def test_small_counts_have_whole_ticks_each_once(name):
    with translation.override("fr"):
        svg = charts.render_svg(charts.build_spec(name, few_creations(), None))
    ticks = [text for text in texts(svg) if re.fullmatch(r"[\d\u00a0,.]+", text) and len(text) < 4]
    assert ticks == ["0", "1"]  # Vega's own ticks were 0 · 1 · 1 (0.5 printed as 1)


@pytest.mark.parametrize(
    ("maximum", "expected"),
    [(0, [0, 1]), (3, [0, 1, 2, 3]), (7, [0, 2, 4, 6, 8]), (374, [0, 100, 200, 300, 400])],
)
def test_count_ticks(maximum, expected):
    assert charts.count_ticks(maximum) == expected


def test_percent_axis_follows_the_tables_format():
    comparison = {
        "columns": [
            {"zone": "qpv", "ess_share": 0.0956},
            {"zone": "proximite", "ess_share": 0.12},
            {"zone": "hors_qpv", "ess_share": 0.08},
        ]
    }
    with translation.override("fr"):
        french = texts(charts.render_svg(charts.build_spec("zones", {}, comparison)))
        table_sign = formatting.format_percent(0.1)[-2:]
    with translation.override("en"):
        english = texts(charts.render_svg(charts.build_spec("zones", {}, comparison)))
    assert "10\u00a0%" in french and table_sign == "\u00a0%"  # d3's fr-FR put a narrow space (U+202F)
    assert "10%" in english and not any("\u202f" in text for text in french)


def test_category_axis_has_no_title_to_overlap():
    with translation.override("en"):
        svg = charts.render_svg(charts.build_spec("families", few_creations(), None))
    assert "Family" not in texts(svg)  # the table's header names the categories
    assert "ESS establishments" in texts(svg)
