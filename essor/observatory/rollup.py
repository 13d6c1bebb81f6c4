"""Every territory's figures at once, rolled up in DuckDB from the release's two tables (docs/adr/011).

At ingestion the pipeline hands its own DuckDB connection, where the release's rows are the views
`release_counts` and `release_ess` (essor.sirene.writer.create_views: the very values written to the database):
nothing is read back from the database. Otherwise (a release built earlier, tests) the same two inputs are read
from the database into an in-memory DuckDB. Then, per table, one pass reduces the rows to location x zone x
dimension (with the EPT of the commune), one GROUP BY GROUPING SETS sums them for every territory level at once,
and one GROUP BY per (territory, zone) writes the totals and the JSON parts; the whole document is written by
DuckDB in the shape of figures.figures_document (the tests check it equals `live_figures` for every kind and
zone). Python only fills in the ESS share (Python's rounding, as `live_figures`).

The territories of a row, as `figures._passes` defines them for one territory (the tests check both agree):
France, its région, département, EPCI, commune, the EPT of its commune, its arrondissement, its QPV 2024 and
2015 (zone "qpv"), and for a row in the band, its nearest QPV 2024 (zone "proximite"). A QPV's "all" is its
inside only; a QPV's map is framed on the QPV itself.
"""

# SQL is assembled from code constants (column names, families, zones), never from data.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import numpy as np
from django.db.models import Count, Max, Min, Q

from essor.observatory.figures import CREATION_YEARS, FAMILIES, _raw_rows, creation_year
from essor.sirene.models import EssEstablishment, EstablishmentCount
from essor.sirene.pipeline import bounded_connection
from essor.sirene.territory_filter import ZONES
from essor.territories.models import Commune

LOCATION = ("commune_code", "arrondissement_code", "epci_code", "departement_code", "region_code", "qpv24_code",
            "qpv15_code", "near_qpv24_code")  # fmt: skip
COUNT_KEYS = ("zone", "naf_division", "is_ess", "family", "employer")
COUNT_SUMS = ("n", "low", "high", "unbounded")
ESS_KEYS = ("zone", "band", "year")
BOX = ("min_lon", "min_lat", "max_lon", "max_lat")
TYPES = {"is_ess": "BOOLEAN", "employer": "BOOLEAN", "year": "INTEGER", **dict.fromkeys(COUNT_SUMS, "BIGINT"),
         **dict.fromkeys(BOX, "DOUBLE")}  # fmt: skip
# The columns a reduced row is grouped by, besides its dimension: `near` is the nearest QPV of a row in the band.
LEVELS = ("region_code", "departement_code", "epci_code", "commune_code", "ept", "arrondissement_code",
          "qpv24_code", "qpv15_code", "near", "zone")  # fmt: skip
# (kind, column, zones): the territories a row counts for. "zones": by its zone and as "all"; "qpv": as "qpv"
# and "all" (a QPV's whole is its inside); "proximite": only as "proximite".
TARGETS = (
    ("france", None, "zones"),
    ("region", "region_code", "zones"),
    ("departement", "departement_code", "zones"),
    ("epci", "epci_code", "zones"),
    ("commune", "commune_code", "zones"),
    ("epci", "ept", "zones"),
    ("commune", "arrondissement_code", "zones"),
    ("qpv", "qpv24_code", "qpv"),
    ("qpv", "qpv15_code", "qpv"),
    ("qpv", "near", "proximite"),
)
# The sums of a count row reduced to location x zone x division (NULL when no row matches a filter).
SUMS = {
    "n": "sum(n)",
    "ess": "sum(n) FILTER (is_ess)",
    "employer": "sum(n) FILTER (employer)",
    "ess_employer": "sum(n) FILTER (employer AND is_ess)",
    "low": "sum(low)",
    "high": "sum(high)",
    "unbounded": "sum(unbounded)",
    "ess_low": "sum(low) FILTER (is_ess)",
    "ess_high": "sum(high) FILTER (is_ess)",
    "ess_unbounded": "sum(unbounded) FILTER (is_ess)",
    **{f"family_{i}": f"sum(n) FILTER (is_ess AND family = '{family}')" for i, family in enumerate(FAMILIES)},
}
ESS_SHARE = '"@@ess_share@@"'  # written by Python (its rounding), see bulk_all


