"""The population of the QPV 2024: INSEE's « Données sur les quartiers 2024 de la politique de la ville »
(population base, 2020 census), one row per QPV, loaded onto the reference's QPVs with its provenance.

The layout read (docs/methodology.md, "QPV 2024 population"): a header row holding `codeqpv` (the QPV code) and
`popmuniqpv` (its municipal population), with `libqpv` and `listedepcom` (its communes) when present, matched
without regard to case (INSEE writes `codeQPV`, `popMuniQPV`); title lines above the header are skipped. The file
is a CSV (`;` or `,`, UTF-8 with or without BOM), an XLSX workbook (the first sheet with that header) or a ZIP
holding one of them, as INSEE publishes its bases.

Rules: the file is the whole truth for the 2024 QPVs it names; a QPV of the reference that it does not name loses
its population, and a load that would take it from more than MAX_REMOVED_SHARE of the QPVs that have one is
refused unless `allow_removals` (a truncated or wrong file would otherwise blank the pages). Codes that are not
QPV 2024 of the reference (another edition, a reference loaded for a few départements) are counted and listed,
never an error; a 2015 code is one (the wrong generation's file). One transaction; a second run of the same file
changes nothing and says so.
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from essor.territories.loader import MAX_REMOVED_SHARE
from essor.territories.models import Commune, Qpv, QpvGeneration, QpvPopulationLoad, qpv_generation_of
from essor.territories.sources import LoadError, decode_utf8, fingerprint, read_bytes

CODE, POPULATION, NAME, COMMUNES = "codeqpv", "popmuniqpv", "libqpv", "listedepcom"
HEADER_SEARCH_ROWS = 15  # INSEE's workbooks put a few title lines above the header
DEFAULT_VINTAGE = "RP 2020"  # the 2020 census, on the 2024 perimeters (INSEE, August 2024)
MISSING_MARKS = {"", "s", "nd", "n.d.", "[nd]", "-"}  # secret or not available: no population, not 0
UNKNOWN_SAMPLE = 20


class PopulationFileError(LoadError):
    """Bad input in a population file: names the file, the line (or sheet and row) and the field."""

    def __init__(self, file, message: str, line: int | None = None, field: str | None = None, where=None):
        self.line, self.field, self.detail = line, field, message
        record = where or (f"line {line}" if line is not None else None)
        super().__init__(file, f"field {field}: {message}" if field else message, record=record)


class MassBlankingRefused(PopulationFileError):
    """The file would take the population away from more than MAX_REMOVED_SHARE of the QPVs that have one."""


@dataclass(frozen=True)
class PopulationRow:
    line: int
    code: str
    name: str
    population: int | None
    communes: tuple[str, ...]


def _table_rows(path: Path) -> tuple[list[list], str]:
    """The cells of the file's table, row by row, and how a row is named in messages ("line" or "sheet S, row")."""
    data = read_bytes(path)
    name = path.name.lower()
    if name.endswith(".zip") or data[:4] == b"PK\x03\x04" and not name.endswith(".xlsx"):
        return _zip_rows(path, data)
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return _xlsx_rows(path, data)
    text = decode_utf8(path, data)
    sample = text[:4000]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)], "line"


def _zip_rows(path: Path, data: bytes) -> tuple[list[list], str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise PopulationFileError(path, f"not a valid ZIP file ({exc})") from None
    members = [
        m for m in archive.namelist() if m.lower().endswith((".csv", ".xlsx")) and "doc" not in m.lower()
    ]
    if len(members) != 1:
        raise PopulationFileError(
            path, f"expected one CSV or XLSX data file in the ZIP, found {members or 'none'}"
        )
    inner = Path(path.parent / members[0])
    content = archive.read(members[0])
    if members[0].lower().endswith(".xlsx"):
        return _xlsx_rows(inner, content)
    text = decode_utf8(inner, content)
    delimiter = ";" if text[:4000].count(";") >= text[:4000].count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)], "line"


def _xlsx_rows(path: Path, data: bytes) -> tuple[list[list], str]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds (zipfile, KeyError, InvalidFileException)
        raise PopulationFileError(path, f"not a readable XLSX workbook ({exc})") from None
    for sheet in workbook.worksheets:
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        if _header_index(rows) is not None:
            return rows, f"sheet {sheet.title}, row"
    raise PopulationFileError(path, f"no sheet has a `{CODE}` and `{POPULATION}` header")


def _header_index(rows: list[list]) -> int | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = {str(cell).strip().lower() for cell in row if cell is not None}
        if CODE in names and POPULATION in names:
            return index
    return None


def _population(raw, path, line, where) -> int | None:
    if raw is None or str(raw).strip().lower() in MISSING_MARKS:
        return None
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        text = str(raw).strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            value = -1.0
    if value < 0 or value != int(value):
        raise PopulationFileError(
            path, f"{raw!r} is not a whole number of inhabitants", line, POPULATION, f"{where} {line}"
        )
    return int(value)


