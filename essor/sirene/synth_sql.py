"""SQL (DuckDB) that draws the synthetic legal units, establishments and geolocation rows.

Every random value is a hash of (row number, seed, purpose), so the output is the same for a seed whatever the
number of threads, and DuckDB streams the rows straight into the files (no table of 44 M rows is ever held).
The proportions are in synth_proportions.py. Every string that enters the SQL is quoted by
`formats.sql_literal`, every number goes through int() or a float format: nothing is pasted in as it came.
"""

import re
import zlib
from functools import cache

from essor.sirene.formats import sql_literal
from essor.sirene.synth_proportions import (
    ACTIVE_UNIT,
    BANDS,
    COMMON_NAF,
    ESS_FLAG,
    ESTABLISHMENTS_PER_UNIT,
    LEGAL_CATEGORIES,
    NAF,
    STREET_TYPES,
    VINTAGE,
    WORDS,
    XY_QUALITY,
    naf_codes,
)


def list_literal(values) -> str:
    """A DuckDB list literal of strings."""
    return "[" + ",".join(sql_literal(value) for value in values) + "]"


SALT_SPACE = 1_000_003  # a prime: key * SALT_SPACE + salt is unique for every (row key, salt) pair


@cache
def salt_id(salt: str) -> int:
    """The integer standing for a salt (hashing one integer is 4x cheaper than hashing a string in DuckDB)."""
    return zlib.crc32(salt.encode()) % SALT_SPACE


def pick(values, key: str, salt: str) -> str:
    """SQL: one element of a list literal chosen by the hash of `key` and `salt`."""
    return f"{list_literal(values)}[1 + (h({key}, {sql_literal(salt)}) % {len(values)})::BIGINT]"


def weighted(weights: dict[str, float], key: str, salt: str) -> str:
    """SQL: one of the keys, drawn with the given (relative) weights."""
    total = sum(weights.values())
    branches, cumulative = [], 0.0
    for value, weight in list(weights.items())[:-1]:
        cumulative += weight / total
        branches.append(f"WHEN u01({key}, {sql_literal(salt)}) < {cumulative:.8f} THEN {sql_literal(value)}")
    last = sql_literal(list(weights)[-1])
    return f"CASE {' '.join(branches)} ELSE {last} END" if branches else last


def by_group(mapping: dict[str, dict[str, float]], key: str, salt: str, default: str = "''") -> str:
    branches = " ".join(f"WHEN {sql_literal(g)} THEN {weighted(w, key, salt)}" for g, w in mapping.items())
    return f"CASE grp {branches} ELSE {default} END"


def luhn_sum(number_sql: str, digits: int) -> str:
    """SQL: the Luhn sum of a number whose check digit is still to be appended (its last digit is doubled)."""
    terms = []
    for position in range(digits):  # position 0 = rightmost digit, doubled once the key is appended
        digit = f"(({number_sql} // {10**position}) % 10)"
        terms.append(f"(2*{digit} - 9*({digit} >= 5)::INT)" if position % 2 == 0 else digit)
    return f"({' + '.join(terms)})"


def luhn_key(number_sql: str, digits: int) -> str:
    """SQL: the Luhn check digit of a `digits`-long number (SIREN = 8 digits + key)."""
    return f"((10 - {luhn_sum(number_sql, digits)} % 10) % 10)"


def _nic_sums(count: int = 1000) -> list[int]:
    """Luhn sums of the 4-digit NIC prefixes 0001..: a SIRET's key adds them to its SIREN's (doubled) sum."""
    sums = []
    for number in range(1, count + 1):
        digits = f"{number:04d}"[::-1]
        sums.append(
            sum((2 * int(d) - 9 * (int(d) >= 5)) if i % 2 == 0 else int(d) for i, d in enumerate(digits))
        )
    return sums


NIC_SUMS = "[" + ",".join(map(str, _nic_sums())) + "]"


def siret_key(rank_sql: str) -> str:
    """SQL: the check digit of the SIRET of establishment `rank_sql` (0-based) of a unit (needs `siren_sum`)."""
    return f"((10 - (siren_sum + {NIC_SUMS}[{rank_sql} + 1]) % 10) % 10)"


