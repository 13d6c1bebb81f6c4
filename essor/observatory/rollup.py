"""Every territory's figures at once, rolled up in DuckDB from the release's two tables (docs/adr/011).

At ingestion the pipeline hands its own DuckDB connection, where the release's rows are the views
`release_counts` and `release_ess` (essor.sirene.writer.create_views: the very values written to the database):
nothing is read back from the database. Otherwise (a release built earlier, tests) the same two inputs are read
from the database into an in-memory DuckDB. Then one SQL roll-up per table gives the sums of every (territory,
zone), the larger parts of each document (divisions, size bands, creation years) written as JSON by DuckDB;
Python only builds the rest of each document (figures.figures_document, as `live_figures` does).

The territories of a row, as `figures._passes` defines them for one territory (the tests check both agree):
France, its région, département, EPCI, commune, the EPT of its commune, its arrondissement, its QPV 2024 and
2015 (zone "qpv"), and for a row in the band, its nearest QPV 2024 (zone "proximite"). A QPV's "all" is its
inside only; a QPV's map is framed on the QPV itself.
"""

# SQL is assembled from code constants (column names, families, zones), never from data.
# ruff: noqa: S608

from __future__ import annotations

import json
from collections.abc import Iterator

import duckdb
import numpy as np
from django.db.models import Count, Max, Min, Q

from essor.observatory.figures import CREATION_YEARS, FAMILIES, _raw_rows, creation_year, figures_document
from essor.sirene.models import EssEstablishment, EstablishmentCount
from essor.sirene.territory_filter import ZONES
from essor.territories.models import Commune

LOCATION = ("commune_code", "arrondissement_code", "epci_code", "departement_code", "region_code", "qpv24_code",
            "qpv15_code", "near_qpv24_code")  # fmt: skip
COUNT_KEYS = ("zone", "naf_division", "is_ess", "family", "employer")
COUNT_SUMS = ("n", "low", "high", "unbounded")
ESS_KEYS = ("zone", "band", "year")
BOX = ("min_lon", "min_lat", "max_lon", "max_lat")
# (kind, code, zone label, condition): the territories a row counts for (see the module docstring).
TARGETS = [
    ("'france'", "'FR'", "zone", "true"),
    ("'region'", "region_code", "zone", "region_code <> ''"),
    ("'departement'", "departement_code", "zone", "departement_code <> ''"),
    ("'epci'", "epci_code", "zone", "epci_code <> ''"),
    ("'commune'", "commune_code", "zone", "commune_code <> ''"),
    ("'epci'", "ept", "zone", "ept <> ''"),
    ("'commune'", "arrondissement_code", "zone", "arrondissement_code <> ''"),
    ("'qpv'", "qpv24_code", "'qpv'", "qpv24_code <> ''"),
    ("'qpv'", "qpv15_code", "'qpv'", "qpv15_code <> ''"),
    ("'qpv'", "near_qpv24_code", "'proximite'", "zone = 'proximite' AND near_qpv24_code <> ''"),
]
# Stand-ins for the parts DuckDB writes as JSON text (divisions, size bands, creation years), replaced in the text.
PARTS = {"divisions": "@@divisions@@", "bands": "@@bands@@", "creations": "@@creations@@"}
TYPES = {"is_ess": "BOOLEAN", "employer": "BOOLEAN", "year": "INTEGER", **dict.fromkeys(COUNT_SUMS, "BIGINT"),
         **dict.fromkeys(BOX, "DOUBLE")}  # fmt: skip


def _targets(table: str, columns: tuple[str, ...]) -> str:
    """One row per (row, territory): the UNION ALL of the TARGETS over `table` joined to the EPT of its commune."""
    rest = ", ".join(columns)
    source = f"(SELECT t.*, coalesce(ept.ept, '') AS ept FROM {table} t LEFT JOIN obs_ept ept ON ept.commune = t.commune_code)"
    return " UNION ALL ".join(
        f"SELECT {kind} AS kind, {code} AS code, {label} AS label, {rest} FROM {source} WHERE {condition}"
        for kind, code, label, condition in TARGETS
    )


def _pipeline_inputs(con: duckdb.DuckDBPyConnection) -> None:
    """obs_counts and obs_ess from the pipeline's views of the release (what the writer wrote)."""
    location = ", ".join(f"coalesce({c}, '') AS {c}" for c in LOCATION)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE obs_counts AS
        SELECT {location}, zone, naf_division, is_ess, family, employer, establishments AS n, employees_low AS low,
               employees_high AS high, unbounded
        FROM release_counts
    """)
    # The creation year is cut from the date text, as figures.creation_year does in the database.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE obs_ess AS
        SELECT {location}, zone, band,
               CASE WHEN created_plausible THEN TRY_CAST(substr(created_on, 1, 4) AS INTEGER) END AS year,
               count(*) AS n, min(lon) FILTER (lat IS NOT NULL) AS min_lon, min(lat) FILTER (lat IS NOT NULL) AS min_lat,
               max(lon) FILTER (lat IS NOT NULL) AS max_lon, max(lat) FILTER (lat IS NOT NULL) AS max_lat
        FROM release_ess GROUP BY ALL
    """)


