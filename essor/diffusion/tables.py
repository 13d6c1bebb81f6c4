"""The three open-data tables of a release: their columns (Table Schema types) and their rows.

- `ess_establishments`: the release's ESS establishments without personal data (see `is_restricted`);
- `establishment_counts`: every active establishment counted by commune x zone x QPV x NAF division x family x
  employer (the base of every figure: any territory's figures can be recomputed from it);
- `indicators`: the headline indicators of every territory (France, régions, départements, EPCI, communes, QPV)
  and zone, the same numbers as the API's indicators (both read the release's precomputed snapshots).
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection

from essor.observatory.models import IndicatorSnapshot
from essor.observatory.precompute import precompute_release
from essor.sirene import rules
from essor.sirene.models import EssEstablishment, EstablishmentCount, Family
from essor.territories.models import Commune, Departement, Epci, Qpv, Region

BATCH = 5_000
BATCH_ROWS = 20_000


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type: string, integer, number, boolean, date
    description: str


@dataclass(frozen=True)
class Table:
    name: str
    title_fr: str
    title_en: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()


def _c(name, kind, description):
    return Column(name, kind, description)


LOCATION = (
    _c(
        "commune_code",
        "string",
        "INSEE code of the commune (arrondissements municipaux mapped to their commune).",
    ),
    _c(
        "arrondissement_code",
        "string",
        "INSEE code of the arrondissement municipal (Paris, Lyon, Marseille).",
    ),
    _c("epci_code", "string", "SIREN of the EPCI the commune belongs to."),
    _c("departement_code", "string", "Code of the département."),
    _c("region_code", "string", "Code of the région."),
)

ESTABLISHMENTS = Table(
    name="ess_establishments",
    title_fr="Établissements actifs de l'ESS",
    title_en="Active ESS establishments",
    description=(
        "One row per active establishment of an ESS legal unit. Entrepreneurs individuels and partially "
        "diffusible SIRENE records (restricted = true) are published without name, address, postcode, QPV or "
        "coordinates: only their commune and activity."
    ),
    columns=(
        _c("siret", "string", "SIRET of the establishment (14 digits)."),
        _c("siren", "string", "SIREN of the legal unit (9 digits)."),
        _c("restricted", "boolean", "True: a person or a partially diffusible record; identity withheld."),
        _c(
            "name",
            "string",
            "Name (legal unit's name, or the establishment's usual name); empty if restricted.",
        ),
        _c(
            "family",
            "string",
            "ESS family: association, cooperative, mutuelle, fondation, entreprise_commerciale_ess.",
        ),
        _c("legal_category", "string", "INSEE legal category (4 characters)."),
        _c("ess_source", "string", "insee (the ESS flag of SIRENE) or fallback (the statistical perimeter)."),
        _c("naf", "string", "Activity (NAF sous-classe, e.g. 88.99B)."),
        _c("naf_division", "string", "NAF division (2 digits)."),
        _c("naf_section", "string", "NAF section (1 letter)."),
        _c("band", "string", "INSEE employee size band (tranche d'effectifs)."),
        _c("employer", "boolean", "True when the band says the establishment employs people."),
        _c("employees_low", "integer", "Lower bound of the band (employees)."),
        _c("employees_high", "integer", "Upper bound of the band; empty for the top, unbounded band."),
        _c("created_on", "date", "Creation date of the establishment."),
        _c("is_siege", "boolean", "True for the head office of the legal unit."),
        _c("address", "string", "Address; empty if restricted."),
        _c("postcode", "string", "Postcode; empty if restricted."),
        *LOCATION,
        _c(
            "zone",
            "string",
            "qpv (inside a QPV 2024), proximite (within 300 m), hors_qpv; empty if restricted.",
        ),
        _c("qpv24_code", "string", "Code of the QPV 2024 the establishment is in; empty if restricted."),
        _c("qpv24_source", "string", "How the QPV 2024 was attributed: insee, computed, none."),
        _c("qpv15_code", "string", "Code of the QPV 2015 the establishment is in; empty if restricted."),
        _c(
            "near_qpv24_code",
            "string",
            "Nearest QPV 2024 within 300 m (outside every QPV); empty if restricted.",
        ),
        _c("lon", "number", "Longitude (WGS84); empty if restricted or not located."),
        _c("lat", "number", "Latitude (WGS84); empty if restricted or not located."),
    ),
    primary_key=("siret",),
)

COUNTS = Table(
    name="establishment_counts",
    title_fr="Établissements actifs dénombrés par commune, zone et secteur",
    title_en="Active establishments counted by commune, zone and sector",
    description=(
        "Every active establishment (ESS or not) counted by commune x zone x QPV x NAF division x ESS family x "
        "employer, with the estimated employees: the base of every share and comparison."
    ),
    columns=(
        *LOCATION,
        _c(
            "zone",
            "string",
            "qpv, proximite or hors_qpv (establishments that could not be located are hors_qpv).",
        ),
        _c("qpv24_code", "string", "QPV 2024 (zone qpv)."),
        _c("qpv15_code", "string", "QPV 2015."),
        _c("near_qpv24_code", "string", "Nearest QPV 2024 within 300 m (zone proximite)."),
        _c("naf_division", "string", "NAF division (2 digits)."),
        _c("is_ess", "boolean", "True for establishments of ESS legal units."),
        _c("family", "string", "ESS family; empty when not ESS."),
        _c("employer", "boolean", "Employer establishments."),
        _c("establishments", "integer", "Number of active establishments."),
        _c("employees_low", "integer", "Sum of the lower bounds of the size bands."),
        _c("employees_high", "integer", "Sum of the upper bounds of the bounded size bands."),
        _c("unbounded", "integer", "Establishments in the top band (no upper bound)."),
    ),
)

INDICATORS = Table(
    name="indicators",
    title_fr="Indicateurs de l'ESS par territoire et par zone",
    title_en="ESS indicators by territory and zone",
    description=(
        "Headline figures of every territory with establishments (France, régions, départements, EPCI, communes, "
        "QPV 2024 and 2015) for each zone: all, qpv, proximite, hors_qpv. The same numbers as the API."
    ),
    columns=(
        _c("territory", "string", "Territory identifier kind:code (e.g. epci:243100518)."),
        _c("kind", "string", "france, region, departement, epci, commune or qpv."),
        _c("code", "string", "Code of the territory (text)."),
        _c("name", "string", "Name of the territory."),
        _c("zone", "string", "all, qpv, proximite or hors_qpv."),
        _c("population", "integer", "Population of the territory (zone all only)."),
        _c("active", "integer", "Active establishments."),
        _c("ess", "integer", "Active ESS establishments."),
        _c("ess_share", "number", "ess / active (empty when active is 0)."),
        *(_c(family, "integer", f"ESS establishments of the family {family}.") for family in Family.values),
        _c("employer", "integer", "Employer establishments."),
        _c("ess_employer", "integer", "ESS employer establishments."),
        _c("employees_low", "integer", "Estimated employees, low (all establishments)."),
        _c(
            "employees_high",
            "integer",
            "Estimated employees, high; empty when a top-band establishment counts.",
        ),
        _c("ess_employees_low", "integer", "Estimated ESS employees, low."),
        _c("ess_employees_high", "integer", "Estimated ESS employees, high; empty when unbounded."),
    ),
    primary_key=("territory", "zone"),
)

TABLES = (ESTABLISHMENTS, COUNTS, INDICATORS)


def is_restricted(row) -> bool:
    """A person (entrepreneur individuel, legal category 1xxx) or a partially diffusible SIRENE record: counted
    in every figure, never published with a name, an address or a position finer than the commune."""
    return rules.is_restricted(row.legal_category, row.private)


# The columns of a restricted row left empty (only its commune, activity and size remain).
WITHHELD = frozenset(
    ("name", "address", "postcode", "zone", "qpv24_code", "qpv24_source", "qpv15_code", "near_qpv24_code", "lon",
     "lat")
)  # fmt: skip
DUCKDB_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
}
MODEL_TYPES = {
    "CharField": "VARCHAR",
    "DateField": "DATE",
    "BooleanField": "BOOLEAN",
    "IntegerField": "BIGINT",
    "BigIntegerField": "BIGINT",
    "FloatField": "DOUBLE",
}
# The order of the rows: by SIRET; the counts by location, zone, QPV, division, then the other keys.
ORDER = {
    ESTABLISHMENTS.name: ("siret",),
    COUNTS.name: tuple(column.name for column in COUNTS.columns[:13]),
}
SOURCES = {ESTABLISHMENTS.name: EssEstablishment, COUNTS.name: EstablishmentCount}


def source_columns(table: Table) -> list[tuple[str, str]]:
    """(column, DuckDB type) of the release's rows a table is selected from: the database's columns, which are
    also those of the pipeline's views release_ess / release_counts (essor.sirene.writer.create_views)."""
    model = SOURCES[table.name]
    names = [column.name for column in table.columns if column.name != "restricted"]
    if table is ESTABLISHMENTS:
        names.append("private")
    # Dates as ISO text, as in the views: the same input types give byte-identical Parquet files (DuckDB encodes
    # a column differently when it knows it has no NULLs).
    kinds = {**MODEL_TYPES, "DateField": "VARCHAR"}
    return [(name, kinds[model._meta.get_field(name).get_internal_type()]) for name in names]


