"""The `kind:code` contract: parsing, resolving, breadcrumbs."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from essor.territories.identifiers import (
    KINDS,
    TerritoryRef,
    UnknownTerritory,
    parse_identifier,
    resolve,
    resolve_identifier,
)
from essor.territories.tests.fixtures import module_reference

SUBSET = ("31", "69", "93")
reference = module_reference(SUBSET)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("france:FR", ("france", "FR")),
        ("region:76", ("region", "76")),
        ("departement:31", ("departement", "31")),
        ("departement:2a", ("departement", "2A")),
        ("departement:971", ("departement", "971")),
        ("epci:243100518", ("epci", "243100518")),
        ("commune:31555", ("commune", "31555")),
        ("commune:2A004", ("commune", "2A004")),
        ("qpv:QN03104M", ("qpv", "QN03104M")),
        ("qpv:qp031004", ("qpv", "QP031004")),
        (" COMMUNE : 31555 ", ("commune", "31555")),
    ],
)
def test_parse_identifier(text, expected):
    assert parse_identifier(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31555", "expected KIND:CODE"),
        ("town:31555", "Unknown territory kind 'town'"),
        ("commune:3155", "not a valid commune code"),
        ("epci:24310051", "not a valid epci code"),
        ("qpv:QX031004", "not a valid qpv code"),
        ("france:EU", "not a valid france code"),
    ],
)
def test_parse_identifier_errors_say_what_is_wrong(text, message):
    with pytest.raises(ValueError, match=message):
        parse_identifier(text)


CODES = {
    "region": st.from_regex(r"\A[0-9]{2}\Z"),
    "departement": st.from_regex(r"\A([0-9]{2}|2A|2B|97[0-9])\Z"),
    "epci": st.from_regex(r"\A[0-9]{9}\Z"),
    "commune": st.from_regex(r"\A([0-9]{5}|2A[0-9]{3})\Z"),
    "qpv": st.from_regex(r"\A(QN[0-9]{5}[A-Z]|QP[0-9]{6})\Z"),
}


@given(st.sampled_from(sorted(CODES)).flatmap(lambda kind: st.tuples(st.just(kind), CODES[kind])))
def test_parse_identifier_round_trips(kind_and_code):
    kind, code = kind_and_code
    assert parse_identifier(f"{kind}:{code}") == (kind, code)
    assert parse_identifier(f"{kind.upper()}:{code.lower()}") == (kind, code)


@given(st.text(max_size=30))
def test_parse_identifier_accepts_or_explains(text):
    try:
        kind, code = parse_identifier(text)
    except ValueError as error:
        assert str(error)
    else:
        assert kind in KINDS and code == code.strip().upper()


def test_kinds_have_labels():
    assert list(KINDS) == ["france", "region", "departement", "epci", "commune", "qpv"]
    assert all(str(label) for label in KINDS.values())


@pytest.mark.django_db
def test_resolve_and_references(reference):
    ref = resolve("commune", "31555")
    assert (ref.kind, ref.code, ref.name, ref.identifier) == ("commune", "31555", "Toulouse", "commune:31555")
    assert ref.obj.pk == "31555"
    with translation.override("fr"):
        assert ref.get_absolute_url() == "/fr/territoires/commune/31555/"
    with translation.override("en"):
        assert ref.get_absolute_url() == "/en/territoires/commune/31555/"
    assert resolve_identifier("departement:31").name == "Haute-Garonne"
    france = resolve("france", "FR")
    assert france.obj is None and france.identifier == "france:FR" and france.parent_chain() == []
    assert TerritoryRef.of(ref.obj) == ref


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "code"), [("commune", "99999"), ("qpv", "QN99999M"), ("france", "EU"), ("town", "1")]
)
def test_resolve_unknown_territory(reference, kind, code):
    with pytest.raises(UnknownTerritory):
        resolve(kind, code)
    with pytest.raises(LookupError):  # UnknownTerritory is a LookupError
        resolve(kind, code)


def chain(kind, code):
    return [ref.identifier for ref in resolve(kind, code).parent_chain()]


@pytest.mark.django_db
def test_parent_chains_for_breadcrumbs(reference):
    assert chain("region", "76") == ["france:FR"]
    assert chain("departement", "31") == ["france:FR", "region:76"]
    assert chain("epci", "243100518") == ["france:FR", "region:76", "departement:31"]
    toulouse = ["france:FR", "region:76", "departement:31", "epci:243100518"]
    assert chain("commune", "31555") == toulouse
    assert chain("qpv", "QN03107M")[:-1] == toulouse and chain("qpv", "QN03107M")[-1] == "commune:31555"
    assert chain("commune", "69381") == [
        "france:FR",
        "region:84",
        "departement:69",
        "epci:200046977",
        "commune:69123",
    ]
    # Saint-Denis: the Métropole du Grand Paris, then its EPT Plaine Commune.
    assert chain("commune", "93066") == [
        "france:FR",
        "region:11",
        "departement:93",
        "epci:200054781",
        "epci:200057867",
    ]
    assert chain("epci", "200057867") == ["france:FR", "region:11", "departement:93", "epci:200054781"]
    assert resolve("commune", "31555").parent().identifier == "epci:243100518"
