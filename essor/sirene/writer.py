"""Bulk writing of a release's rows from DuckDB into the Django database.

SQLite: the raw sqlite3 connection's `executemany` in large batches inside one transaction per batch.
PostgreSQL: `COPY ... FROM STDIN (FORMAT binary)` through psycopg, typed per column. Both stream from DuckDB in batches: memory stays flat.
"""

# SQL is assembled from code constants and quoted file paths (formats.sql_literal), never from user input.

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

import duckdb
from django.db import connection, transaction

from essor.sirene.models import EssEstablishment, EstablishmentCount

BATCH_ROWS = 100_000
SQLITE_CACHE_KIB = 512 * 1024

ESS_COLUMNS = [
    "siret", "siren", "name", "family", "legal_category", "ess_source", "naf", "naf_division", "naf_section", "band",
    "employer", "employees_low", "employees_high", "created_on", "created_plausible", "is_siege", "address",
    "postcode", "commune_code", "arrondissement_code", "epci_code", "departement_code", "region_code", "qpv24_code",
    "qpv24_source", "qpv15_code", "qpv15_source", "near_qpv24_code", "zone", "lon", "lat", "private",
]  # fmt: skip
COUNT_COLUMNS = [
    "commune_code", "arrondissement_code", "epci_code", "departement_code", "region_code", "zone", "qpv24_code", "qpv15_code",
    "near_qpv24_code", "naf_division", "is_ess", "family", "employer", "establishments", "employees_low",
    "employees_high", "unbounded",
]  # fmt: skip
# Text columns are NOT NULL in Django's schema: DuckDB NULLs become ''.
TEXT_LIMITS = {"name": 300, "address": 300, "postcode": 5}


# For PostgreSQL's binary COPY, each value in DuckDB's type matching the column's (e.g. a sum, HUGEINT, as BIGINT).
BINARY_CASTS = {"IntegerField": "INTEGER", "BigIntegerField": "BIGINT", "FloatField": "DOUBLE"}


def _select(table: str, columns: list[str], model, release_id: int, binary: bool = False) -> str:
    """`binary`: typed for PostgreSQL's binary COPY (dates as dates, integers of the column's width); else dates
    as ISO text (SQLite stores them so)."""
    expressions = [f"{int(release_id)} AS release_id"]
    for column in columns:
        field = model._meta.get_field(column)
        kind = field.get_internal_type()
        if kind == "CharField":
            limit = TEXT_LIMITS.get(column, field.max_length)
            expressions.append(f"left(coalesce(CAST({column} AS VARCHAR), ''), {limit}) AS {column}")
        elif kind == "DateField" and not binary:
            expressions.append(f"CAST({column} AS VARCHAR) AS {column}")
        elif kind in BINARY_CASTS and binary:
            expressions.append(f"CAST({column} AS {BINARY_CASTS[kind]}) AS {column}")
        else:
            expressions.append(column)
    return f"SELECT {', '.join(expressions)} FROM {table}"  # noqa: S608 (model columns)


VIEWS = {"release_ess": ("out_ess", EssEstablishment, ESS_COLUMNS),
         "release_counts": ("out_counts", EstablishmentCount, COUNT_COLUMNS)}  # fmt: skip


def create_views(con: duckdb.DuckDBPyConnection, release_id: int) -> None:
    """The views `release_ess` and `release_counts`: the release's rows exactly as the database receives them
    (release_built receivers read them from the pipeline's connection instead of reading the database back)."""
    for view, (table, model, columns) in VIEWS.items():
        con.execute(f"CREATE OR REPLACE VIEW {view} AS {_select(table, columns, model, release_id)}")


# The order the rows are inserted in. Each secondary index is (release, level, rowid): rows inserted by territory
# fill the seven territory indexes of EssEstablishment almost sequentially, where the pipeline's siret order
# scatters them (only the siret and name indexes are then filled at random). out_counts is already in this order
# (steps/outputs.py). Measured in docs/adr/017-count-table-with-one-index.md.
WRITE_ORDER = {
    "out_ess": " ORDER BY region_code, departement_code, epci_code, commune_code, arrondissement_code, zone, "
    "qpv24_code, qpv15_code, near_qpv24_code, siret",
}