def _grouping_sets(dimensions: tuple[str, ...]) -> tuple[str, str, str, str]:
    """GROUPING SETS of every target level (+ each of `dimensions`), and the kind, code and zones (a list) of
    a grouped row, told apart by GROUPING() of the LEVELS."""
    sets, kinds, codes, zones = [], [], [], []
    for kind, column, mode in TARGETS:
        levels: tuple[str, ...] = (column,) if column else ()
        variants = [((*levels, "zone"), "[zone]"), (levels, "['all']")]
        if mode == "qpv":
            variants = [(levels, "['qpv', 'all']")]
        elif mode == "proximite":
            variants = [(levels, "['proximite']")]
        for grouped, labels in variants:
            mask = sum(1 << (len(LEVELS) - 1 - i) for i, level in enumerate(LEVELS) if level not in grouped)
            for dimension in dimensions or (None,):
                sets.append(f"({', '.join((*grouped, dimension) if dimension else grouped)})")
            kinds.append(f"WHEN {mask} THEN '{kind}'")
            codes.append(f"WHEN {mask} THEN {column or repr('FR')}")
            zones.append(f"WHEN {mask} THEN {labels}")
    return (", ".join(dict.fromkeys(sets)), f"CASE g {' '.join(kinds)} END", f"CASE g {' '.join(codes)} END",
            f"CASE g {' '.join(zones)} END")  # fmt: skip


def _source(relation: str) -> str:
    """A source's rows with the EPT of their commune and their nearest QPV when in the band (see LEVELS)."""
    location = ", ".join(f"coalesce(s.{c}, '') AS {c}" for c in LOCATION if c != "near_qpv24_code")
    return f"""(
        SELECT s.* EXCLUDE ({", ".join(LOCATION)}), {location}, coalesce(e.ept, '') AS ept,
               CASE WHEN s.zone = 'proximite' THEN coalesce(s.near_qpv24_code, '') ELSE '' END AS near
        FROM {relation} s LEFT JOIN obs_ept e ON e.commune = coalesce(s.commune_code, ''))"""


def _reduce(con: duckdb.DuckDBPyConnection, counts: str, ess: str) -> None:
    """obs_counts, obs_ess: the rows reduced to location x zone (counts: every sum of a document's totals) and
    location x zone x band x year (ESS). The divisions are summed from the count rows themselves (_documents_sql):
    reducing them first costs more than it saves."""
    sums = ", ".join(f"{expression} AS {name}" for name, expression in SUMS.items())
    levels = ", ".join(LEVELS)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE obs_counts AS SELECT {levels}, {sums} FROM {_source(counts)} GROUP BY ALL"
    )
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE obs_ess AS
        SELECT {levels}, coalesce(band, '') AS band, year, sum(n) AS n, min(min_lon) AS min_lon,
               min(min_lat) AS min_lat, max(max_lon) AS max_lon, max(max_lat) AS max_lat
        FROM {_source(ess)} GROUP BY ALL
    """)


def _pipeline_sources() -> tuple[str, str]:
    """The pipeline's views of the release (what the writer wrote), as the two sources of _reduce."""
    counts = """(SELECT *, establishments AS n, employees_low AS low, employees_high AS high FROM release_counts)"""
    # The creation year is cut from the date text, as figures.creation_year does in the database.
    ess = """(
        SELECT * EXCLUDE (created_on, lon, lat),
               CASE WHEN created_plausible THEN TRY_CAST(substr(created_on, 1, 4) AS INTEGER) END AS year,
               1 AS n, CASE WHEN lat IS NOT NULL THEN lon END AS min_lon, lat AS min_lat,
               CASE WHEN lat IS NOT NULL THEN lon END AS max_lon, lat AS max_lat
        FROM release_ess)"""
    return counts, ess


