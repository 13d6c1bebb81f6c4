"""Territory search: accents, case, hyphens and `st` do not matter; best matches first; codes find territories."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from essor.territories.normalize import core_epci_name, normalize_name
from essor.territories.search import search
from essor.territories.tests.fixtures import module_reference

SUBSET = ("31", "42", "69")


def test_normalize_name():
    assert normalize_name("Saint-Étienne") == "saint etienne"
    assert normalize_name("ST-ETIENNE") == normalize_name("st étienne") == "saint etienne"
    assert normalize_name("Ste-Foy-lès-Lyon") == "sainte foy les lyon"
    assert normalize_name("Cœur D'Agglo") == "coeur d agglo"
    assert normalize_name("  ") == ""
    assert core_epci_name("toulouse metropole") == "toulouse"
    assert core_epci_name("metropole de lyon") == "lyon"
    assert core_epci_name("ca du grand narbonne") == "grand narbonne"


loaded = module_reference(SUBSET)


@given(st.text())
def test_normalize_name_is_plain_ascii_and_idempotent(text):
    normalized = normalize_name(text)
    assert set(normalized) <= set("abcdefghijklmnopqrstuvwxyz0123456789 ")
    assert normalize_name(normalized) == normalized
    assert normalized == normalized.strip() and "  " not in normalized


@pytest.fixture
def reference(loaded, db):
    return loaded


def identifiers(query, limit=50):
    return [result.identifier for result in search(query, limit=limit)]


@pytest.mark.parametrize(
    "query", ["saint etienne", "ST-ETIENNE", "Saint-Étienne", "saint-etienne", "st etienne"]
)
def test_saint_etienne_whatever_the_spelling(reference, query):
    top = identifiers(query)[:2]
    assert "commune:42218" in top and "epci:244200770" in top  # the commune and Saint-Étienne Métropole


def test_lyon_ranks_the_commune_and_the_metropole_first(reference):
    assert set(identifiers("lyon")[:2]) == {"commune:69123", "epci:200046977"}
    # then the arrondissements and other names starting with Lyon
    assert "commune:69381" in identifiers("lyon")


def test_prefix_before_contains(reference):
    results = identifiers("toulouse")
    assert set(results[:2]) == {"commune:31555", "epci:243100518"}
    assert results.index("commune:31555") < results.index("commune:31575")  # Vieille-Toulouse


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("31555", "commune:31555"),
        ("243100518", "epci:243100518"),
        ("QN03104M", "qpv:QN03104M"),
        ("qn03104m", "qpv:QN03104M"),
        ("31", "departement:31"),
        ("QP031007", "qpv:QP031007"),
        ("31000", "commune:31555"),  # a postcode
        ("commune:31555", "commune:31555"),  # a full identifier
    ],
)
def test_codes_find_their_territory(reference, query, expected):
    assert identifiers(query)[0] == expected


def test_results_carry_context_and_reference(reference):
    result = search("Blagnac", limit=5)[0]
    assert (result.kind, result.code, result.name) == ("commune", "31069", "Blagnac")
    assert result.context == "Haute-Garonne (31)" and result.population > 20_000
    assert result.ref.identifier == "commune:31069" and result.ref.obj.pk == "31069"
    qpv = search("QN03104M")[0]
    assert "Blagnac" in qpv.context


def test_former_communes_are_found_with_their_commune(reference):
    result = search("Argut-Dessus")[0]  # a commune déléguée of Boutx
    assert result.identifier == "commune:31016" and result.context == "Boutx, Haute-Garonne (31)"


def test_limit_and_empty_queries(reference):
    assert len(search("saint", limit=7)) == 7
    assert search("") == [] and search("  -  ") == []
    assert search("zzzzzz") == []


def test_query_count_is_small(reference, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        search("lyon", limit=20)
