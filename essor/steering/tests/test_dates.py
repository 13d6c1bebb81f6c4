"""Dates as written in the action sheets resolve to ranges (first and last day included)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from essor.steering.dates import find, resolve


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("début 2021", date(2021, 1, 1), date(2021, 4, 30)),
        ("mi-2021", date(2021, 5, 1), date(2021, 8, 31)),
        ("fin 2021", date(2021, 9, 1), date(2021, 12, 31)),
        ("fin de l'année 2021", date(2021, 9, 1), date(2021, 12, 31)),
        ("juin", date(2021, 6, 1), date(2021, 6, 30)),
        ("en février", date(2021, 2, 1), date(2021, 2, 28)),
        ("juin 2022", date(2022, 6, 1), date(2022, 6, 30)),
        ("fin juin 2021", date(2021, 6, 21), date(2021, 6, 30)),
        ("premier semestre 2021", date(2021, 1, 1), date(2021, 6, 30)),
        ("2ème semestre 2021", date(2021, 7, 1), date(2021, 12, 31)),
        ("S1 2022", date(2022, 1, 1), date(2022, 6, 30)),
        ("T3 2021", date(2021, 7, 1), date(2021, 9, 30)),
        ("deuxième trimestre 2022", date(2022, 4, 1), date(2022, 6, 30)),
        ("9 et 10 septembre 2021", date(2021, 9, 9), date(2021, 9, 10)),
        ("1er mars 2021", date(2021, 3, 1), date(2021, 3, 1)),
        ("à la rentrée", date(2021, 9, 1), date(2021, 10, 31)),
        ("printemps 2022", date(2022, 3, 1), date(2022, 5, 31)),
        ("2020/2022", date(2020, 1, 1), date(2022, 12, 31)),
        ("courant 2021", date(2021, 1, 1), date(2021, 12, 31)),
        ("DÉBUT 2021.", date(2021, 1, 1), date(2021, 4, 30)),
        ("early 2021", date(2021, 1, 1), date(2021, 4, 30)),
        ("first half of 2021", date(2021, 1, 1), date(2021, 6, 30)),
        ("Q4 2021", date(2021, 10, 1), date(2021, 12, 31)),
        ("June 2021", date(2021, 6, 1), date(2021, 6, 30)),
    ],
)
def test_written_dates_resolve_to_ranges(text, start, end):
    found = resolve(text, default_year=2021)
    assert (found.start, found.end) == (start, end)
    assert found.text == text.rstrip(".")


@pytest.mark.parametrize("text", ["31 février 2021", "le mois prochain", "copil", "mais aussi", ""])
def test_what_is_not_a_date_is_not_resolved(text):
    assert resolve(text, default_year=2021) is None


def test_a_month_without_a_year_is_left_unresolved_without_a_reference_year():
    assert resolve("juin") is None
    assert resolve("juin 2021") is not None


def test_dates_are_found_inside_free_text_as_written():
    text = (
        "Coconstruction … avec premiers webinaires fin 2021 (si complémentarité par / flashwebs ANCT), puis …"
    )
    assert find(text, 2021).text == "fin 2021"
    assert find("point intermédiaire avec ANCT en juin", 2021).text == "juin"
    assert (
        find("les journées de France urbaine les 9 et 10 septembre 2021)", 2021).text
        == "9 et 10 septembre 2021"
    )
    assert find("Diffusion via la plateforme La Grande équipe et autres réseaux", 2021) is None


@given(year=st.integers(1990, 2099), month=st.integers(1, 12), part=st.sampled_from(["début", "mi-", "fin"]))
def test_every_range_is_inside_its_month_or_year(year, month, part):
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
              "novembre", "décembre"]  # fmt: skip
    of_month = resolve(f"{part} {months[month - 1]} {year}")
    assert of_month.start.month == of_month.end.month == month
    assert of_month.start <= of_month.end
    of_year = resolve(f"{part}{'' if part.endswith('-') else ' '}{year}")
    assert of_year.start.year == of_year.end.year == year
    assert of_year.start <= of_year.end
