"""DuckDB helpers shared by the steps: quoting and the macros that carry the per-row rules."""

from __future__ import annotations

from essor.sirene import rules
from essor.sirene.formats import quote_identifier as identifier
from essor.sirene.formats import sql_literal as literal
from essor.sirene.models import AttributionSource, Zone

SAMPLE_SIZE = 20
TOP_CODES = 30
# Values that say nothing: an empty field, whitespace, or INSEE's mask for partially diffusible records.
UNKNOWN_MARKERS = ("", "[ND]")
# plg_qp24 / plg_qp15 values that mean "not in a QPV": outside the zoning (HZ), commune without zoning (CSZ).
OUTSIDE_MARKERS = ("HZ", "CSZ")


def literal_list(values) -> str:
    return ", ".join(literal(v) for v in values)


def column_or_null(item, column: str) -> str:
    """The column when the file has it, else NULL (optional columns of older or reduced files)."""
    return identifier(column) if column in item.columns else "NULL::VARCHAR"


MACROS = [
    # One NAF rule (rules.normalize_naf is the same in Python): trimmed, upper case, dot inserted in `8899B`.
    # The common case (already `88.99B`) is tested first: string functions dominate the cost of the scans.
    "CREATE MACRO naf_dot(t) AS CASE WHEN length(t) = 5 AND NOT contains(t, '.') THEN t[1:2] || '.' || t[3:] "
    "ELSE t END",
    "CREATE MACRO naf_norm(c) AS CASE WHEN length(c) = 6 AND c[3] = '.' AND c = upper(c) THEN c "
    "ELSE naf_dot(upper(trim(coalesce(c, '')))) END",
    "CREATE MACRO siret_number(s) AS CASE WHEN length(s) = 14 THEN TRY_CAST(s AS UBIGINT) END",
    "CREATE MACRO qpv_shaped(p) AS starts_with(p, 'Q') AND length(p) = 8",
    f"CREATE MACRO known(v) AS upper(trim(coalesce(v, ''))) NOT IN ({literal_list(UNKNOWN_MARKERS)})",
    "CREATE MACRO clean(v) AS upper(trim(coalesce(v, '')))",
    # A coordinate: a finite number, else NULL (text such as [ND], NaN, infinity, garbage).
    "CREATE MACRO coordinate(v) AS CASE WHEN isfinite(TRY_CAST(trim(CAST(v AS VARCHAR)) AS DOUBLE)) "
    "THEN TRY_CAST(trim(CAST(v AS VARCHAR)) AS DOUBLE) END",
    f"CREATE MACRO naf_excluded(c) AS substr(c, 1, 2) IN ({literal_list(rules.EXCLUDED_NAF_DIVISIONS)}) "
    f"OR substr(c, 1, 5) IN ({literal_list(rules.EXCLUDED_NAF_CLASSES)})",
    # NAFRev2 (or no column: files before NAF 2025), NAF2025, or another, older nomenclature.
    "CREATE MACRO nomenclature_kind(v) AS CASE WHEN regexp_replace(lower(coalesce(v, '')), '[^a-z0-9]', '', 'g') "
    "IN ('', 'nafrev2') THEN 'NAFRev2' WHEN contains(coalesce(v, ''), '2025') OR "
    "starts_with(regexp_replace(lower(coalesce(v, '')), '[^a-z0-9]', '', 'g'), 'naf25') THEN 'NAF2025' "
    "ELSE 'other' END",
    "CREATE MACRO nomenclature_of(v) AS CASE WHEN v IS NULL OR v = 'NAFRev2' THEN 'NAFRev2' "
    "WHEN v = 'NAF2025' THEN 'NAF2025' ELSE nomenclature_kind(v) END",
]


# Text columns of few values, stored as 1-byte ENUMs in the pipeline's tables of 18 M rows (etab, located, result)
# where a VARCHAR takes 16 bytes: their width made those tables spill to disk nationally (docs/adr/020). Values
# sorted, so an ENUM orders as its text; the tables of the release (out_ess, out_counts) turn them back into text.
# The zones and attribution sources are the models' choices; the other lists are what the steps' SQL produces.
ENUMS = {
    "reject_t": ("bad_siret", "duplicate_siret", "no_commune", "siren_mismatch", "unknown_commune"),
    "nomenclature_t": ("NAF2025", "NAFRev2", "other"),
    "ess_source_t": ("ess_france", "fallback", "insee"),
    "zone_t": tuple(sorted(Zone.values)),
    "attribution_t": tuple(sorted(AttributionSource.values)),
    "location_t": ("geolocation", "none", "stock"),
}


def enum_types(families) -> list[str]:
    """The statements creating ENUMS and `family_t` (every family a row can carry: the legal-form table's, the
    family of other ESS companies, and '' for a row outside the ESS)."""
    values = {**ENUMS, "family_t": tuple(sorted({*families, rules.OTHER_ESS_FAMILY, ""}))}
    return [f"CREATE TYPE {name} AS ENUM ({literal_list(v)})" for name, v in values.items()]


def top_codes(rows: list[tuple]) -> dict:
    return {
        "count": int(sum(n for _, n in rows)),
        "distinct": len(rows),
        "top": [[code, int(n)] for code, n in rows[:TOP_CODES]],
    }
