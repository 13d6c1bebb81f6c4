"""Exports of tables: CSV (UTF-8 with BOM, ';' separator: opens as-is in spreadsheets set up for France),
XLSX (openpyxl, write-only so memory stays flat) and GeoJSON (points in WGS84)."""

import csv
import io
import json

from openpyxl import Workbook

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


def csv_chunks(columns: list[tuple[str, str]], rows):
    """Yield the CSV text chunk by chunk (for a streaming response). columns: [(key, header)]."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield BOM + writer.writerow([header for _key, header in columns])
    for row in rows:
        yield writer.writerow([_cell(row.get(key)) for key, _header in columns])


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return value


def xlsx_bytes(columns: list[tuple[str, str]], rows, sheet_title: str, notes: list[str] = ()) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append([header for _key, header in columns])
    for count, row in enumerate(rows, start=1):
        if count > XLSX_MAX_ROWS:
            break
        sheet.append([_xlsx_cell(row.get(key)) for key, _header in columns])
    if notes:
        about = workbook.create_sheet(title="about")
        for note in notes:
            about.append([note])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value):
    if isinstance(value, bool):
        return int(value)
    return value


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