def compile_salts(sql: str) -> str:
    """Replace the readable string salts of h()/u01() by their integers (distinct ones, checked)."""
    names = set(re.findall(r"\b(?:h|u01)\([\w.]+, '([^']+)'\)", sql))
    if len({salt_id(name) for name in names}) != len(names):
        raise ValueError("Two salts share an integer: rename one.")
    return re.sub(r"\b(h|u01)\(([\w.]+), '([^']+)'\)", lambda m: f"{m[1]}({m[2]}, {salt_id(m[3])})", sql)


def naf25_macro() -> str:
    """SQL macro naf25_of(code): a NAF 2025 code for a NAF rév. 2 one (same class, else same division): the
    files carry `activitePrincipaleNAF25…` since December 2025."""
    from essor.sirene.naf import naf2025_for_rev2

    pairs = ", ".join(
        f"{sql_literal(old)}: {sql_literal(new)}" for old, new in sorted(naf2025_for_rev2().items()) if new
    )
    return f"CREATE OR REPLACE MACRO naf25_of(c) AS element_at(MAP {{{pairs}}}, c)[1]"


def macros(seed: int) -> list[str]:
    return [
        naf25_macro(),
        # One integer per (row key, purpose), hashed: DuckDB combines the hashes of several arguments cheaply
        # (draws with different salts would be correlated), but mixes a single value well.
        f"CREATE OR REPLACE MACRO h(k, salt) AS hash(k * {SALT_SPACE} + salt, {int(seed)})",
        # A modulo by a literal stays in fast unsigned 64-bit arithmetic.
        "CREATE OR REPLACE MACRO u01(k, salt) AS (h(k, salt) % 1048576)::DOUBLE / 1048576.0",
    ]


def _count_case() -> str:
    branches = []
    for group, steps in ESTABLISHMENTS_PER_UNIT.items():
        inner = " ".join(
            f"WHEN u01(u, 'k') < {float(cum)} THEN {int(low)} + (h(u, 'k2') % {int(high - low + 1)})::INT"
            for cum, low, high in steps
        )
        branches.append(f"WHEN {sql_literal(group)} THEN CASE {inner} ELSE 1 END")
    return f"CASE grp {' '.join(branches)} ELSE 1 END"


def _naf_case(key: str, salt: str) -> str:
    common = f"CASE WHEN u01({key}, {sql_literal(salt + 't')}) < 0.8 THEN {pick(COMMON_NAF, key, salt)}"
    return by_group(NAF, key, salt, default=f"{common} ELSE {pick(naf_codes(), key, salt + 'a')} END")


def _band_case(key: str, salt: str) -> str:
    return (
        f"CASE WHEN grp IN ('ei', 'civil') THEN {weighted(BANDS['small'], key, salt)} "
        f"WHEN grp = 'company' THEN {weighted(BANDS['company'], key, salt)} "
        f"ELSE {weighted(BANDS['organisation'], key, salt)} END"
    )


def units_view(n_units: int) -> str:
    """The `units` view: one row per legal unit with the attributes the two stock files share."""
    group_weights = {group: sum(codes.values()) for group, codes in LEGAL_CATEGORIES.items()}
    active = " ".join(f"WHEN {sql_literal(g)} THEN {float(p)}" for g, p in ACTIVE_UNIT.items())
    span = f"(DATE {sql_literal(VINTAGE)} - DATE '1960-01-01')"
    return f"""
    CREATE OR REPLACE VIEW unit_base AS
    SELECT u, grp, {by_group(LEGAL_CATEGORIES, "u", "cat")} AS cat
    FROM (SELECT u, {weighted(group_weights, "u", "grp")} AS grp FROM range({int(n_units)}) t(u));
    CREATE OR REPLACE VIEW units AS
    SELECT u, grp, cat, siren_num, siren_num::VARCHAR AS siren, {luhn_sum("siren_num", 9)} AS siren_sum,
           CASE WHEN u01(u, 'act') < CASE grp {active} ELSE 0.5 END THEN 'A' ELSE 'C' END AS etat,
           {by_group(ESS_FLAG, "u", "ess")} AS ess,
           {_naf_case("u", "naf")} AS naf,
           {_band_case("u", "band")} AS band,
           DATE '1960-01-01' + (sqrt(u01(u, 'created')) * {span})::INT AS created,
           CASE WHEN grp = 'ei' AND u01(u, 'diff') < 0.08 THEN 'P' ELSE 'O' END AS diffusion,
           u01(u, 'sex') < 0.4 AS female,
           {_count_case()} AS k
    FROM (SELECT *, (10000000 + u) * 10 + {luhn_key("(10000000 + u)", 8)} AS siren_num FROM unit_base)
    """  # noqa: S608 - code constants; strings quoted by sql_literal, numbers through int()/float()


