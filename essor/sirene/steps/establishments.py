"""Step 3: active establishments joined to the ESS units; every row kept, set aside or flagged is counted.

Set aside (with their reason, counted and sampled): bad SIRET, SIRET not starting with the SIREN, no commune
(abroad), unknown commune, second line of a SIRET. Kept and counted: a former commune code (mapped to today's
commune), an establishment whose SIREN is not in the units file (counted, never ESS), an unknown size band (no
employee, like an empty band), an invalid or implausible creation date (kept; only plausible dates feed the
creations chart), a disagreement between the size band and `caractereEmployeurEtablissement`.
"""

from __future__ import annotations

from essor.sirene import columns as column_rules
from essor.sirene import formats, rules
from essor.sirene.steps.sql import SAMPLE_SIZE, identifier, literal, top_codes

OPTIONAL = {
    "indice": "indiceRepetitionEtablissement",
    "diffusion": "statutDiffusionEtablissement",
    "nomenclature": "nomenclatureActivitePrincipaleEtablissement",
    "naf25": "activitePrincipaleNAF25Etablissement",
    "employer_now": "caractereEmployeurEtablissement",
    "lambert_x": "coordonneeLambertAbscisseEtablissement",
    "lambert_y": "coordonneeLambertOrdonneeEtablissement",
}
REQUIRED = {
    "siret": "siret", "siren": "siren", "commune": "codeCommuneEtablissement",
    "naf": "activitePrincipaleEtablissement", "band": "trancheEffectifsEtablissement",
    "denomination": "denominationUsuelleEtablissement", "enseigne": "enseigne1Etablissement",
    "numero": "numeroVoieEtablissement", "type_voie": "typeVoieEtablissement",
    "libelle_voie": "libelleVoieEtablissement", "postcode": "codePostalEtablissement",
}  # fmt: skip
DETAIL = ("denomination", "enseigne", "numero", "indice", "type_voie", "libelle_voie", "postcode")


def _columns(item) -> dict[str, str]:
    """Each column the step reads as text (formats.text_sql), NULL when an optional column is absent."""
    text = {name: formats.text_sql(item, column) for name, column in REQUIRED.items()}
    for name, column in OPTIONAL.items():
        text[name] = formats.text_sql(item, column) if column in item.columns else "NULL::VARCHAR"
    return text


def _typed(item) -> dict[str, str]:
    """The creation date and the head-office flag from their stored type when it makes the text detour
    pointless (a DATE column, a BOOLEAN column: INSEE's Parquet); read as text otherwise (CSV, other types)."""
    created, siege = identifier("dateCreationEtablissement"), identifier("etablissementSiege")
    created_type = column_rules.base_type(item.types.get("dateCreationEtablissement", ""))
    if created_type == "DATE":  # its text is YYYY-MM-DD between these years: the same date back
        on = (f"CASE WHEN {created} BETWEEN DATE '0001-01-01' AND DATE '9999-12-31' THEN {created} "
              f"ELSE TRY_CAST(CAST({created} AS VARCHAR) AS DATE) END")  # fmt: skip
        present = f"{created} IS NOT NULL"
    else:
        raw = formats.text_sql(item, "dateCreationEtablissement")
        on, present = f"TRY_CAST({raw} AS DATE)", f"coalesce(trim({raw}), '') <> ''"
    if column_rules.base_type(item.types.get("etablissementSiege", "")) == "BOOLEAN":
        is_siege = f"coalesce({siege}, false)"
    else:
        is_siege = f"clean({formats.text_sql(item, 'etablissementSiege')}) IN ('TRUE', 'T', 'O', '1')"
    return {"created_on": on, "created_present": present, "is_siege": is_siege}


