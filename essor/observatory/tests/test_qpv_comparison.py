"""The QPV page's comparison: the QPV, the rest of its commune(s), its EPCI and France, hand-counted from the
release of conftest.py (rows a…j)."""

import re

import pytest
from django.test import RequestFactory
from django.utils import translation

from essor.core.pdf import page_texts
from essor.observatory.factsheet import factsheet_document
from essor.observatory.qpv_comparison import qpv_comparison
from essor.observatory.scope import get_scope
from essor.observatory.tests.factories import CommuneFactory, QpvFactory
from essor.sirene.models import Release

URL = "/{lang}/territoires/qpv/QN03104M/"


def _values(compared) -> dict[str, list]:
    return {row["key"]: row["values"] for row in compared["rows"]}


@pytest.mark.parametrize("fixture", ["release", "precomputed"])
def test_figures_are_the_hand_counted_ones(request, fixture):
    release = request.getfixturevalue(fixture)
    compared = qpv_comparison(release, get_scope("qpv", "QN03104M"))
    assert [column["key"] for column in compared["columns"]] == ["qpv", "rest", "epci", "france"]
    values = _values(compared)
    # QPV: a + b. Rest of Toulouse: c (the 300 m band) + d + e (hors_qpv). Toulouse Métropole: a…g, j. France: all.
    assert values["active"] == [14, 25, 51, 61]
    assert values["ess"] == [4, 5, 10, 12]
    assert values["ess_share"] == [round(4 / 14, 6), 0.2, round(10 / 51, 6), round(12 / 61, 6)]
    assert values["employer_share"] == [1.0, 0.4, round(7 / 10, 6), round(9 / 12, 6)]
    assert values["ess_employees"][:2] == [{"low": 12, "high": 20}, {"low": 6, "high": 10}]
    assert values["ess_employees"][2] == {"low": 10018, "high": None}  # f is in the top band: no upper bound
    assert values["association"] == [4, 3, 7, 7] and values["cooperative"] == [0, 2, 3, 3]
    assert values["mutuelle"] == [0, 0, 0, 2]
    # Population: the QPV's 40,000; the rest of Toulouse is 500,000 minus its QPVs' 40,000.
    assert values["population"][:3] == [40_000, 460_000, 800_000]
    assert values["ess_per_1000"][0] == pytest.approx(4 * 1000 / 40_000)
    assert values["ess_per_1000"][1] == pytest.approx(5 * 1000 / 460_000)


def test_a_qpv_over_two_communes_is_compared_with_both_together(release):
    blagnac = CommuneFactory(code="31069")
    QpvFactory(code="QN03104M").communes.add(blagnac)
    compared = qpv_comparison(release, get_scope("qpv", "QN03104M"))
    values = _values(compared)
    assert compared["several_communes"] and compared["commune_names"] == ["Blagnac", "Toulouse"]
    # Rest = c, d, e in Toulouse + f, g, j in Blagnac (everything there is hors_qpv).
    assert values["active"][1] == 25 + 12 and values["ess"][1] == 6
    assert values["population"][1] == 500_000 + 25_000 - 40_000


def test_population_of_the_rest_is_unknown_when_a_qpv_reaches_into_another_commune(release):
    other = QpvFactory(code="QN03199M", name="Entre deux", generation=2024, population=3_000)
    other.communes.add(CommuneFactory(code="31555"), CommuneFactory(code="31069"))
    values = _values(qpv_comparison(release, get_scope("qpv", "QN03104M")))
    assert values["population"][1] is None and values["ess_per_1000"][1] is None
    assert values["ess"][1] == 5  # the figures themselves do not depend on populations


def test_no_population_means_no_rate_never_zero(release):
    QpvFactory(code="QN03104M").__class__.objects.filter(code="QN03104M").update(population=None)
    values = _values(qpv_comparison(release, get_scope("qpv", "QN03104M")))
    assert values["population"][:2] == [None, None] and values["ess_per_1000"][:2] == [None, None]


def _table(html: str) -> str:
    return re.search(r'<table class="obs-compare-table obs-qpv-compare-table.*?</table>', html, re.S).group(0)


@pytest.mark.parametrize(
    ("lang", "title", "rest", "rate"),
    [
        (
            "fr",
            "Ce QPV comparé au reste de sa commune, à son EPCI et à la France",
            "Reste de Toulouse",
            "0,10",
        ),
        (
            "en",
            "This QPV compared with the rest of its commune, its EPCI and France",
            "Rest of Toulouse",
            "0.10",
        ),
    ],
)
def test_the_qpv_page_shows_the_comparison_in_both_languages(
    client, precomputed, lang, title, rest, rate, django_assert_max_num_queries
):
    with django_assert_max_num_queries(45):
        html = client.get(URL.format(lang=lang)).content.decode()
    assert title in html
    table = _table(html)
    assert rest in table and "Toulouse Métropole" in table and "France" in table
    # Formatted through essor.core.formatting: 460 000 with a no-break space in French, 460,000 in English.
    assert ("460\xa0000" if lang == "fr" else "460,000") in table
    assert f">{rate}<" in table  # 4 ESS establishments per 40,000 inhabitants
    assert 'class="table-wrap"' in html.split('id="qpv-compare-title"')[1].split("<table")[0]
    # The headline table of the observatory section is not repeated for a QPV.
    assert html.count("obs-compare-table") == 1


def test_the_section_is_on_qpv_pages_only(client, precomputed):
    assert 'id="qpv-compare-title"' not in client.get("/en/territoires/commune/31555/").content.decode()


def test_the_query_count_does_not_grow_with_the_communes(client, precomputed, django_assert_max_num_queries):
    qpv = QpvFactory(code="QN03104M")
    for index in range(6):
        qpv.communes.add(CommuneFactory(code=f"3190{index}", name=f"Commune {index}", population=1_000))
    with django_assert_max_num_queries(45):
        html = client.get(URL.format(lang="en")).content.decode()
    assert "Rest of its 7 communes" in html


def test_the_printable_fact_sheet_of_a_qpv_has_the_comparison(client, precomputed):
    html = client.get("/en/observatoire/territoires/qpv/QN03104M/").content.decode()
    assert "Rest of Toulouse" in _table(html)


@pytest.mark.parametrize(("lang", "rest"), [("fr", "Reste de Toulouse"), ("en", "Rest of Toulouse")])
def test_the_qpv_pdf_fact_sheet_has_the_comparison_uncut(precomputed, lang, rest):
    request = RequestFactory().get(f"/{lang}/observatoire/territoires/qpv/QN03104M/fiche.pdf")
    with translation.override(lang):
        document = factsheet_document(request, Release.objects.active(), get_scope("qpv", "QN03104M"))
    assert len(document.pages) <= 2
    text = " ".join(page_texts(document))
    assert rest in text and "Toulouse Métropole" in text
    assert ("460\xa0000" if lang == "fr" else "460,000") in text  # the last populated column is not cut off
    # Every cell of the table lies inside the page's content box (the table is not cut at the right margin).
    page = document.pages[0]._page_box
    right = page.content_box_x() + page.width
    cells = list(_cells(page))
    assert len(cells) >= 5 * 13  # indicator + 4 columns, 13 rows at least (header included)
    assert all(cell.position_x + cell.margin_width() <= right + 1 for cell in cells)


def _cells(box):
    if type(box).__name__ == "TableCellBox":
        yield box
    for child in getattr(box, "children", []):
        yield from _cells(child)
