"""ESS France's « Liste des entreprises de l'ESS » (data.gouv.fr, CSV) as an optional second ESS source.

The list names legal units by SIREN (with name, legal family, postcode, commune...). `essor sirene ingest
--ess-france FILE` reads its SIREN column (the first column whose name contains "siren", any case), keeps the
9-digit values, and counts the lines without one. A unit is then ESS by INSEE's flag, by the statistical
perimeter, or by the list; the source is recorded and the quality report compares the two lists.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from essor.sirene.formats import SireneInputError, quote_identifier, sql_literal


def load(con: duckdb.DuckDBPyConnection, path: Path) -> dict:
    """Create the table `ess_france(siren)`; return the count and a sample of lines without a usable SIREN."""
    path = Path(path)
    if not path.is_file():
        raise SireneInputError(f"ESS France list {path} does not exist.")
    source = f"read_csv({sql_literal(path)}, all_varchar=true, header=true)"
    try:
        columns = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]  # noqa: S608 - path and column quoted (sql_literal, quote_identifier)
    except duckdb.Error as exc:
        raise SireneInputError(f"ESS France list {path.name}: cannot be read as CSV ({exc}).") from None
    siren = next((c for c in columns if "siren" in c.lower()), None)
    if siren is None:
        raise SireneInputError(
            f"ESS France list {path.name}: no SIREN column (columns: {', '.join(columns)})."
        )
    value = f"regexp_replace(coalesce({quote_identifier(siren)}, ''), '\\s', '', 'g')"
    con.execute(f"""
        CREATE TABLE ess_france AS
        SELECT DISTINCT {value} AS siren FROM {source} WHERE regexp_full_match({value}, '[0-9]{{9}}')
    """)  # noqa: S608 - path and column quoted (sql_literal, quote_identifier)
    bad = con.execute(f"""
        SELECT count(*), list({quote_identifier(siren)})[1:10] FROM {source}
        WHERE NOT regexp_full_match({value}, '[0-9]{{9}}')
    """).fetchone()  # noqa: S608 - path and column quoted (sql_literal, quote_identifier)
    if not con.execute("SELECT count(*) FROM ess_france").fetchone()[0]:
        raise SireneInputError(
            f"ESS France list {path.name}: no line with a 9-digit SIREN in column {siren}."
        )
    return {"count": int(bad[0]), "sample": bad[1] or []}