def _unit_name() -> str:
    words = WORDS
    return f"""CASE grp
        WHEN 'association' THEN {pick(words["asso_head"], "u", "n1")} || ' ' || {pick(words["asso_mid"], "u", "n2")}
             || ' ' || {pick(words["place"], "u", "n3")}
        WHEN 'cooperative' THEN {pick(words["coop_head"], "u", "n1")} || ' ' || {pick(words["trade"], "u", "n2")}
             || ' ' || {pick(words["place"], "u", "n3")}
        WHEN 'mutuelle' THEN 'MUTUELLE ' || {pick(words["place"], "u", "n3")}
        WHEN 'fondation' THEN 'FONDATION ' || {pick(words["surname"], "u", "n2")}
        WHEN 'public' THEN 'REGIE ' || {pick(words["trade"], "u", "n2")} || ' ' || {pick(words["place"], "u", "n3")}
        WHEN 'civil' THEN 'SCI ' || {pick(words["surname"], "u", "n2")} || ' ' || {pick(words["place"], "u", "n3")}
        WHEN 'company' THEN {pick(words["trade"], "u", "n1")} || ' ' || {pick(words["surname"], "u", "n2")}
        ELSE NULL END"""


def units_select() -> str:
    """StockUniteLegale rows, in the official column order."""
    surname = pick(WORDS["surname"], "u", "nom")
    first = f"CASE WHEN female THEN {pick(WORDS['first_f'], 'u', 'pr')} ELSE {pick(WORDS['first_m'], 'u', 'pr')} END"
    masked = "diffusion = 'P'"
    employer = "band NOT IN ('', 'NN', '00')"
    return f"""
    SELECT siren, diffusion AS statutDiffusionUniteLegale, NULL AS unitePurgeeUniteLegale,
        created AS dateCreationUniteLegale,
        NULL AS sigleUniteLegale,
        CASE WHEN grp <> 'ei' THEN NULL WHEN {masked} THEN '[ND]' WHEN female THEN 'F' ELSE 'M' END AS sexeUniteLegale,
        CASE WHEN grp <> 'ei' THEN NULL WHEN {masked} THEN '[ND]' ELSE {first} END AS prenom1UniteLegale,
        NULL AS prenom2UniteLegale, NULL AS prenom3UniteLegale, NULL AS prenom4UniteLegale,
        CASE WHEN grp <> 'ei' THEN NULL WHEN {masked} THEN '[ND]' ELSE {first} END AS prenomUsuelUniteLegale,
        NULL AS pseudonymeUniteLegale,
        CASE WHEN grp = 'association' AND u01(u, 'rna') < 0.8
             THEN 'W' || lpad((h(u, 'rna') % 1000000000)::VARCHAR, 9, '0') END AS identifiantAssociationUniteLegale,
        NULLIF(band, '') AS trancheEffectifsUniteLegale,
        CASE WHEN {employer} THEN '2023' END AS anneeEffectifsUniteLegale,
        TIMESTAMP '2024-01-01' + to_seconds((h(u, 'ddt') % 86400000)::BIGINT) AS dateDernierTraitementUniteLegale,
        (1 + h(u, 'np') % 5)::INT AS nombrePeriodesUniteLegale,
        CASE WHEN etat = 'A' THEN CASE WHEN band IN ('32','41','42','51','52','53') THEN 'ETI' ELSE 'PME' END END
            AS categorieEntreprise,
        CASE WHEN etat = 'A' THEN '2023' END AS anneeCategorieEntreprise,
        created AS dateDebut,
        etat AS etatAdministratifUniteLegale,
        CASE WHEN grp <> 'ei' THEN NULL WHEN {masked} THEN '[ND]' ELSE {surname} END AS nomUniteLegale,
        NULL AS nomUsageUniteLegale,
        {_unit_name()} AS denominationUniteLegale,
        NULL AS denominationUsuelle1UniteLegale, NULL AS denominationUsuelle2UniteLegale,
        NULL AS denominationUsuelle3UniteLegale,
        cat AS categorieJuridiqueUniteLegale,
        naf AS activitePrincipaleUniteLegale,
        'NAFRev2' AS nomenclatureActivitePrincipaleUniteLegale,
        '0001' || {siret_key("0")}::VARCHAR AS nicSiegeUniteLegale,
        NULLIF(ess, '') AS economieSocialeSolidaireUniteLegale,
        CASE WHEN grp = 'company' AND u01(u, 'mission') < 0.002 THEN 'O' END AS societeMissionUniteLegale,
        NULL AS caractereEmployeurUniteLegale,  -- always empty in the real files
        naf25_of(naf) AS activitePrincipaleNAF25UniteLegale
    FROM units
    """  # noqa: S608 - code constants; strings quoted by sql_literal, numbers through int()/float()