def write_table(
    con: duckdb.DuckDBPyConnection, table: str, model, columns: list[str], release_id: int,
    advance: Callable[[int], None] = lambda n: None,
) -> int:  # fmt: skip
    postgresql = connection.vendor == "postgresql"
    select = _select(table, columns, model, release_id, binary=postgresql)
    result = con.execute(select + WRITE_ORDER.get(table, ""))
    db_table = model._meta.db_table
    names = ["release_id", *columns]  # release_id comes first in the SELECT
    total = 0
    if postgresql:
        with transaction.atomic(), connection.cursor() as cursor:
            copy_sql = f"COPY {db_table} ({', '.join(names)}) FROM STDIN (FORMAT binary)"
            with cursor.cursor.copy(copy_sql) as copy:
                copy.set_types(_binary_types(model, names))
                while rows := result.fetchmany(BATCH_ROWS):
                    for row in rows:
                        copy.write_row(row)
                    total += len(rows)
                    advance(len(rows))
        return total
    placeholders = ", ".join("?" for _ in names)
    sql = f"INSERT INTO {db_table} ({', '.join(names)}) VALUES ({placeholders})"  # noqa: S608 (model columns)
    connection.ensure_connection()
    raw = connection.connection
    with sqlite_bulk_pragmas(raw):
        while rows := result.fetchmany(BATCH_ROWS):
            with transaction.atomic():
                raw.executemany(sql, rows)
            total += len(rows)
            advance(len(rows))
    return total


# Binary COPY sends each value in the column's own binary form (the server parses no text): the type of each
# value must be the column's exactly (an int4 column takes 4 bytes, not 8).
BINARY_TYPES = {"CharField": "text", "IntegerField": "int4", "BigIntegerField": "int8", "BooleanField": "bool",
                "FloatField": "float8", "DateField": "date", "BigAutoField": "int8", "AutoField": "int4"}  # fmt: skip


def _binary_types(model, names: list[str]) -> list[str]:
    fields = [model._meta.get_field(name.removesuffix("_id")) for name in names]
    return [
        BINARY_TYPES[(field.target_field if field.is_relation else field).get_internal_type()]
        for field in fields
    ]


@contextmanager
def sqlite_bulk_pragmas(raw):
    """A large page cache (the secondary indexes are updated out of order) and WAL-safe synchronous=NORMAL,
    for the duration of the bulk insert only."""
    cache_size = raw.execute("PRAGMA cache_size").fetchone()[0]
    synchronous = raw.execute("PRAGMA synchronous").fetchone()[0]
    # The safety level cannot change inside a transaction (e.g. when called under an outer atomic block).
    change_safety = not raw.in_transaction
    raw.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
    if change_safety:
        raw.execute("PRAGMA synchronous = NORMAL")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA cache_size = {int(cache_size)}")
        if change_safety:
            raw.execute(f"PRAGMA synchronous = {int(synchronous)}")


def write_release_rows(
    con, release_id: int, advance: Callable[[int], None] = lambda n: None
) -> dict[str, int]:
    return {
        "ess_establishments": write_table(con, "out_ess", EssEstablishment, ESS_COLUMNS, release_id, advance),
        "counts": write_table(con, "out_counts", EstablishmentCount, COUNT_COLUMNS, release_id, advance),
    }


# Rows deleted per transaction: a national release is 4.2 M rows, whose deletion in one transaction held
# SQLite's write lock ~40 s, longer than the 30 s another writer (a sign-in, a survey answer) waits for it.
DELETE_BATCH_ROWS = 50_000


def delete_release_rows(release_id: int, batch: int = DELETE_BATCH_ROWS) -> None:
    """Delete a release's rows table by table (faster than the ORM's cascade on millions of rows), `batch` rows per
    short transaction so other writers get through between them. Inside an outer transaction the batches are
    savepoints of it: it stays all or nothing."""
    with connection.cursor() as cursor:
        for model in (EssEstablishment, EstablishmentCount):
            table = model._meta.db_table
            sql = f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} WHERE release_id = %s LIMIT %s)"  # noqa: S608 (model table)
            while True:
                with transaction.atomic():
                    cursor.execute(sql, [release_id, batch])
                    deleted = cursor.rowcount
                if deleted < batch:
                    break
