"""INSEE SIRENE file formats: find, check and stage the three input files for DuckDB.

An input comes as `.zip` (as downloaded), `.csv`, `.csv.gz` or `.parquet`, delimiter `,` or `;`, UTF-8. Every
input is checked (zip integrity, encoding, required columns) and then read by DuckDB with only the columns the
pipeline needs, all as text (codes keep their leading zeros and `2A`). CSV inputs are staged once into a Parquet
file of those columns, so the later steps scan a compact columnar file whatever the original format, and the
malformed lines found by DuckDB's CSV reader are kept for the quality report.
"""

# SQL is assembled from code constants and quoted file paths (formats.sql_literal), never from user input.

from __future__ import annotations

import codecs
import gzip
import hashlib
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np

from essor.sirene import columns as column_rules
from essor.sirene import zip_member

UNITES_LEGALES = "unites_legales"
ETABLISSEMENTS = "etablissements"
GEOLOCALISATION = "geolocalisation"
ESS_FRANCE = "ess_france"  # optional second ESS source (essor.sirene.ess_france), not a SIRENE file

# Official column names (DESIGN §5). Required columns must be present; optional ones are read when present.
REQUIRED_COLUMNS = {
    UNITES_LEGALES: [
        "siren",
        "categorieJuridiqueUniteLegale",
        "economieSocialeSolidaireUniteLegale",
        "activitePrincipaleUniteLegale",
        "denominationUniteLegale",
        "etatAdministratifUniteLegale",
    ],
    ETABLISSEMENTS: [
        "siren",
        "siret",
        "etatAdministratifEtablissement",
        "codeCommuneEtablissement",
        "activitePrincipaleEtablissement",
        "trancheEffectifsEtablissement",
        "dateCreationEtablissement",
        "etablissementSiege",
        "denominationUsuelleEtablissement",
        "enseigne1Etablissement",
        "numeroVoieEtablissement",
        "typeVoieEtablissement",
        "libelleVoieEtablissement",
        "codePostalEtablissement",
    ],
    GEOLOCALISATION: [
        "siret",
        "x",
        "y",
        "qualite_xy",
        "epsg",
        "plg_qp24",
        "plg_qp15",
        "plg_code_commune",
        "x_longitude",
        "y_latitude",
    ],
}
OPTIONAL_COLUMNS = {
    UNITES_LEGALES: [
        "sigleUniteLegale", "denominationUsuelle1UniteLegale", "statutDiffusionUniteLegale",
        "nomenclatureActivitePrincipaleUniteLegale", "activitePrincipaleNAF25UniteLegale",
        "caractereEmployeurUniteLegale",
    ],
    ETABLISSEMENTS: [
        "indiceRepetitionEtablissement", "codePaysEtrangerEtablissement", "statutDiffusionEtablissement",
        "nomenclatureActivitePrincipaleEtablissement", "activitePrincipaleNAF25Etablissement",
        "caractereEmployeurEtablissement", "coordonneeLambertAbscisseEtablissement",
        "coordonneeLambertOrdonneeEtablissement",
    ],
    GEOLOCALISATION: [],
}  # fmt: skip
ROLE_LABELS = {
    UNITES_LEGALES: "StockUniteLegale",
    ETABLISSEMENTS: "StockEtablissement",
    GEOLOCALISATION: "GeolocalisationEtablissement",
    ESS_FRANCE: "ESS France list",
}
ENCODING_PROBE_BYTES = 4 * 1024 * 1024
HASH_CHUNK = 8 * 1024 * 1024
NEWLINE = ord("\n")


class SireneInputError(Exception):
    """An input file cannot be used as it is; the message names the file and what is wrong."""