def _database_inputs(con: duckdb.DuckDBPyConnection, release) -> None:
    """obs_counts and obs_ess read from the database (a release whose pipeline connection is gone)."""
    counts = EstablishmentCount.objects.filter(release=release).values(
        *LOCATION, *COUNT_KEYS, "establishments", "employees_low", "employees_high", "unbounded"
    )
    located = Q(lat__isnull=False)
    ess = (
        EssEstablishment.objects.filter(release=release)
        .annotate(year=creation_year())
        .values(*LOCATION, *ESS_KEYS)
        .annotate(
            n=Count("id"),
            min_lon=Min("lon", filter=located),
            min_lat=Min("lat", filter=located),
            max_lon=Max("lon", filter=located),
            max_lat=Max("lat", filter=located),
        )  # fmt: skip
        .order_by()
    )
    count_sources = (*LOCATION, *COUNT_KEYS, "establishments", "employees_low", "employees_high", "unbounded")
    _load(
        con, "obs_counts", (*LOCATION, *COUNT_KEYS, *COUNT_SUMS), count_sources, _raw_rows(counts.order_by())
    )
    ess_columns = (*LOCATION, *ESS_KEYS, "n", *BOX)
    _load(con, "obs_ess", ess_columns, ess_columns, _raw_rows(ess))


def _load(con: duckdb.DuckDBPyConnection, table: str, columns: tuple, sources: tuple, rows) -> None:
    """A DuckDB table of the rows (dicts), column by column; `sources`: the rows' keys for the columns."""
    values: list[list] = [[] for _ in columns]
    for row in rows:
        for column, source in zip(values, sources, strict=True):
            column.append(row[source])
    typed = [f"{column} {TYPES.get(column, 'VARCHAR')}" for column in columns]
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} ({', '.join(typed)})")
    if values[0]:
        # Columns as numpy object arrays, scanned by DuckDB: several times faster than binding Python lists.
        con.register(
            "obs_source", {c: np.array(v, dtype=object) for c, v in zip(columns, values, strict=True)}
        )
        casts = ", ".join(f"CAST({c} AS {TYPES.get(c, 'VARCHAR')})" for c in columns)
        con.execute(f"INSERT INTO {table} SELECT {casts} FROM obs_source")
        con.unregister("obs_source")


