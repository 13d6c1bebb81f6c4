"""The open-data files of a release written by DuckDB's COPY: one writer, whatever the source of the rows.

At ingestion (signals.release_built) the pipeline hands its own DuckDB connection, where the release's rows are
the views `release_ess` and `release_counts` (essor.sirene.writer.create_views: the very values the database
receives): nothing is read back from the database. Otherwise (`essor diffusion publish` on an existing release)
the same columns are read from the database into tables of an in-memory DuckDB. Either way one SELECT per table
(tables.select_sql) applies the rules — restricted rows withheld, '' written as missing, the declared types, the
order of the rows — and COPY writes the Parquet file, then the CSV from that Parquet file (one sort, and both
formats hold the same cells). The indicators, computed in Python, are loaded into DuckDB in their order.

CSV cells are DuckDB's: UTF-8, comma, header, quotes doubled, true/false, ISO dates, doubles in their shortest
round-trip form (Python's repr), NULL as an empty cell — what Python's csv module wrote before (docs/adr/015).
"""

# SQL is assembled from code constants (column names and types) and quoted paths, never from data.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb
import numpy as np

from essor.diffusion.tables import (
    COUNTS,
    DUCKDB_TYPES,
    ESTABLISHMENTS,
    Table,
    database_rows,
    select_sql,
    source_columns,
)
from essor.sirene.formats import sql_literal
from essor.sirene.pipeline import bounded_connection

LOAD_ROWS = 100_000
PIPELINE_VIEWS = {ESTABLISHMENTS.name: "release_ess", COUNTS.name: "release_counts"}


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB for a publication without the pipeline's connection."""
    return bounded_connection()


def load(
    con: duckdb.DuckDBPyConnection, name: str, columns: list[tuple[str, str]], rows: Iterable[tuple]
) -> None:
    """A temporary DuckDB table `name` of typed `columns` filled with `rows` (tuples), in batches of columns as
    numpy object arrays (several times faster than binding Python values row by row)."""
    typed = ", ".join(f"{column} {kind}" for column, kind in columns)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({typed})")
    casts = ", ".join(f"CAST({column} AS {kind})" for column, kind in columns)
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= LOAD_ROWS:
            _insert(con, name, columns, casts, batch)
            batch = []
    if batch:
        _insert(con, name, columns, casts, batch)


def _insert(con, name: str, columns: list[tuple[str, str]], casts: str, batch: list[tuple]) -> None:
    data = {
        column: np.array(values, dtype=object)
        for (column, _), values in zip(columns, zip(*batch, strict=True), strict=True)
    }
    con.register("opendata_batch", data)
    try:
        con.execute(f"INSERT INTO {name} SELECT {casts} FROM opendata_batch").fetchall()
    finally:
        con.unregister("opendata_batch")


def load_release(con: duckdb.DuckDBPyConnection, release) -> dict[str, str]:
    """The release's two tables read from the database into `con`; returns {table name: relation}."""
    relations = {}
    for table in (ESTABLISHMENTS, COUNTS):
        relation = f"opendata_{table.name}"
        load(con, relation, source_columns(table), database_rows(table, release))
        relations[table.name] = relation
    return relations


def load_computed(con: duckdb.DuckDBPyConnection, table: Table, rows: Iterable[tuple]) -> str:
    """Rows computed in Python (the indicators), in their order (`_row`); returns the relation."""
    relation = f"opendata_{table.name}"
    columns = [(column.name, DUCKDB_TYPES[column.type]) for column in table.columns] + [("_row", "BIGINT")]
    load(con, relation, columns, ((*row, index) for index, row in enumerate(rows)))
    return relation


def write(
    con: duckdb.DuckDBPyConnection, table: Table, relation: str, csv_path: Path, parquet_path: Path
) -> int:
    """`table` selected from `relation` written as Parquet (zstd) then CSV; returns the number of rows."""
    parquet = sql_literal(str(parquet_path))
    rows = con.execute(
        f"COPY ({select_sql(table, relation)}) TO {parquet} (FORMAT parquet, COMPRESSION zstd)"
    ).fetchall()
    con.execute(
        f"COPY (SELECT * FROM read_parquet({parquet})) TO {sql_literal(str(csv_path))} "
        "(FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', ESCAPE '\"')"
    ).fetchall()  # every result consumed: DuckDB 2 refuses other work on a connection with one pending
    return int(rows[0][0])


def drop(con: duckdb.DuckDBPyConnection, relations: Iterable[str]) -> None:
    for relation in relations:
        con.execute(f"DROP TABLE IF EXISTS {relation}")
