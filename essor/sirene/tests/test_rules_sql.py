"""The pipeline's SQL applies the same ESS rules as the reference implementation in rules.py (property test)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from essor.sirene import formats, rules
from essor.sirene.pipeline import Pipeline, connect
from essor.sirene.reference import _create

LEGAL_CATEGORIES = sorted(rules.legal_categories()) + ["", "0000", "12AB"]
NAF_CODES = sorted(rules.naf_subclasses()) + ["84.11Z", "8411Z", "94.92Z", "9492Z", "", "XX", " 94.11z", "8411z ",
                                              "84.11Y", "94.20Y", "88.99G", "9491Y"]  # fmt: skip
NOMENCLATURES = ["NAFRev2", "NAF2025", "NAFRev1", "", None]
UNITS_COLUMNS = ["siren", "categorieJuridiqueUniteLegale", "economieSocialeSolidaireUniteLegale",
                 "activitePrincipaleUniteLegale", "nomenclatureActivitePrincipaleUniteLegale",
                 "activitePrincipaleNAF25UniteLegale"]  # fmt: skip


def classify_in_sql(tmp_path, units: list[tuple]) -> dict[str, tuple[bool, str, str]]:
    pipeline = Pipeline.__new__(Pipeline)  # only the units step: no input files, no Django reference
    pipeline.con = connect(tmp_path)
    pipeline.result = type("R", (), {"report": {}})()
    pipeline.has_ess_france = False
    pipeline.inputs = {formats.UNITES_LEGALES: formats.InputFile(
        role=formats.UNITES_LEGALES, path=tmp_path, format="csv", size=0, sha256="", columns=UNITS_COLUMNS)}  # fmt: skip
    _create(
        pipeline.con,
        "ref_family",
        {"code": "VARCHAR", "family": "VARCHAR"},
        list(rules.family_table().items()),
    )
    _create(pipeline.con, "ref_cj", {"code": "VARCHAR"}, [(c,) for c in rules.legal_categories()])
    rows = [(f"{i:09d}", cj, flag, naf, nomenclature, naf25) for i, (flag, cj, naf, nomenclature, naf25)
            in enumerate(units)]  # fmt: skip
    _create(pipeline.con, "src", dict.fromkeys(UNITS_COLUMNS, "VARCHAR"), rows)
    pipeline.sources = {
        "unites_legales": "(SELECT *, 'X' AS denominationUniteLegale, 'A' AS etatAdministratifUniteLegale FROM src)"
    }
    pipeline.units()
    found = {siren: (True, family, source) for siren, family, source in
             pipeline.con.execute("SELECT siren, family, ess_source FROM ess_units").fetchall()}  # fmt: skip
    pipeline.con.close()
    return {row[0]: found.get(row[0], (False, "", "")) for row in rows}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["O", "N", "", " "]),
            st.sampled_from(LEGAL_CATEGORIES),
            st.sampled_from(NAF_CODES),
            st.sampled_from(NOMENCLATURES),
            st.sampled_from(NAF_CODES),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_sql_and_python_rules_agree(tmp_path, units):
    result = classify_in_sql(tmp_path, units)
    for i, (flag, cj, naf, nomenclature, naf25) in enumerate(units):
        expected = rules.classify_unit(flag, cj, naf, nomenclature, naf25)
        assert result[f"{i:09d}"] == expected, (flag, cj, naf, nomenclature, naf25)


@pytest.mark.parametrize("code", ["88.99B", " 88.99b ", "8899B", "8899b ", "88.99b", "", None, "94.11Y", "x"])
def test_naf_normalisation_is_one_rule_in_sql_and_python(tmp_path, code):
    con = connect(tmp_path)
    assert con.execute("SELECT naf_norm($1::VARCHAR)", [code]).fetchone()[0] == rules.normalize_naf(code)
    con.close()


@pytest.mark.parametrize("value", ["NAFRev2", "NAF2025", "NAFRev1", "NAP", "", None, "nafrev2", "NAF25"])
def test_nomenclature_kind_is_one_rule_in_sql_and_python(tmp_path, value):
    con = connect(tmp_path)
    assert con.execute("SELECT nomenclature_of($1::VARCHAR)", [value]).fetchone()[
        0
    ] == rules.nomenclature_kind(value)
    con.close()


def test_the_enum_columns_hold_exactly_the_values_the_reports_and_the_tables_name():
    """The 1-byte ENUMs of the pipeline's large tables (steps.sql.ENUMS) list the values the quality report labels
    and the release's tables store: a value the SQL produces outside its ENUM stops the ingest with a conversion
    error, so each list is checked against the one the rest of the product reads."""
    from essor.sirene import quality
    from essor.sirene.models import AttributionSource, Family, Zone
    from essor.sirene.steps import sql

    assert set(sql.ENUMS["reject_t"]) == set(quality.REASONS)
    assert set(sql.ENUMS["location_t"]) == set(quality.LOCATION_SOURCES)
    assert set(sql.ENUMS["attribution_t"]) == set(AttributionSource.values)
    assert set(sql.ENUMS["zone_t"]) == set(Zone.values)
    for values in sql.ENUMS.values():  # sorted: an ENUM then orders as its text (report order, write order)
        assert list(values) == sorted(values)
    families = sql.enum_types(rules.family_table().values())[-1]
    assert all(f"'{family}'" in families for family in [*Family.values, ""])