def run(p) -> None:
    item = p.inputs[formats.ETABLISSEMENTS]
    # The file in its stored types with its line numbers: each column becomes text in the query that reads it.
    src = formats.typed_source(item, row_numbers=True)
    text, typed = _columns(item), _typed(item)
    active = f"{formats.text_sql(item, 'etatAdministratifEtablissement')} = {literal(rules.ACTIVE)}"
    low, high = (literal(d.isoformat()) for d in rules.PLAUSIBLE_CREATION)
    # Every active establishment, with only what the counts and the report need; the ESS ones' names and
    # addresses (a tenth of the rows) are read by _detail into their own table.
    p.con.execute(f"""
        CREATE TABLE etab AS
        SELECT
            e.file_row, e.siret, e.siren, e.siret_n,
            CAST(CASE WHEN e.siret_n IS NULL THEN 'bad_siret'
                      WHEN substr(e.siret, 1, 9) <> coalesce(e.siren, '') THEN 'siren_mismatch'
                      WHEN coalesce(e.commune, '') = '' THEN 'no_commune'
                      WHEN c.code IS NULL THEN 'unknown_commune' END AS reject_t) AS reject_reason,
            e.commune AS commune_raw, c.former AS former_commune, c.place,
            naf_norm(e.naf) AS naf, CAST(nomenclature_of(e.nomenclature) AS nomenclature_t) AS nomenclature,
            naf_norm(e.naf25) AS naf25,
            coalesce(trim(e.band), '') AS band, clean(e.employer_now) AS employer_now,
            u.siren IS NOT NULL AS is_ess, CAST(coalesce(u.family, '') AS family_t) AS family,
            CAST(u.ess_source AS ess_source_t) AS ess_source, u.cj,
            clean(e.diffusion) = 'P' AS diffusion_p,
            clean(e.diffusion) = 'P' OR coalesce(u.unit_private, false) OR starts_with(coalesce(u.cj, ''), '1')
                AS private,
            e.created_on,
            e.created_present AND e.created_on IS NULL AS created_invalid,
            NOT coalesce(e.created_on BETWEEN DATE {low} AND DATE {high}, true) AS created_implausible,
            e.is_siege, coordinate(e.lambert_x) AS stock_x, coordinate(e.lambert_y) AS stock_y
        FROM (
            SELECT file_row_number AS file_row, siret, siret_number(siret) AS siret_n, siren,
                   trim(commune) AS commune, naf, band, created_on, created_present, is_siege, diffusion,
                   nomenclature, naf25, employer_now, lambert_x, lambert_y
            FROM (
                SELECT file_row_number, {text["siret"]} AS siret, {text["siren"]} AS siren,
                       {text["commune"]} AS commune, {text["naf"]} AS naf, {text["band"]} AS band,
                       {typed["created_on"]} AS created_on, {typed["created_present"]} AS created_present,
                       {typed["is_siege"]} AS is_siege, {text["diffusion"]} AS diffusion,
                       {text["nomenclature"]} AS nomenclature, {text["naf25"]} AS naf25,
                       {text["employer_now"]} AS employer_now, {text["lambert_x"]} AS lambert_x,
                       {text["lambert_y"]} AS lambert_y
                FROM {src} WHERE {active}
            )
        ) e
        LEFT JOIN ess_units u ON u.siren = e.siren
        LEFT JOIN ref_commune c ON c.code = e.commune
    """)  # noqa: S608 - code constants and sql.literal()/formats-quoted values
    _detail(p, src, text, active)
    _set_aside_duplicates(p)
    _report(p)


def _detail(p, src: str, text: dict[str, str], active: str) -> None:
    """Name, address and postcode of the active lines of ESS units, by line of the file (etab.file_row)."""
    p.con.execute(f"""
        CREATE TABLE etab_detail AS
        SELECT e.file_row,
               coalesce(nullif(trim(e.denomination), ''), nullif(trim(e.enseigne), ''), nullif(u.name, ''), e.siret)
                   AS name,
               concat_ws(' ', nullif(trim(e.numero), ''), nullif(trim(e.indice), ''), nullif(trim(e.type_voie), ''),
                         nullif(trim(e.libelle_voie), '')) AS address,
               trim(e.postcode) AS postcode
        FROM (
            SELECT file_row_number AS file_row, {text["siret"]} AS siret, {text["siren"]} AS siren,
                   {", ".join(f"{text[name]} AS {name}" for name in DETAIL)}
            FROM {src} WHERE {active}
        ) e
        JOIN ess_units u ON u.siren = e.siren
    """)  # noqa: S608 - code constants and sql.literal()/formats-quoted values


def _set_aside_duplicates(p) -> None:
    """A SIRET twice: the first line in file order is kept, the others are set aside."""
    if p.scalar(
        "SELECT count(*) FROM (SELECT siret_n FROM etab WHERE reject_reason IS NULL "
        "GROUP BY siret_n HAVING count(*) > 1)"
    ):
        p.con.execute("""
            UPDATE etab SET reject_reason = 'duplicate_siret' WHERE rowid IN (
                SELECT rid FROM (
                    SELECT rowid AS rid, row_number() OVER (PARTITION BY siret_n ORDER BY rowid) AS n
                    FROM etab WHERE reject_reason IS NULL AND siret_n IN (
                        SELECT siret_n FROM etab WHERE reject_reason IS NULL GROUP BY siret_n HAVING count(*) > 1)
                ) WHERE n > 1)
        """)


