"""The pipeline's SQL applies the same ESS rules as the reference implementation in rules.py (property test)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from essor.sirene import rules
from essor.sirene.pipeline import Pipeline, connect
from essor.sirene.reference import _create

LEGAL_CATEGORIES = sorted(rules.legal_categories()) + ["", "0000", "12AB"]
NAF_CODES = sorted(rules.naf_subclasses()) + ["84.11Z", "8411Z", "94.92Z", "9492Z", "", "XX"]


def classify_in_sql(tmp_path, units: list[tuple[str, str, str]]) -> dict[str, tuple[bool, str, str]]:
    pipeline = Pipeline.__new__(Pipeline)  # only the units step: no input files, no Django reference
    pipeline.con = connect(tmp_path)
    pipeline.result = type("R", (), {"report": {}})()
    _create(
        pipeline.con,
        "ref_family",
        {"code": "VARCHAR", "family": "VARCHAR"},
        list(rules.family_table().items()),
    )
    _create(pipeline.con, "ref_cj", {"code": "VARCHAR"}, [(c,) for c in rules.legal_categories()])
    rows = [(f"{i:09d}", cj, flag, naf) for i, (flag, cj, naf) in enumerate(units)]
    _create(
        pipeline.con,
        "src",
        {"siren": "VARCHAR", "categorieJuridiqueUniteLegale": "VARCHAR",
         "economieSocialeSolidaireUniteLegale": "VARCHAR", "activitePrincipaleUniteLegale": "VARCHAR"},
        rows,
    )  # fmt: skip
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
        ),
        min_size=1,
        max_size=40,
    )
)
def test_sql_and_python_rules_agree(tmp_path, units):
    result = classify_in_sql(tmp_path, units)
    for i, (flag, cj, naf) in enumerate(units):
        assert result[f"{i:09d}"] == rules.classify_unit(flag, cj, naf), (flag, cj, naf)