def _rolled(con: duckdb.DuckDBPyConnection) -> None:
    """obs_c and obs_e: the sums by territory x zone ("all" included) x dimension."""
    families = ", ".join(
        f"coalesce(sum(n) FILTER (is_ess AND family = '{family}'), 0)" for family in FAMILIES
    )
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE obs_c AS
        WITH t AS (
            SELECT kind, code, label AS zone, naf_division, is_ess, family, employer, sum(n) AS n, sum(low) AS low,
                   sum(high) AS high, sum(unbounded) AS unbounded
            FROM ({_targets("obs_counts", (*COUNT_KEYS[1:], *COUNT_SUMS))}) GROUP BY ALL
        )
        SELECT * FROM t UNION ALL
        SELECT kind, code, 'all', naf_division, is_ess, family, employer, n, low, high, unbounded
        FROM t WHERE kind <> 'qpv' OR zone = 'qpv'
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE obs_totals AS
        SELECT kind, code, zone, sum(n), coalesce(sum(n) FILTER (is_ess), 0),
               coalesce(sum(n) FILTER (employer), 0), coalesce(sum(n) FILTER (employer AND is_ess), 0),
               sum(low), sum(high), sum(unbounded), coalesce(sum(low) FILTER (is_ess), 0),
               coalesce(sum(high) FILTER (is_ess), 0), coalesce(sum(unbounded) FILTER (is_ess), 0), {families}
        FROM obs_c GROUP BY ALL
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE obs_e AS
        WITH t AS (
            SELECT kind, code, label AS zone, band, year, sum(n) AS n, min(min_lon) AS min_lon,
                   min(min_lat) AS min_lat, max(max_lon) AS max_lon, max(max_lat) AS max_lat
            FROM ({_targets("obs_ess", ("band", "year", "n", *BOX))}) GROUP BY ALL
        )
        SELECT * FROM t UNION ALL
        SELECT kind, code, 'all', band, year, n, min_lon, min_lat, max_lon, max_lat
        FROM t WHERE kind <> 'qpv' OR zone = 'qpv'
    """)


def bulk_all(release, populations: dict[str, dict[str, int | None]], con=None) -> Iterator[tuple]:
    """Yield (kind, code, zone, figures as JSON text) for every territory with establishments; `con`: the pipeline's DuckDB
    connection with the views release_counts and release_ess, else the release is read from the database."""
    own = con is None
    if own:
        con = duckdb.connect(
            config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
        )
    try:
        yield from _bulk(con, release, populations, own)
    finally:
        for table in ("obs_ept", "obs_counts", "obs_ess", "obs_c", "obs_totals", "obs_e"):
            con.execute(f"DROP TABLE IF EXISTS {table}")
        if own:
            con.close()


def _bulk(con, release, populations, own: bool) -> Iterator[tuple]:
    ept = list(Commune.objects.exclude(ept=None).values_list("code", "ept_id"))
    con.execute("CREATE OR REPLACE TEMP TABLE obs_ept (commune VARCHAR, ept VARCHAR)")
    if ept:
        con.execute(
            "INSERT INTO obs_ept SELECT unnest($1::VARCHAR[]), unnest($2::VARCHAR[])",
            [list(column) for column in zip(*ept, strict=True)],
        )
    if own:
        _database_inputs(con, release)
    else:
        _pipeline_inputs(con)
    _rolled(con)
    vintage_year = release.vintage.year
    zones = ", ".join(f"('{zone}', {n})" for n, zone in enumerate(ZONES))
    # The large parts of a document (divisions, size bands, creation years) come out of DuckDB as JSON text; a
    # document is then one row. Empty zones are not stored (a missing snapshot means "no establishment").
    rows = con.execute(f"""
        WITH territories AS (SELECT DISTINCT kind, code FROM obs_c),
        divisions AS (
            SELECT kind, code, zone, json_group_object(division, [n, ess]) AS j FROM (
                SELECT kind, code, zone, coalesce(naf_division, '') AS division, sum(n)::BIGINT AS n,
                       coalesce(sum(n) FILTER (is_ess), 0)::BIGINT AS ess
                FROM obs_c GROUP BY ALL) GROUP BY ALL
        ), bands AS (
            SELECT kind, code, zone, json_group_object(band, n) AS j FROM (
                SELECT kind, code, zone, coalesce(band, '') AS band, sum(n)::BIGINT AS n FROM obs_e GROUP BY ALL)
            GROUP BY ALL
        ), creations AS (
            SELECT kind, code, zone, json_group_object(year::VARCHAR, n) AS j FROM (
                SELECT kind, code, zone, year, sum(n)::BIGINT AS n FROM obs_e WHERE year BETWEEN $1 AND $2
                GROUP BY ALL) GROUP BY ALL
        ), boxes AS (
            SELECT kind, code, min(min_lon) AS min_lon, min(min_lat) AS min_lat, max(max_lon) AS max_lon,
                   max(max_lat) AS max_lat
            FROM obs_e WHERE zone = 'all' GROUP BY ALL HAVING min(min_lat) IS NOT NULL
        )
        SELECT t.kind, t.code, z.zone, o.* EXCLUDE (kind, code, zone), d.j, b.j, c.j,
               x.min_lon, x.min_lat, x.max_lon, x.max_lat
        FROM territories t CROSS JOIN (VALUES {zones}) z(zone, position)
        LEFT JOIN obs_totals o ON o.kind = t.kind AND o.code = t.code AND o.zone = z.zone
        LEFT JOIN divisions d ON d.kind = t.kind AND d.code = t.code AND d.zone = z.zone
        LEFT JOIN bands b ON b.kind = t.kind AND b.code = t.code AND b.zone = z.zone
        LEFT JOIN creations c ON c.kind = t.kind AND c.code = t.code AND c.zone = z.zone
        LEFT JOIN boxes x ON x.kind = t.kind AND x.code = t.code AND z.zone = 'all'
        WHERE z.zone = 'all' OR o.kind IS NOT NULL OR b.kind IS NOT NULL
        ORDER BY t.kind, t.code, z.position
    """, [vintage_year - CREATION_YEARS + 1, vintage_year]).fetchall()  # fmt: skip
    width = 10 + len(FAMILIES)
    for kind, code, zone, *values in rows:
        totals = [int(v or 0) for v in values[:width]]
        min_lon, min_lat, max_lon, max_lat = values[width + 3 :]
        figures = figures_document(
            tuple(totals[0:4]), dict(zip(FAMILIES, totals[10:], strict=True)), tuple(totals[4:7]),
            tuple(totals[7:10]), PARTS["divisions"], PARTS["bands"], PARTS["creations"],
            populations.get(kind, {}).get(code) if zone == "all" else None,
            [[min_lat, min_lon], [max_lat, max_lon]] if min_lat is not None else None,
        )  # fmt: skip
        text = json.dumps(figures, separators=(",", ":"))
        for placeholder, part in zip(PARTS.values(), values[width : width + 3], strict=True):
            text = text.replace(f'"{placeholder}"', part or "{}", 1)
        yield kind, code, zone, text