def _database_sources(con: duckdb.DuckDBPyConnection, release) -> tuple[str, str]:
    """The two inputs read from the database (a release whose pipeline connection is gone)."""
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
        con,
        "obs_db_counts",
        (*LOCATION, *COUNT_KEYS, *COUNT_SUMS),
        count_sources,
        _raw_rows(counts.order_by()),
    )
    ess_columns = (*LOCATION, *ESS_KEYS, "n", *BOX)
    _load(con, "obs_db_ess", ess_columns, ess_columns, _raw_rows(ess))
    return "obs_db_counts", "obs_db_ess"


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


def _json_object(key: str, value: str, condition: str = "true") -> str:
    """A JSON object of (key, value) rows as text (json_group_object is a macro: no FILTER, and its to_json of
    each key costs 3x the rest). The keys are codes (NAF division, size band, year): no character to escape."""
    pairs = f"string_agg('\"' || {key} || '\":' || {value}, ',') FILTER ({condition})"
    return f"coalesce('{{' || {pairs} || '}}', '{{}}')"


def _documents_sql(counts: str, first_year: int, last_year: int) -> str:
    """The documents of every territory x zone, in figures_document's shape: (kind, code, zone, active, ess,
    JSON text with ESS_SHARE in place of the share). `counts`: the count rows (for the divisions)."""
    total_sets, kind, code, zones = _grouping_sets(())
    division_sets = _grouping_sets(("division",))[0]
    ess_sets = _grouping_sets(("band", "year"))[0]
    grouping = f"GROUPING({', '.join(LEVELS)}) AS g, {', '.join(LEVELS)}"
    target = f"{kind} AS kind, {code} AS code, unnest({zones}) AS zone"
    resummed = ", ".join(f"sum({name}) AS {name}" for name in SUMS)
    totals = ", ".join(f"coalesce(sum({name}), 0)::BIGINT AS {name}" for name in SUMS)
    divisions = _json_object("division", "'[' || n || ',' || ess || ']'")
    bands = _json_object("band", "n", "is_band")
    creations = _json_object("year", "n", f"NOT is_band AND year BETWEEN {first_year} AND {last_year}")

    def value(name: str) -> str:
        return f"coalesce(c.{name}, 0)"

    families = ", ".join(f"'{family}', {value(f'family_{i}')}" for i, family in enumerate(FAMILIES))
    estimate = "json_object('low', {0}, 'high', CASE WHEN {1} = 0 THEN {2} END)"
    everyone = estimate.format(value("low"), value("unbounded"), value("high"))
    ess = estimate.format(value("ess_low"), value("ess_unbounded"), value("ess_high"))
    zone_order = ", ".join(f"('{zone}', {n})" for n, zone in enumerate(ZONES))
    return f"""
        WITH counted AS (
            SELECT kind, code, zone, {totals} FROM (
                SELECT {target}, {", ".join(SUMS)}
                FROM (SELECT {grouping}, {resummed} FROM obs_counts GROUP BY GROUPING SETS ({total_sets})))
            WHERE code <> '' GROUP BY ALL
        ), divided AS (
            SELECT kind, code, zone, {divisions} AS divisions FROM (
                SELECT {target}, division, n, ess
                FROM (SELECT {grouping}, division, sum(n) AS n, sum(ess) AS ess
                      FROM (SELECT {", ".join(LEVELS)}, coalesce(naf_division, '') AS division, n,
                                   CASE WHEN is_ess THEN n ELSE 0 END AS ess FROM {_source(counts)})
                      GROUP BY GROUPING SETS ({division_sets})))
            WHERE code <> '' GROUP BY ALL
        ), located AS (
            SELECT kind, code, zone, {bands} AS bands, {creations} AS creations,
                   min(min_lon) FILTER (is_band) AS min_lon, min(min_lat) FILTER (is_band) AS min_lat,
                   max(max_lon) FILTER (is_band) AS max_lon, max(max_lat) FILTER (is_band) AS max_lat
            FROM (
                SELECT {target}, gb = 0 AS is_band, band, year, n, min_lon, min_lat, max_lon, max_lat
                FROM (SELECT {grouping}, GROUPING(band) AS gb, band, year, sum(n)::BIGINT AS n,
                             min(min_lon) AS min_lon, min(min_lat) AS min_lat, max(max_lon) AS max_lon,
                             max(max_lat) AS max_lat
                      FROM obs_ess GROUP BY GROUPING SETS ({ess_sets})))
            WHERE code <> '' GROUP BY ALL
        ), territories AS (SELECT DISTINCT kind, code FROM counted)
        SELECT t.kind, t.code, z.zone, {value("n")}, {value("ess")}, json_object(
            'establishments', json_object(
                'active', {value("n")}, 'ess', {value("ess")}, 'ess_share', {ESS_SHARE[1:-1]!r},
                'ess_by_family', json_object({families}),
                'employer', {value("employer")}, 'ess_employer', {value("ess_employer")}),
            'employees_estimate', json_object('all', {everyone}, 'ess', {ess}),
            'divisions', coalesce(d.divisions, '{{}}')::JSON,
            'bands', coalesce(l.bands, '{{}}')::JSON,
            'creations', coalesce(l.creations, '{{}}')::JSON,
            'population', CASE WHEN z.zone = 'all' THEN p.population END,
            'bounds', CASE WHEN z.zone = 'all' AND l.min_lat IS NOT NULL
                           THEN json_array(json_array(l.min_lat, l.min_lon), json_array(l.max_lat, l.max_lon)) END
        )::VARCHAR
        FROM territories t CROSS JOIN (VALUES {zone_order}) z(zone, position)
        LEFT JOIN counted c ON c.kind = t.kind AND c.code = t.code AND c.zone = z.zone
        LEFT JOIN divided d ON d.kind = t.kind AND d.code = t.code AND d.zone = z.zone
        LEFT JOIN located l ON l.kind = t.kind AND l.code = t.code AND l.zone = z.zone
        LEFT JOIN obs_population p ON p.kind = t.kind AND p.code = t.code
        WHERE z.zone = 'all' OR c.kind IS NOT NULL OR l.kind IS NOT NULL
        ORDER BY t.kind, t.code, z.position
    """