@dataclass
class InputFile:
    role: str
    path: Path
    format: str  # "zip", "csv", "csv.gz" or "parquet"
    size: int
    sha256: str
    readable: Path | None = None  # the CSV or Parquet file DuckDB reads (a zip member is extracted first)
    staged: Path | None = None  # a CSV's columns staged to Parquet (stage)
    delimiter: str | None = None
    columns: list[str] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)  # Parquet column types (CSV: all text)
    rows: int | None = None
    malformed: list[dict] = field(default_factory=list)  # sample of lines DuckDB could not parse
    malformed_count: int = 0
    newlines: int | None = None  # newline bytes of the CSV text (counted while hashing or extracting)
    last_byte: bytes = b""

    def count_lines(self, chunk: bytes) -> None:
        """Add a chunk of the CSV text, in order, to its newline count and last byte (data_lines)."""
        if chunk:
            # numpy: ~3.5 GB/s without holding the GIL, so files read on threads count side by side
            # (bytes.count: ~2 GB/s, holding it; docs/adr/019-zip-members-inflated-by-isa-l.md).
            found = int(np.count_nonzero(np.frombuffer(chunk, dtype=np.uint8) == NEWLINE))
            self.newlines = (self.newlines or 0) + found
            self.last_byte = chunk[-1:]

    @property
    def label(self) -> str:
        return f"{ROLE_LABELS[self.role]} file {self.path.name}"

    def wanted_columns(self) -> list[str]:
        present = set(self.columns)
        return REQUIRED_COLUMNS[self.role] + [c for c in OPTIONAL_COLUMNS[self.role] if c in present]

    def provenance(self) -> dict:
        return {
            "role": self.role,
            "name": self.path.name,
            "size": self.size,
            "sha256": self.sha256,
            "rows": self.rows,
            "format": self.format,
        }


def detect_format(path: Path) -> str:
    name = path.name.lower()
    for suffix, fmt in ((".parquet", "parquet"), (".csv.gz", "csv.gz"), (".csv", "csv"), (".zip", "zip")):
        if name.endswith(suffix):
            return fmt
    raise SireneInputError(f"{path}: unsupported file type (expected .zip, .csv, .csv.gz or .parquet).")


def sha256_of(path: Path, lines: InputFile | None = None) -> str:
    """The file's sha256; with `lines`, its newlines are counted in the same pass (exact malformed-line count)."""
    digest = hashlib.sha256()
    if lines is not None:
        lines.newlines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
            if lines is not None:
                lines.count_lines(chunk)
    return digest.hexdigest()


def count_newlines(item: InputFile) -> None:
    item.newlines = 0
    with _open_text_bytes(item.readable) as handle:
        while chunk := handle.read(HASH_CHUNK):
            item.count_lines(chunk)


def data_lines(item: InputFile) -> int:
    """Data lines of a CSV (header excluded; a last line without a final newline counts)."""
    complete = (item.newlines or 0) + (1 if item.last_byte not in (b"", b"\n") else 0)
    return max(0, complete - 1)


def describe(role: str, path: str | Path) -> InputFile:
    """Check that the file exists, identify its format and checksum it (the release fingerprint uses it)."""
    path = Path(path)
    if not path.is_file():
        raise SireneInputError(f"{ROLE_LABELS[role]} file {path} does not exist.")
    fmt = detect_format(path)
    item = InputFile(role=role, path=path, format=fmt, size=path.stat().st_size, sha256="")
    counter = item if fmt == "csv" else None
    item.sha256 = sha256_of(path, counter)
    return item


def open_input(item: InputFile, workdir: Path) -> InputFile:
    """Make the file readable by DuckDB (extract a zip member), check encoding and required columns."""
    if item.format == "zip":
        item.readable = extract_zip(item, workdir)
    else:
        item.readable = item.path
    if item.format == "parquet":
        item.types = parquet_columns(item)
        item.columns = list(item.types)
        errors = column_rules.type_errors(item.types, item.wanted_columns())
        if errors:
            raise SireneInputError(f"{item.label}: " + "; ".join(errors) + ".")
    else:
        if item.format == "csv.gz":
            count_newlines(item)
        header = read_header(item)
        item.delimiter = ";" if header.count(";") > header.count(",") else ","
        item.columns = [c.strip().strip('"').strip() for c in header.split(item.delimiter)]
    missing = [c for c in REQUIRED_COLUMNS[item.role] if c not in item.columns]
    if missing:
        raise SireneInputError(f"{item.label}: missing required column(s): {', '.join(missing)}.")
    return item