def establishments_macro(n_slots: int) -> str:
    """Table macro `etabs(lo, hi)`: the establishments of units lo..hi-1, located (commune, point) and dated."""
    span = f"(DATE {sql_literal(VINTAGE)} - created)"
    return f"""
    CREATE OR REPLACE MACRO etabs(lo, hi) AS TABLE
    WITH raw AS (
        SELECT *, unnest(range(k)) AS j FROM units WHERE u >= lo AND u < hi
    ), keyed AS (
        SELECT *, u * 1000 + j AS e FROM raw
    ), placed AS (
        SELECT k.*, c.*, u01(e, 'loc') AS r_loc
        FROM keyed k
        JOIN commune_slots s ON s.slot = (h(k.e, 'commune') % {int(n_slots)})::BIGINT
        JOIN communes c ON c.idx = s.cidx
    ), classed AS (
        SELECT *,
            CASE WHEN in_cnt > 0 AND r_loc < p_in THEN in_off + (h(e, 'pt') % in_cnt::UBIGINT)::BIGINT
                 WHEN near_cnt > 0 AND r_loc < p_in + p_near THEN near_off + (h(e, 'pt') % near_cnt::UBIGINT)::BIGINT
                 WHEN far_cnt > 0 THEN far_off + (h(e, 'pt') % far_cnt::UBIGINT)::BIGINT
            END AS pick_pid
        FROM placed
    )
    SELECT cl.*, p.x, p.y, p.lon, p.lat, p.epsg AS point_epsg, p.qp24 AS true_qp24, p.qp15 AS true_qp15,
        siren_num * 10000 + j + 1 AS siret13, {siret_key("j")} AS siret_key,
        CASE WHEN etat = 'C' THEN 'F' WHEN j = 0 THEN 'A' WHEN u01(e, 'open') < 0.55 THEN 'A' ELSE 'F' END AS etat_e,
        CASE WHEN j = 0 THEN created ELSE created + (u01(e, 'ecreated') * {span})::INT END AS e_created,
        CASE WHEN u01(e, 'same_naf') < 0.9 THEN naf ELSE {_naf_case("e", "enaf")} END AS e_naf,
        {_band_case("e", "eband")} AS e_band
    FROM classed cl LEFT JOIN points p ON p.pid = cl.pick_pid
    """  # noqa: S608 - code constants; strings quoted by sql_literal, numbers through int()/float()