def _report(p) -> None:
    report = p.result.report
    report["active_establishments"] = p.scalar("SELECT count(*) FROM etab")
    by_reason = dict(
        p.con.execute(
            "SELECT reject_reason, count(*) FROM etab WHERE reject_reason IS NOT NULL GROUP BY 1 ORDER BY 1"
        ).fetchall()
    )
    sample = p.con.execute(
        "SELECT siret, siren, commune_raw, reject_reason FROM etab WHERE reject_reason IS NOT NULL "  # noqa: S608 - code constants and sql.literal()/formats-quoted values
        f"ORDER BY rowid LIMIT {SAMPLE_SIZE}"
    ).fetchall()
    report["rejected"] = {
        "count": sum(by_reason.values()),
        "by_reason": by_reason,
        "sample": [{"siret": s, "siren": n, "commune": c, "reason": r} for s, n, c, r in sample],
    }
    kept = "reject_reason IS NULL"
    # The units step's SIREN aggregate (one scan of the units file) stands for the file's SIRENs.
    orphans = p.con.execute(f"""
        SELECT count(*), list(siret ORDER BY siret)[1:{SAMPLE_SIZE}] FROM etab
        WHERE {kept} AND siren NOT IN (SELECT siren FROM unit_keys WHERE by_siren AND siren IS NOT NULL)
    """).fetchone()  # noqa: S608 - code constants and sql.literal()/formats-quoted values
    p.con.execute("DROP TABLE unit_keys")
    report["establishments_without_unit"] = {"count": int(orphans[0]), "sample": orphans[1] or []}
    # One scan of the kept rows for every count of the report (the employer rule's too).
    counts = p.con.execute(f"""
        SELECT count(*) FILTER (former_commune), count(*) FILTER (created_invalid),
               count(*) FILTER (created_implausible AND NOT created_invalid AND created_on IS NOT NULL),
               count(*) FILTER (diffusion_p), count(*) FILTER (private AND is_ess),
               count(*) FILTER (nomenclature = 'NAF2025'), count(*) FILTER (nomenclature = 'other'),
               count(*) FILTER (naf25 <> ''),
               count(*) FILTER (b.employer AND e.employer_now = 'N'),
               count(*) FILTER (NOT coalesce(b.employer, false) AND e.employer_now = 'O'),
               count(*) FILTER (e.employer_now = 'O'), count(*) FILTER (e.employer_now NOT IN ('O', 'N'))
        FROM etab e LEFT JOIN ref_band b ON b.code = e.band WHERE {kept}
    """).fetchone()  # noqa: S608 - code constants and sql.literal()/formats-quoted values
    report["former_commune_codes"] = int(counts[0])
    dates = p.con.execute(f"""
        SELECT CAST(created_on AS VARCHAR), count(*) FROM etab WHERE {kept} AND created_implausible
        AND created_on IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT {SAMPLE_SIZE}
    """).fetchall()  # noqa: S608 - code constants and sql.literal()/formats-quoted values
    invalid = p.con.execute(f"""
        SELECT siret FROM etab WHERE {kept} AND created_invalid ORDER BY rowid LIMIT {SAMPLE_SIZE}
    """).fetchall()  # noqa: S608 - code constants and sql.literal()/formats-quoted values
    report["creation_dates"] = {
        "invalid": int(counts[1]),
        "invalid_sample_sirets": [s for (s,) in invalid],
        "implausible": int(counts[2]),
        "implausible_top": [[d, int(n)] for d, n in dates],
        "plausible_range": [d.isoformat() for d in rules.PLAUSIBLE_CREATION],
    }
    report["privacy"] = {"partially_diffusible": int(counts[3]), "masked_ess_establishments": int(counts[4])}
    report["nomenclature"] = {"naf2025_main": int(counts[5]), "older_nomenclature": int(counts[6]),
                              "with_naf2025_column": int(counts[7])}  # fmt: skip
    unknown = report.setdefault("unknown_codes", {})
    unknown["commune"] = top_codes(
        p.con.execute(
            "SELECT commune_raw, count(*) FROM etab WHERE reject_reason = 'unknown_commune' "
            "GROUP BY 1 ORDER BY 2 DESC, 1"
        ).fetchall()
    )
    unknown["naf"] = top_codes(
        p.con.execute(f"""
            SELECT naf, count(*) FROM etab e WHERE {kept} AND NOT EXISTS (
                SELECT 1 FROM ref_sector s WHERE s.nomenclature = CAST(e.nomenclature AS VARCHAR) AND s.code = e.naf)
            GROUP BY 1 ORDER BY 2 DESC, 1
        """).fetchall()  # noqa: S608 - code constants and sql.literal()/formats-quoted values
    )
    unknown["size_band"] = top_codes(
        p.con.execute(
            f"SELECT band, count(*) FROM etab WHERE {kept} AND band <> '' AND band NOT IN (SELECT code FROM ref_band) "  # noqa: S608 - code constants and sql.literal()/formats-quoted values
            "GROUP BY 1 ORDER BY 2 DESC, 1"
        ).fetchall()
    )
    employer = counts[8:]
    report["employer_rule"] = {
        "band_employer_but_character_N": int(employer[0]),
        "band_not_employer_but_character_O": int(employer[1]),
        "employer_by_character": int(employer[2]),
        "character_missing": int(employer[3]),
    }
