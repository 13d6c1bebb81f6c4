"""What each input column may be stored as, checked before anything is read (Parquet types) or counted (values).

data.gouv.fr's Parquet files store some columns as numbers, booleans or dates (categorieJuridiqueUniteLegale
BIGINT, etablissementSiege and unitePurgeeUniteLegale BOOLEAN, dates DATE or TIMESTAMP, coordinates Float32);
INSEE's CSV files hold text (`true`/`false`, ISO dates). Both are read. A type that cannot hold the column's
values without loss stops the run, naming the file, the column, the type found and the rule: SIRET or SIREN as
a floating-point number, a commune code as an integer (2A/2B and leading zeros lost), a state as a boolean...
"""

from __future__ import annotations

TEXT = ("VARCHAR",)
INTEGERS = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
)
FLOATS = ("FLOAT", "DOUBLE", "REAL")
DATES = ("DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S")

# (accepted types, why), per column; columns not listed are read as text whatever their type (names, address).
CODE = (TEXT, "a code is text (letters such as 2A or [ND], leading zeros)")
PADDED_CODE = (
    TEXT + INTEGERS,
    "an identifier is text or an integer (leading zeros are restored), never a float",
)
RULES: dict[str, tuple[tuple[str, ...], str]] = {
    "siren": PADDED_CODE,
    "siret": PADDED_CODE,
    "categorieJuridiqueUniteLegale": PADDED_CODE,
    "trancheEffectifsEtablissement": PADDED_CODE,
    "codeCommuneEtablissement": CODE,
    "codePostalEtablissement": CODE,
    "activitePrincipaleUniteLegale": CODE,
    "activitePrincipaleEtablissement": CODE,
    "activitePrincipaleNAF25UniteLegale": CODE,
    "activitePrincipaleNAF25Etablissement": CODE,
    "nomenclatureActivitePrincipaleUniteLegale": CODE,
    "nomenclatureActivitePrincipaleEtablissement": CODE,
    "etatAdministratifUniteLegale": (TEXT, "the state is a letter (A active, F or C closed)"),
    "etatAdministratifEtablissement": (TEXT, "the state is a letter (A active, F closed)"),
    "economieSocialeSolidaireUniteLegale": (TEXT, "the ESS flag is a letter (O, N) or empty"),
    "statutDiffusionUniteLegale": (TEXT, "the diffusion status is a letter (O, P)"),
    "statutDiffusionEtablissement": (TEXT, "the diffusion status is a letter (O, P)"),
    "caractereEmployeurEtablissement": (TEXT, "the employer character is a letter (O, N) or empty"),
    "etablissementSiege": (TEXT + ("BOOLEAN",), "a boolean or the text true/false"),
    "dateCreationEtablissement": (TEXT + DATES, "a date or ISO text (YYYY-MM-DD)"),
    "plg_qp24": CODE,
    "plg_qp15": CODE,
    "plg_code_commune": CODE,
    "epsg": (TEXT + INTEGERS, "an EPSG code is text or an integer"),
    "x": (TEXT + FLOATS + INTEGERS + ("DECIMAL",), "a coordinate is a number"),
    "y": (TEXT + FLOATS + INTEGERS + ("DECIMAL",), "a coordinate is a number"),
    "x_longitude": (TEXT + FLOATS + ("DECIMAL",), "a coordinate is a number or [ND]"),
    "y_latitude": (TEXT + FLOATS + ("DECIMAL",), "a coordinate is a number or [ND]"),
    "coordonneeLambertAbscisseEtablissement": (TEXT + FLOATS + INTEGERS + ("DECIMAL",), "a coordinate"),
    "coordonneeLambertOrdonneeEtablissement": (TEXT + FLOATS + INTEGERS + ("DECIMAL",), "a coordinate"),
}


def base_type(sql_type: str) -> str:
    """DECIMAL(18,3) -> DECIMAL; the rest unchanged (upper case)."""
    return sql_type.upper().split("(", 1)[0].strip()


def type_errors(types: dict[str, str], wanted: list[str]) -> list[str]:
    """One sentence per wanted column whose stored type breaks its rule."""
    errors = []
    for column in wanted:
        if column not in types or column not in RULES:
            continue
        accepted, why = RULES[column]
        found = base_type(types[column]).strip('"')
        if found != "NULL" and found not in accepted:  # a column of NULLs only holds nothing to misread
            errors.append(f"column {column} is {types[column]}, expected {' or '.join(accepted)} ({why})")
    return errors


def is_integer(sql_type: str) -> bool:
    return base_type(sql_type) in INTEGERS