def _cell(column: Column, expression: str) -> str:
    # Empty = missing: the database and the views hold '' for a missing text, the files NULL (an empty cell).
    if column.type == "string":
        return f"nullif(CAST({expression} AS VARCHAR), '')"
    return f"CAST({expression} AS {DUCKDB_TYPES[column.type]})"


def select_sql(table: Table, source: str) -> str:
    """The published rows of `table` from `source` (a relation with its source_columns, or for the indicators
    its own columns plus `_row`): the rules of the files, for every way their rows arrive."""
    cells = []
    for column in table.columns:
        # Unqualified names are the source's columns (they take precedence over the aliases of this list).
        expression = column.name
        if table is ESTABLISHMENTS and column.name == "restricted":
            expression = rules.RESTRICTED_SQL
        elif table is ESTABLISHMENTS and column.name in WITHHELD:
            expression = f"CASE WHEN {rules.RESTRICTED_SQL} THEN NULL ELSE {column.name} END"
        cells.append(f"{_cell(column, expression)} AS {column.name}")
    # Qualified: in ORDER BY a bare name would be the output's (NULL for ''), not the source's value.
    order = ", ".join(f"s.{name}" for name in ORDER.get(table.name, ("_row",)))
    return f"SELECT {', '.join(cells)} FROM {source} s ORDER BY {order}"  # noqa: S608 - code constants