def _small_table(
    con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, str], rows: list[tuple]
) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({', '.join(f'{c} {t}' for c, t in columns.items())})")
    if rows:
        con.register(
            "obs_source",
            {c: np.array(v, dtype=object) for c, v in zip(columns, zip(*rows, strict=True), strict=True)},
        )
        con.execute(
            f"INSERT INTO {name} SELECT {', '.join(f'CAST({c} AS {t})' for c, t in columns.items())} FROM obs_source"
        )
        con.unregister("obs_source")


TABLES = ("obs_ept", "obs_population", "obs_db_counts", "obs_db_ess", "obs_counts", "obs_ess")


def bulk_all(release, populations: dict[str, dict[str, int | None]], con=None) -> Iterator[tuple]:
    """Yield (kind, code, zone, figures as JSON text) for every territory with establishments; `con`: the pipeline's DuckDB
    connection with the views release_counts and release_ess, else the release is read from the database."""
    own = con is None
    if own:
        con = bounded_connection()
    try:
        _small_table(con, "obs_ept", {"commune": "VARCHAR", "ept": "VARCHAR"},
                     list(Commune.objects.exclude(ept=None).values_list("code", "ept_id")))  # fmt: skip
        _small_table(con, "obs_population", {"kind": "VARCHAR", "code": "VARCHAR", "population": "BIGINT"},
                     [(kind, code, n) for kind, codes in populations.items() for code, n in codes.items()])  # fmt: skip
        counts, ess = _database_sources(con, release) if own else _pipeline_sources()
        _reduce(con, counts, ess)
        last = release.vintage.year
        # Empty zones are not stored (a missing snapshot means "no establishment").
        rows = con.execute(_documents_sql(counts, last - CREATION_YEARS + 1, last)).fetchall()
        for kind, code, zone, active, ess, text in rows:
            # The share as figures_document rounds it, and as json.dumps writes a float (its repr).
            share = repr(round(ess / active, 6)) if active else "null"
            yield kind, code, zone, text.replace(ESS_SHARE, share, 1)
    finally:
        for table in TABLES:
            con.execute(f"DROP TABLE IF EXISTS {table}")
        if own:
            con.close()
