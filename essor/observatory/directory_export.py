"""The directory export of a territory (CSV, XLSX, GeoJSON): one function writes it, for the immediate download
and for the background export alike, so both give the same file (directory.public_record masks sole proprietors
and partially diffusible establishments; essor.core.exports neutralises formula-like text)."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from essor.observatory import directory, exports
from essor.observatory.scope import Scope

FORMATS = ("csv", "xlsx", "geojson")
KINDS = {"lon": ("dec", 6), "lat": ("dec", 6)}
# A workbook is built in memory before the first byte is sent (~3 s per 10,000 rows here): beyond this, the CSV,
# which streams row by row, is offered instead.
XLSX_MAX_ROWS = 20_000


def columns() -> list[tuple[str, str]]:
    return [
        ("siret", "siret"),
        ("name", _("Name")),
        ("family_label", _("Family")),
        ("legal_category", _("Legal category")),
        ("naf", _("Activity (NAF)")),
        ("naf_label", _("NAF division")),
        ("band_label", _("Employee size band")),
        ("employer", _("Employer")),
        ("created_on", _("Creation date")),
        ("address", _("Address")),
        ("postcode", _("Postcode")),
        ("commune_code", _("Commune code")),
        ("commune", _("Commune")),
        ("zone_label", _("Zone")),
        ("qpv24_code", _("QPV 2024")),
        ("near_qpv24_code", _("QPV within 300 m")),
        ("lon", _("Longitude")),
        ("lat", _("Latitude")),
    ]


def filename(release, scope: Scope, fmt: str) -> str:
    return f"essor-annuaire-{scope.kind}-{scope.code}-{release.vintage.isoformat()}.{fmt}"


def records_stream(rows, chunk: int = 2_000):
    """Public records of a queryset, read in chunks (constant memory on a national export)."""
    batch = []
    for row in rows.iterator(chunk_size=chunk):
        batch.append(row)
        if len(batch) >= chunk:
            yield from directory.public_records(batch)
            batch = []
    yield from directory.public_records(batch)


def _labelled(records):
    """Words rather than codes in exports: Yes / No for the employer flag."""
    yes, no = _("Yes"), _("No")
    for record in records:
        record["employer"] = yes if record["employer"] else no
        yield record


def chunks(release, scope: Scope, filters: directory.DirectoryFilters, fmt: str, decimal: str) -> Iterator:
    """The file, piece by piece (text for CSV and GeoJSON, one bytes object for XLSX), in the active language."""
    rows = directory.filtered(release, scope, filters)
    cols = columns()
    if fmt == "csv":
        source = " — ".join(exports.export_notes(release, scope))
        records = _labelled(records_stream(rows))
        yield from exports.csv_chunks(cols, records, kinds=KINDS, decimal=decimal, source=source)
    elif fmt == "xlsx":
        notes = exports.export_notes(release, scope)
        records = _labelled(records_stream(rows))
        yield exports.xlsx_bytes(cols, records, _("Directory"), notes, kinds=KINDS, notes_title=_("About"))
    else:
        metadata = {
            "territory": scope.as_json(),
            "release": {"vintage": release.vintage.isoformat(), "synthetic": release.synthetic},
            "filters": filters.as_params(),
            "licence": "Licence Ouverte 2.0 (INSEE SIRENE, ANCT)",
        }
        properties = [key for key, _header in cols if key not in ("lon", "lat")]
        yield from exports.geojson_chunks(records_stream(rows), properties, metadata)