def database_rows(table: Table, release) -> Iterator[tuple]:
    """The release's rows of a table from the database, as source_columns (when no pipeline connection).

    The database's own values (SQLite: booleans 0/1, dates as text), typed by DuckDB's casts when loaded: the
    ORM's per-value converters cost more than the read itself. A chunked (server-side on PostgreSQL) cursor."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(name) for name, _type in source_columns(table))
    sql = f"SELECT {names} FROM {quote(SOURCES[table.name]._meta.db_table)} WHERE release_id = %s"  # noqa: S608
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, [release.pk])
        while rows := cursor.fetchmany(BATCH_ROWS):
            yield from rows


FAMILIES = tuple(Family.values)  # once: Family.values rebuilds the list at each call (1.3 s per 80 k rows)
NAME_MODELS = {"region": Region, "departement": Departement, "epci": Epci, "commune": Commune, "qpv": Qpv}


def indicator_rows(release) -> Iterator[tuple]:
    snapshots = IndicatorSnapshot.objects.filter(release=release)
    if not snapshots.exists():  # a release built before the observatory precomputed its figures
        precompute_release(release)
    names = {
        kind: dict(model._default_manager.values_list("pk", "name")) for kind, model in NAME_MODELS.items()
    }
    names["france"] = {"FR": "France"}
    rows = snapshots.order_by("kind", "code", "zone").values_list("kind", "code", "zone", "data")
    for kind, code, zone, data in rows.iterator(chunk_size=BATCH):
        yield _indicator_row(kind, code, zone, names.get(kind, {}).get(code, ""), data)


def _indicator_row(kind, code, zone, name, data) -> tuple:
    counts = data["establishments"]
    everyone, ess = data["employees_estimate"]["all"], data["employees_estimate"]["ess"]
    return (
        f"{kind}:{code}", kind, code, name, zone, data.get("population") if zone == "all" else None,
        counts["active"], counts["ess"], counts["ess_share"],
        *(counts["ess_by_family"].get(family, 0) for family in FAMILIES),
        counts["employer"], counts["ess_employer"],
        everyone["low"], everyone["high"], ess["low"], ess["high"],
    )  # fmt: skip


# Rows computed in Python (not read from a release's two tables): loaded into DuckDB in this order.
ROWS = {INDICATORS.name: indicator_rows}