def establishments_select(lo: int, hi: int) -> str:
    """StockEtablissement rows, in the official column order, of the units lo..hi-1 (`etabs(lo, hi)`)."""
    siret = "(siret13 * 10 + siret_key)"
    masked = "diffusion = 'P'"
    located = "x IS NOT NULL AND NOT (" + masked + ")"
    employer = "e_band NOT IN ('', 'NN', '00')"
    return f"""
    SELECT siren,
        lpad(((j + 1) * 10 + siret_key)::VARCHAR, 5, '0') AS nic,
        {siret}::VARCHAR AS siret,
        diffusion AS statutDiffusionEtablissement,
        CASE WHEN u01(e, 'placeholder') < 0.002 THEN DATE '1900-01-01'
             WHEN u01(e, 'placeholder') < 0.0022 THEN DATE '2218-03-01'
             WHEN u01(e, 'placeholder') < 0.0024 THEN DATE '0004-05-01' ELSE e_created END
            AS dateCreationEtablissement,
        NULLIF(e_band, '') AS trancheEffectifsEtablissement,
        CASE WHEN {employer} THEN '2023' END AS anneeEffectifsEtablissement,
        NULL AS activitePrincipaleRegistreMetiersEtablissement,
        TIMESTAMP '2024-01-01' + to_seconds((h(e, 'ddt') % 86400000)::BIGINT) AS dateDernierTraitementEtablissement,
        j = 0 AS etablissementSiege,
        (1 + h(e, 'np') % 4)::INT AS nombrePeriodesEtablissement,
        CASE WHEN {masked} THEN '[ND]' WHEN u01(e, 'cpl') < 0.05 THEN 'BAT ' || chr(65 + (h(e, 'cpl') % 6)::INT) END
            AS complementAdresseEtablissement,
        CASE WHEN {masked} THEN '[ND]' WHEN u01(e, 'num') < 0.85 THEN (1 + h(e, 'num') % 150)::VARCHAR END
            AS numeroVoieEtablissement,
        CASE WHEN {masked} THEN NULL WHEN u01(e, 'rep') < 0.03 THEN 'B' END AS indiceRepetitionEtablissement,
        NULL AS dernierNumeroVoieEtablissement, NULL AS indiceRepetitionDernierNumeroVoieEtablissement,
        CASE WHEN {masked} THEN '[ND]' ELSE {weighted(STREET_TYPES, "e", "tv")} END AS typeVoieEtablissement,
        CASE WHEN {masked} THEN '[ND]' ELSE {pick(WORDS["street"], "e", "lv")} END AS libelleVoieEtablissement,
        postcode AS codePostalEtablissement,
        name AS libelleCommuneEtablissement,
        NULL AS libelleCommuneEtrangerEtablissement, NULL AS distributionSpecialeEtablissement,
        code AS codeCommuneEtablissement,
        NULL AS codeCedexEtablissement, NULL AS libelleCedexEtablissement,
        NULL AS codePaysEtrangerEtablissement, NULL AS libellePaysEtrangerEtablissement,
        CASE WHEN {located} AND u01(e, 'ban') < 0.6
             THEN code || '_' || lpad((h(e, 'ban') % 10000)::VARCHAR, 4, '0') || '_' ||
                  lpad((1 + h(e, 'num') % 150)::VARCHAR, 5, '0') END AS identifiantAdresseEtablissement,
        CASE WHEN {masked} THEN '[ND]' WHEN {located} THEN x::VARCHAR END AS coordonneeLambertAbscisseEtablissement,
        CASE WHEN {masked} THEN '[ND]' WHEN {located} THEN y::VARCHAR END AS coordonneeLambertOrdonneeEtablissement,
        NULL AS complementAdresse2Etablissement, NULL AS numeroVoie2Etablissement,
        NULL AS indiceRepetition2Etablissement, NULL AS typeVoie2Etablissement, NULL AS libelleVoie2Etablissement,
        NULL AS codePostal2Etablissement, NULL AS libelleCommune2Etablissement,
        NULL AS libelleCommuneEtranger2Etablissement, NULL AS distributionSpeciale2Etablissement,
        NULL AS codeCommune2Etablissement, NULL AS codeCedex2Etablissement, NULL AS libelleCedex2Etablissement,
        NULL AS codePaysEtranger2Etablissement, NULL AS libellePaysEtranger2Etablissement,
        e_created AS dateDebut,
        etat_e AS etatAdministratifEtablissement,
        CASE WHEN u01(e, 'ens') < 0.15 THEN {pick(WORDS["trade"], "e", "ens")} || ' ' || {pick(WORDS["place"], "e", "ens2")}
            END AS enseigne1Etablissement,
        NULL AS enseigne2Etablissement, NULL AS enseigne3Etablissement,
        CASE WHEN j > 0 AND u01(e, 'dus') < 0.1 THEN 'ANTENNE ' || {pick(WORDS["place"], "e", "dus")} END
            AS denominationUsuelleEtablissement,
        e_naf AS activitePrincipaleEtablissement,
        'NAFRev2' AS nomenclatureActivitePrincipaleEtablissement,
        CASE WHEN etat_e = 'A' THEN CASE WHEN {employer} THEN 'O' ELSE 'N' END END AS caractereEmployeurEtablissement,
        naf25_of(e_naf) AS activitePrincipaleNAF25Etablissement
    FROM etabs({int(lo)}, {int(hi)})
    """  # noqa: S608 - code constants; strings quoted by sql_literal, numbers through int()/float()