def extract_zip(item: InputFile, workdir: Path) -> Path:
    """Stream the zip's CSV member to the work directory; a truncated or corrupt zip is a clear error."""
    try:
        with zipfile.ZipFile(item.path) as archive:
            members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
            if not members:
                raise SireneInputError(f"{item.label}: the zip archive holds no .csv file.")
            if len(members) > 1:
                names = ", ".join(f"{m.filename} ({m.file_size:,} bytes)" for m in members)
                raise SireneInputError(
                    f"{item.label}: the zip archive holds {len(members)} CSV files ({names}); INSEE's holds one."
                    " Extract the right one and give it instead."
                )
        target = workdir / f"{item.role}.csv"
        item.newlines = 0
        zip_member.extract(item.path, members[0], target, item.count_lines)
    except (zipfile.BadZipFile, EOFError, zlib.error, OSError) as exc:
        if isinstance(exc, OSError) and exc.errno is not None:
            raise  # a real I/O error (disk full, permission), not a damaged archive
        raise SireneInputError(f"{item.label}: the zip archive is truncated or corrupt ({exc}).") from None
    return target


def _open_text_bytes(path: Path):
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb")


def read_header(item: InputFile) -> str:
    """The first line, after checking that the beginning of the file is UTF-8 (a BOM is tolerated)."""
    try:
        with _open_text_bytes(item.readable) as handle:
            probe = handle.read(ENCODING_PROBE_BYTES)
    except (OSError, EOFError) as exc:
        raise SireneInputError(f"{item.label}: cannot be read ({exc}).") from None
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        text = decoder.decode(probe, final=False)
    except UnicodeDecodeError as exc:
        line = probe[: exc.start].count(b"\n") + 1
        raise SireneInputError(
            f"{item.label}: not UTF-8 (invalid byte 0x{probe[exc.start]:02x} on line {line}); "
            "INSEE files are UTF-8, re-download or convert the file."
        ) from None
    header = text.split("\n", 1)[0].rstrip("\r")
    if not header.strip():
        raise SireneInputError(f"{item.label}: the file is empty (no header line).")
    return header