def read_population_file(path) -> list[PopulationRow]:
    """The rows of an INSEE QPV population file (PopulationFileError on bad input, before any write)."""
    path = Path(path)
    rows, where = _table_rows(path)
    header_at = _header_index(rows)
    if header_at is None:
        found = [str(cell) for cell in rows[0]] if rows else []
        raise PopulationFileError(
            path, f"wrong format: no header with `{CODE}` and `{POPULATION}` (first row: {found})"
        )
    header = [str(cell).strip().lower() if cell is not None else "" for cell in rows[header_at]]
    column = {name: header.index(name) for name in (CODE, POPULATION, NAME, COMMUNES) if name in header}
    result: list[PopulationRow] = []
    seen: dict[str, int] = {}
    for index in range(header_at + 1, len(rows)):
        cells = rows[index]
        line = index + 1

        def cell(name, cells=cells):
            position = column.get(name)
            value = cells[position] if position is not None and position < len(cells) else None
            return value.strip() if isinstance(value, str) else value

        if not any(value not in (None, "") for value in cells):
            continue  # blank lines at the end of a sheet
        code = str(cell(CODE) or "").upper()
        if not code:
            raise PopulationFileError(path, "the QPV code is missing", line, CODE, f"{where} {line}")
        if qpv_generation_of(code) != QpvGeneration.QPV_2024:
            raise PopulationFileError(
                path,
                f"{code} is a QPV 2015 code: this is not a file of the 2024 QPVs",
                line,
                CODE,
                f"{where} {line}",
            )
        if code in seen:
            raise PopulationFileError(
                path, f"{code} appears twice (first at {where} {seen[code]})", line, CODE, f"{where} {line}"
            )
        seen[code] = line
        communes = tuple(
            c.strip() for c in str(cell(COMMUNES) or "").replace(";", ",").split(",") if c.strip()
        )
        population = _population(cell(POPULATION), path, line, where)
        result.append(PopulationRow(line, code, str(cell(NAME) or ""), population, communes))
    if not result:
        raise PopulationFileError(path, "no data rows (only a header): refusing to load an empty file")
    return result


@transaction.atomic
def load_population(
    path,
    *,
    source: str | None = None,
    vintage: str = DEFAULT_VINTAGE,
    synthetic: bool = False,
    allow_removals: bool = False,
) -> QpvPopulationLoad:
    """Set the population of the reference's QPV 2024 from the file; returns the load record (with counts)."""
    path = Path(path)
    rows = read_population_file(path)
    digest = fingerprint(path)["sha256"]
    current = {
        code: (population, sha)
        for code, population, sha in Qpv.objects.filter(generation=QpvGeneration.QPV_2024).values_list(
            "code", "population", "population_load__sha256"
        )
    }
    if not current:
        raise PopulationFileError(path, "no QPV 2024 in the database: load the reference first")
    target = {row.code: row.population for row in rows if row.code in current}
    unknown = sorted(row.code for row in rows if row.code not in current)
    if not target:
        raise PopulationFileError(
            path, f"none of the {len(rows)} QPV codes of the file is a QPV 2024 of the reference"
        )
    populated = [code for code, (population, _sha) in current.items() if population is not None]
    blanked = [code for code in populated if target.get(code) is None]
    if blanked and not allow_removals and len(blanked) > MAX_REMOVED_SHARE * len(populated):
        raise MassBlankingRefused(
            path,
            f"this file would remove the population of {len(blanked)} of the {len(populated)} QPVs that have one "
            f"({len(blanked) / len(populated):.0%}; at most {MAX_REMOVED_SHARE:.0%} in one load). Is the file "
            "truncated or the wrong one? If it is intended, run it again with --allow-removals",
        )
    tally = {"added": 0, "updated": 0, "removed": len(blanked), "unchanged": 0}
    changes: dict[str, int | None] = dict.fromkeys(blanked)
    for code, population in target.items():
        before, sha = current[code]
        if population is None:
            continue  # counted in "removed" when it had one; stays without population otherwise
        if before == population and sha == digest:
            tally["unchanged"] += 1
            continue
        tally["added" if before is None else "updated"] += 1
        changes[code] = population
    counts = {
        **tally,
        "rows": len(rows),
        "without_population": sum(1 for row in rows if row.population is None),
        "unknown": len(unknown),
        "unknown_codes": unknown[:UNKNOWN_SAMPLE],
        "qpv_2024_without_population": len(current)
        - sum(1 for value in target.values() if value is not None),
    }
    record = QpvPopulationLoad.objects.create(
        source=source or str(path),
        file_name=path.name,
        sha256=digest,
        vintage=vintage,
        synthetic=synthetic,
        counts=counts,
        changed=bool(changes),
    )
    updates = [
        Qpv(code=code, population=value, population_load=record if value is not None else None)
        for code, value in sorted(changes.items())
    ]
    Qpv.objects.bulk_update(updates, ["population", "population_load"], batch_size=500)
    return record


def population_outside_qpvs(commune_codes, generation: int = QpvGeneration.QPV_2024) -> int | None:
    """The population of these communes outside their QPVs of the generation: the communes' population
    (decoupage-administratif) minus that of every QPV they hold, or None when it cannot be told: a commune or
    one of those QPVs without population, or a QPV reaching into a commune outside the set (its population
    cannot be split between communes). The two sources have different vintages (docs/methodology.md)."""
    codes = set(commune_codes)
    populations = list(Commune.objects.filter(code__in=codes).values_list("population", flat=True))
    if not codes or len(populations) != len(codes) or any(value is None for value in populations):
        return None
    qpvs = Qpv.objects.filter(generation=generation, communes__code__in=codes).distinct()
    held = 0
    for qpv in qpvs.prefetch_related("communes").only("code", "population"):
        if qpv.population is None or not {commune.code for commune in qpv.communes.all()} <= codes:
            return None
        held += qpv.population
    rest = sum(value or 0 for value in populations) - held
    return rest if rest > 0 else None