def geolocalisation_select(lo: int, hi: int) -> str:
    """Geolocation rows (one per located establishment, ~86 % of them), in the official column order."""
    siret = "(siret13 * 10 + siret_key)"
    has_xy = "(x IS NOT NULL AND u01(e, 'noxy') >= 0.02)"
    # Jitter of up to 3 m so that establishments sharing a pool point do not share exact coordinates.
    dx, dy = "((h(e, 'dx') % 61)::DOUBLE / 10 - 3)", "((h(e, 'dy') % 61)::DOUBLE / 10 - 3)"
    qp24_value = "CASE WHEN true_qp24 <> '' THEN true_qp24 WHEN has_qp24 THEN 'HZ' ELSE 'CSZ' END"
    qp15_value = "CASE WHEN true_qp15 <> '' THEN true_qp15 WHEN has_qp15 THEN 'HZ' ELSE 'CSZ' END"
    return f"""
    SELECT {siret}::VARCHAR AS siret,
        CASE WHEN {has_xy} THEN round(x + {dx}, 1) END AS x,
        CASE WHEN {has_xy} THEN round(y + {dy}, 1) END AS y,
        CASE WHEN {has_xy} THEN {weighted(XY_QUALITY, "e", "qxy")} END AS qualite_xy,
        CASE WHEN {has_xy} THEN point_epsg::VARCHAR END AS epsg,
        CASE WHEN {has_xy} AND u01(e, 'plg24') >= 0.1 THEN {qp24_value} END AS plg_qp24,
        CASE WHEN {has_xy} THEN CASE WHEN population > 10000
             THEN lpad((101 + h(e, 'iris') % 40)::VARCHAR, 4, '0') ELSE '0000' END END AS plg_iris,
        NULL AS plg_zus,
        CASE WHEN {has_xy} AND region = '76' AND u01(e, 'plg15') >= 0.1 THEN {qp15_value} END AS plg_qp15,
        NULL AS plg_qva,
        code AS plg_code_commune,
        CASE WHEN {has_xy} THEN round((h(e, 'prec') % 5000)::DOUBLE / 100, 2) END AS distance_precision,
        CASE WHEN {has_xy} AND u01(e, 'plg24') >= 0.1 THEN '1' END AS qualite_qp24,
        CASE WHEN {has_xy} THEN '1' END AS qualite_iris,
        NULL AS qualite_zus,
        CASE WHEN {has_xy} AND region = '76' AND u01(e, 'plg15') >= 0.1 THEN '1' END AS qualite_qp15,
        NULL AS qualite_qva,
        CASE WHEN diffusion = 'P' THEN '[ND]'
             WHEN {has_xy} THEN round(lat + {dy} / 110574.0, 6)::VARCHAR END AS y_latitude,
        CASE WHEN diffusion = 'P' THEN '[ND]'
             WHEN {has_xy} THEN round(lon + {dx} / (111320.0 * cos(radians(lat))), 6)::VARCHAR END AS x_longitude
    FROM etabs({int(lo)}, {int(hi)})
    -- Mayotte is not in INSEE's geolocation file (its establishments carry only the stock's coordinates).
    WHERE pick_pid IS NOT NULL AND u01(e, 'georow') >= 0.10 AND NOT starts_with(code, '976')
    """  # noqa: S608 - code constants; strings quoted by sql_literal, numbers through int()/float()
