"""Exports of tables: CSV (UTF-8 with BOM, ';' separator and decimal comma by default: opens as-is in
spreadsheets set up for France; `decimal="."` for the others), XLSX (openpyxl, write-only so memory stays flat;
numbers as typed cells with a number format) and GeoJSON (points in WGS84).

`kinds` maps a column key to how its numbers are written: ("int", 0), ("dec", digits) or ("share", digits) — a
share stays a fraction (0.093173) in CSV and is shown as a percentage by Excel's number format. Numbers are
rounded half-up by essor.core.formatting, never written with a float's noise (0.09317300000000001).
"""

import csv
import io
import json
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from essor.core import formatting
from essor.core.exports import safe_cell

BOM = "\ufeff"
XLSX_MAX_ROWS = 1_048_575  # Excel's limit, minus the header row
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
}


class _Echo:
    def write(self, value):
        return value


DECIMALS = {"comma": ",", "point": "."}
SHARE_DIGITS = 6  # a share is written as precisely as the API gives it (0.196078); formats show 19.6 %


def csv_chunks(columns: list[tuple[str, str]], rows, *, kinds=None, decimal: str = ",", source: str = ""):
    """Yield the CSV text chunk by chunk (for a streaming response). columns: [(key, header)].
    With a decimal comma the separator is ';' (French spreadsheets); with a point, ','. `source`: a last line
    saying where the figures come from and their vintage."""
    kinds = kinds or {}
    delimiter = ";" if decimal == "," else ","
    writer = csv.writer(_Echo(), delimiter=delimiter, lineterminator="\r\n")
    yield BOM + writer.writerow([header for _key, header in columns])
    for row in rows:
        yield writer.writerow([_cell(row.get(key), kinds.get(key), decimal) for key, _header in columns])
    if source:
        yield writer.writerow([source])


def _cell(value, kind, decimal: str):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if kind and isinstance(value, int | float | Decimal):
        return formatting.plain_number(value, SHARE_DIGITS if kind[0] == "share" else kind[1], decimal)
    if isinstance(value, float):
        return formatting.plain_number(value, 6, decimal)
    return safe_cell(value)


def xlsx_bytes(
    columns: list[tuple[str, str]],
    rows,
    sheet_title: str,
    notes: list[str] = (),
    *,
    kinds=None,
    notes_title: str = "about",
) -> bytes:
    """One sheet of typed cells (numbers are numbers, rounded, with a number format), the notes (source,
    vintage, the synthetic-data notice) above the table and again on their own sheet."""
    kinds = kinds or {}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    bold = Font(bold=True)
    for note in notes:
        sheet.append([note])
    if notes:
        sheet.append([])
    header = []
    for _key, text in columns:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    formats = {
        key: formatting.xlsx_number_format(kind[1], percent=kind[0] == "share") for key, kind in kinds.items()
    }
    for count, row in enumerate(rows, start=1):
        if count > XLSX_MAX_ROWS:
            break
        sheet.append(
            [_xlsx_cell(sheet, row.get(key), kinds.get(key), formats.get(key)) for key, _h in columns]
        )
    if notes:
        about = workbook.create_sheet(title=notes_title[:31])
        for note in notes:
            about.append([note])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, value, kind, number_format):
    if isinstance(value, bool):
        return int(value)
    if value is None:
        return None
    if not isinstance(value, int | float | Decimal):
        return safe_cell(value)
    # Rounded (a share as precisely as in the API), stored as a number; the format shows it rounded.
    digits = (SHARE_DIGITS if kind[0] == "share" else kind[1]) if kind else 6
    number = float(formatting.round_half_up(value, digits))
    cell = WriteOnlyCell(sheet, value=int(number) if digits == 0 else number)
    if number_format:
        cell.number_format = number_format
    return cell


def geojson_chunks(rows, properties: list[str], metadata: dict):
    """A FeatureCollection, streamed; rows without coordinates get a null geometry (kept, not dropped)."""
    head = {"type": "FeatureCollection", "metadata": metadata}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "features": ['
    first = True
    for row in rows:
        geometry = (
            {"type": "Point", "coordinates": [row["lon"], row["lat"]]}
            if row.get("lon") is not None and row.get("lat") is not None
            else None
        )
        feature = {
            "type": "Feature",
            "geometry": geometry,
            "properties": {key: row.get(key) for key in properties},
        }
        yield ("" if first else ",") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "]}"


def export_notes(release, scope=None) -> list[str]:
    notes = [f"essor — {scope.name} ({scope.identifier})"] if scope is not None else []
    notes += [
        _("SIRENE release of %(vintage)s") % {"vintage": formatting.long_date(release.vintage)},
        _("Source: INSEE SIRENE, ANCT QPV perimeters — Licence Ouverte 2.0"),
    ]
    if release.synthetic:
        notes.append(_("Synthetic demonstration data: not real establishments."))
    return notes
