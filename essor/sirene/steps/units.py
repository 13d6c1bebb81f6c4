"""Step 2: the legal units that are ESS (INSEE's flag 'O', the statistical perimeter when the flag is empty, or
ESS France's list when given), with the facts the establishments need (family, source, privacy).

Rules (docs/methodology.md): a SIREN twice in the file keeps one line, the one with the flag 'O' first, then by
content (deterministic whatever the file order), and is counted. The fallback's NAF exclusions are tested on the
code of the nomenclature the row uses (NAF rév. 2 or NAF 2025: the same divisions and classes); a unit whose
activity is in an older nomenclature, with no NAF 2025 code either, cannot be tested and is not taken (counted).
"""

from __future__ import annotations

from essor.sirene import formats, rules
from essor.sirene.steps.sql import column_or_null, literal, literal_list, top_codes

FAMILIES_IN_FALLBACK = literal_list(rules.FALLBACK_FAMILIES)
# One line per SIREN: the ESS line first, then the flag O, then by content (the file order is not a rule).
ONE_LINE_PER_SIREN = "QUALIFY row_number() OVER (PARTITION BY siren ORDER BY ess_source IS NULL, flag = 'O' DESC, cj, name, naf_raw) = 1"


def run(p) -> None:
    src = p.sources[formats.UNITES_LEGALES]
    item = p.inputs[formats.UNITES_LEGALES]
    nomenclature = column_or_null(item, "nomenclatureActivitePrincipaleUniteLegale")
    naf25 = column_or_null(item, "activitePrincipaleNAF25UniteLegale")
    diffusion = column_or_null(item, "statutDiffusionUniteLegale")
    ess_france = "ess_france" if p.has_ess_france else "(SELECT NULL::VARCHAR AS siren WHERE false)"
    # One pass over the units file for what is counted on all of its lines: the lines by SIREN (duplicates;
    # kept for the establishments' orphan check) and by legal category (unknown codes), one GROUPING SETS scan.
    # Without a SIREN twice (INSEE's file), every line is its SIREN's only line: no window is needed.
    p.con.execute(f"""
        CREATE TABLE unit_keys AS
        SELECT siren, cj, grouping(siren) = 0 AS by_siren, count(*) AS n
        FROM (SELECT trim(siren) AS siren, trim(coalesce(categorieJuridiqueUniteLegale, '')) AS cj FROM {src})
        GROUP BY GROUPING SETS ((siren), (cj))
    """)  # noqa: S608 - code constants and sql.literal()/formats-quoted values
    duplicates = p.con.execute(
        "SELECT count(*), coalesce(sum(n - 1), 0) FROM unit_keys WHERE by_siren AND n > 1"
    ).fetchone()
    p.con.execute(f"""
        CREATE TABLE ess_units AS
        WITH u AS (
            SELECT trim(siren) AS siren, trim(coalesce(categorieJuridiqueUniteLegale, '')) AS cj,
                   clean(economieSocialeSolidaireUniteLegale) AS flag,
                   activitePrincipaleUniteLegale AS naf_raw, {nomenclature} AS nomenclature, {naf25} AS naf25_raw,
                   denominationUniteLegale AS name_raw, {diffusion} AS diffusion_raw
            FROM {src}
        ), candidates AS (
            -- The name and the privacy flag only for the candidates (a tenth of the lines), after the filter.
            SELECT u.* EXCLUDE (name_raw, diffusion_raw), coalesce(nullif(trim(u.name_raw), ''), '') AS name,
                   clean(u.diffusion_raw) = 'P' AS unit_private, f.family, l.siren IS NOT NULL AS in_list,
                   CASE nomenclature_of(u.nomenclature) WHEN 'other' THEN nullif(naf_norm(u.naf25_raw), '')
                        ELSE naf_norm(u.naf_raw) END AS rule_naf
            FROM u LEFT JOIN ref_family f ON f.code = u.cj
            LEFT JOIN (SELECT DISTINCT siren FROM {ess_france}) l ON l.siren = u.siren
            WHERE u.flag = 'O' OR l.siren IS NOT NULL
               OR (u.flag = '' AND f.family IN ({FAMILIES_IN_FALLBACK}))
        ), classified AS (
            SELECT *,
                   CASE WHEN flag = 'O' THEN 'insee'
                        WHEN flag = '' AND family IN ({FAMILIES_IN_FALLBACK}) AND rule_naf IS NOT NULL
                             AND NOT naf_excluded(rule_naf) THEN 'fallback'
                        WHEN in_list THEN 'ess_france' END AS ess_source,
                   flag = '' AND family IN ({FAMILIES_IN_FALLBACK}) AND rule_naf IS NULL AS unverifiable
            FROM candidates
        )
        SELECT siren, cj, name, unit_private, in_list, ess_source, unverifiable,
               CASE WHEN ess_source IS NULL THEN NULL
                    ELSE coalesce(nullif(family, ''), {literal(rules.OTHER_ESS_FAMILY)}) END AS family
        FROM classified
        {ONE_LINE_PER_SIREN if duplicates[0] else ""}
    """)  # noqa: S608 - code constants and sql.literal()/formats-quoted values
    unverifiable = p.scalar("SELECT count(*) FROM ess_units WHERE ess_source IS NULL AND unverifiable")
    p.con.execute("DELETE FROM ess_units WHERE ess_source IS NULL")
    report = p.result.report
    report["units"] = {
        "duplicate_sirens": int(duplicates[0]),
        "duplicate_lines_set_aside": int(duplicates[1]),
        "fallback_not_testable_nomenclature": int(unverifiable),
    }
    unknown = p.con.execute("""
        SELECT cj, n FROM unit_keys WHERE NOT by_siren AND cj NOT IN (SELECT code FROM ref_cj) ORDER BY 2 DESC, 1
    """).fetchall()
    report.setdefault("unknown_codes", {})["legal_category"] = top_codes(unknown)
    if p.has_ess_france:
        compare_ess_france(p, src)


def compare_ess_france(p, src: str) -> None:
    """ESS France's list against INSEE's flag: who is in one and not the other."""
    row = p.con.execute(f"""
        WITH l AS (SELECT DISTINCT siren FROM ess_france),
             flagged AS (SELECT DISTINCT trim(siren) AS siren FROM {src}
                         WHERE clean(economieSocialeSolidaireUniteLegale) = 'O'),
             known AS (SELECT DISTINCT trim(siren) AS siren FROM {src} WHERE siren IN (SELECT siren FROM l))
        SELECT (SELECT count(*) FROM l),
               (SELECT count(*) FROM flagged WHERE siren NOT IN (SELECT siren FROM l)),
               (SELECT count(*) FROM l WHERE siren NOT IN (SELECT siren FROM flagged)),
               (SELECT count(*) FROM l WHERE siren NOT IN (SELECT siren FROM known)),
               (SELECT count(*) FROM ess_units WHERE ess_source = 'ess_france')
    """).fetchone()  # noqa: S608 - code constants and sql.literal()/formats-quoted values
    sample = [
        s for (s,) in p.con.execute(
            "SELECT siren FROM ess_units WHERE ess_source = 'ess_france' ORDER BY siren LIMIT 20"
        ).fetchall()
    ]  # fmt: skip
    p.result.report["ess_france"] = {
        "list_sirens": int(row[0]),
        "insee_ess_not_in_list": int(row[1]),
        "list_not_insee_ess": int(row[2]),
        "list_not_in_units_file": int(row[3]),
        "units_ess_by_list_only": int(row[4]),
        "sample_ess_by_list_only": sample,
        "bad_lines": p.ess_france_bad,
    }