def parquet_columns(item: InputFile) -> dict[str, str]:
    con = duckdb.connect()
    try:
        rows = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(item.readable)]).fetchall()
    except duckdb.Error as exc:
        raise SireneInputError(f"{item.label}: not a readable Parquet file ({exc}).") from None
    finally:
        con.close()
    return {row[0]: row[1] for row in rows}


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sql_literal(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def csv_source_sql(item: InputFile) -> str:
    """A DuckDB table expression reading every column of the CSV as text, bad lines set aside."""
    return (
        f"read_csv({sql_literal(item.readable)}, header=true, all_varchar=true, delim={sql_literal(item.delimiter)},"
        " quote='\"', escape='\"', store_rejects=true, auto_detect=false,"
        f" columns={{{', '.join(f'{sql_literal(c)}: {sql_literal("VARCHAR")}' for c in item.columns)}}})"
    )


# Codes of fixed width: a Parquet file that stores them as numbers lost their leading zeros; pad them back.
CODE_WIDTHS = {
    "siren": 9,
    "siret": 14,
    "trancheEffectifsEtablissement": 2,
    "categorieJuridiqueUniteLegale": 4,
}


def text_sql(item: InputFile | None, column: str, ref: str | None = None) -> str:
    """The column as the text the pipeline reads; `ref` is how the query names the column (default: its name).
    No item: a table of text columns."""
    name = ref or quote_identifier(column)
    stored = item.types.get(column, "VARCHAR") if item else "VARCHAR"
    if column in CODE_WIDTHS and column_rules.is_integer(stored):
        return f"lpad(CAST({name} AS VARCHAR), {CODE_WIDTHS[column]}, {sql_literal('0')})"
    if column_rules.base_type(stored).startswith("TIMESTAMP"):
        return f"CAST(CAST({name} AS DATE) AS VARCHAR)"  # a creation date, not an instant
    return f"CAST({name} AS VARCHAR)"


def column_sql(item: InputFile, column: str) -> str:
    return f"{text_sql(item, column)} AS {quote_identifier(column)}"


def typed_source(item: InputFile, row_numbers: bool = False) -> str:
    """The input with its columns in their stored types (Parquet input; the staged text file of a CSV), for a
    step that converts a column to text (text_sql) only on the rows it keeps, after a join or a filter.
    `row_numbers`: with the line's position in the file, `file_row_number` (the same in every read)."""
    path = item.readable if item.format == "parquet" else item.staged
    return f"read_parquet({sql_literal(path)}{', file_row_number = true' if row_numbers else ''})"


def select_sql(item: InputFile, source: str) -> str:
    return f"SELECT {', '.join(column_sql(item, c) for c in item.wanted_columns())} FROM {source}"  # noqa: S608 (column expressions from the format table)


def stage(con: duckdb.DuckDBPyConnection, item: InputFile, workdir: Path, sample_size: int = 20) -> str:
    """Return a DuckDB table expression with the wanted columns as text; CSV inputs are staged to Parquet.

    Lines DuckDB cannot parse (wrong number of fields, unclosed quote) are counted and sampled; a line that is
    not UTF-8 stops the run with the line number.
    """
    if item.format == "parquet":
        try:
            item.rows = con.execute("SELECT count(*) FROM read_parquet(?)", [str(item.readable)]).fetchone()[
                0
            ]
        except duckdb.Error as exc:
            raise SireneInputError(f"{item.label}: not a readable Parquet file ({exc}).") from None
        return f"({select_sql(item, f'read_parquet({sql_literal(item.readable)})')})"
    target = workdir / f"{item.role}.parquet"
    # A scratch file read two or three times then deleted: no dictionary encoding (its writing was half the
    # conversion's CPU; the reads cost a little more) and DuckDB's default row groups, which spread the write
    # over every thread (docs/adr/019-zip-members-inflated-by-isa-l.md).
    try:
        con.execute(
            f"COPY ({select_sql(item, csv_source_sql(item))}) TO {sql_literal(target)} "
            "(FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 122880, DICTIONARY_SIZE_LIMIT 1)"
        )
        rejects = con.execute(
            "SELECT line, error_type, csv_line, error_message FROM reject_errors ORDER BY line"
        ).fetchall()
    except duckdb.Error as exc:
        message = str(exc).split("\n\nPossible Solution")[0]
        raise SireneInputError(f"{item.label}: cannot be read as CSV: {message}") from None
    unicode_errors = [r for r in rejects if r[1] in ("INVALID UNICODE", "INVALID ENCODING")]
    if unicode_errors:
        raise SireneInputError(
            f"{item.label}: not UTF-8 (line {unicode_errors[0][0]}); INSEE files are UTF-8."
        )
    lines = sorted({r[0] for r in rejects})
    staged = con.execute("SELECT count(*) FROM read_parquet(?)", [str(target)]).fetchone()[0]
    # DuckDB reports one rejected line for an unclosed quote that swallowed thousands: the exact count is the
    # data lines of the file minus the rows read (INSEE's fields hold no line breaks).
    item.malformed_count = (
        max(len(lines), data_lines(item) - staged) if item.newlines is not None else len(lines)
    )
    seen, sample = set(), []
    for line, error_type, text, message in rejects:
        if line in seen or len(sample) >= sample_size:
            continue
        seen.add(line)
        sample.append(
            {"line": int(line), "reason": error_type.lower(), "text": (text or "")[:300], "detail": message}
        )
    item.malformed = sample
    con.execute("DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans")
    item.rows = staged + item.malformed_count
    item.staged = target
    if item.readable != item.path:  # the extracted zip member is no longer needed
        item.readable.unlink(missing_ok=True)
    return f"read_parquet({sql_literal(target)})"


# Values each checked column may hold (after trimming; case as INSEE writes it). Anything else is counted per
# column with a sample, and the release gate stops a file where such values are more than a small share.
ALLOWED_VALUES = {
    UNITES_LEGALES: {
        "etatAdministratifUniteLegale": ("A", "C"),
        "economieSocialeSolidaireUniteLegale": ("O", "N", ""),
    },
    ETABLISSEMENTS: {"etatAdministratifEtablissement": ("A", "F")},
}
# Columns whose non-empty values must be ISO dates (YYYY-MM-DD; a DATE or TIMESTAMP column is one already).
DATE_COLUMNS = {ETABLISSEMENTS: ("dateCreationEtablissement",)}


def invalid_values(con: duckdb.DuckDBPyConnection, inputs: dict) -> dict:
    """{role: {column: {"count", "rows", "sample"}}} for the values outside ALLOWED_VALUES and DATE_COLUMNS.

    One scan of each file in its stored types (typed_source): the common case is answered first (a value
    already in the allowed list; a DATE column, whose values are dates), the text is trimmed only otherwise."""
    result: dict = {}
    for role in inputs:
        item = inputs[role]
        checks = []
        for column, allowed in ALLOWED_VALUES.get(role, {}).items():
            allowed_sql = ", ".join(sql_literal(v) for v in allowed)
            text = text_sql(item, column)
            checks.append((column, text, f"CASE WHEN {text} IN ({allowed_sql}) THEN false "
                                         f"ELSE trim(coalesce({text}, '')) NOT IN ({allowed_sql}) END"))  # fmt: skip
        for column, text in ((c, text_sql(item, c)) for c in DATE_COLUMNS.get(role, ())):
            check = f"trim(coalesce({text}, '')) <> '' AND TRY_CAST(trim({text}) AS DATE) IS NULL"
            if column_rules.base_type(item.types.get(column, "")) == "DATE":  # YYYY-MM-DD between these years
                name = quote_identifier(column)
                check = (f"{name} IS NOT NULL AND NOT ({name} BETWEEN DATE '0001-01-01' AND DATE '9999-12-31') "
                         f"AND TRY_CAST({text} AS DATE) IS NULL")  # fmt: skip
            checks.append((column, text, check))
        if not checks:
            continue
        # The conditions first, in a subquery: the text of a value is then made only for the sampled rows
        # (an expression written twice would be computed once for every row, before the filters).
        conditions = ", ".join(f"{condition} AS c{i}" for i, (_, _, condition) in enumerate(checks))
        columns = ", ".join(dict.fromkeys(quote_identifier(column) for column, _, _ in checks))
        counts = ", ".join(f"count(*) FILTER (c{i})" for i in range(len(checks)))
        samples = ", ".join(
            f"list(DISTINCT CASE WHEN c{i} THEN {text} END) FILTER (c{i})[1:5]"
            for i, (_, text, _) in enumerate(checks)
        )
        row = con.execute(
            f"SELECT count(*), {counts}, {samples} FROM (SELECT {columns}, {conditions} FROM {typed_source(item)})"  # noqa: S608 (identifiers and literals quoted)
        ).fetchone()
        total, n = row[0], len(checks)
        found = {
            column: {"count": int(row[1 + i]), "rows": int(total), "sample": list(row[1 + n + i] or [])}
            for i, (column, _, _) in enumerate(checks)
            if row[1 + i]
        }
        if found:
            result[role] = found
    return result
