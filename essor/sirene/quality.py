"""The public quality report of a release: what the ingestion read, set aside, attributed and fell back on.

Built from the release's stored report (`Release.report`, written by the pipeline) by **allow-listing counts**:
the stored report also holds samples (rejected SIRETs, malformed lines, invalid values, unusable coordinates…)
for the administrators, and those may name a person (a sole proprietor's SIREN, a line of text with a name or an
address). Only integers and the labels below reach `public_report`; a new key of the stored report is not
published until it is added here with its label (docs/methodology.md, "Public quality report").

The admin shows the same labels (`REASONS`, `SOURCES`), so a count reads the same in both places.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from essor.sirene import formats
from essor.sirene.models import AttributionSource, Release, ReleaseStatus

REASONS = {
    "bad_siret": _("SIRET is not 14 digits"),
    "siren_mismatch": _("SIRET does not start with the SIREN"),
    "duplicate_siret": _("duplicate SIRET (first line kept)"),
    "unknown_commune": _("unknown commune code"),
    "no_commune": _("no commune code (establishment abroad)"),
}
# Where the coordinates used for the QPV attribution came from (`location_source` of the pipeline).
LOCATION_SOURCES = {
    "geolocation": _("INSEE geolocation file"),
    "stock": _("coordinates of the establishments file (StockEtablissement)"),
    "none": _("no usable coordinates"),
}
SOURCES = dict(AttributionSource.choices)
ROLES = {
    formats.UNITES_LEGALES: _("Legal units (StockUniteLegale)"),
    formats.ETABLISSEMENTS: _("Establishments (StockEtablissement)"),
    formats.GEOLOCALISATION: _("Geolocation of establishments (INSEE)"),
    formats.ESS_FRANCE: _("ESS France list of ESS companies"),
}
# The steps of an ingestion, as `Release.timings` names them.
STEPS = {
    "checksums": _("checksums of the files"),
    "stage": _("reading the files"),
    "reference": _("territorial reference"),
    "units": _("legal units"),
    "establishments": _("establishments"),
    "geolocation": _("geolocation"),
    "geometry": _("point in QPV"),
    "outputs": _("counts"),
    "write": _("writing to the database"),
    "export": _("Parquet export"),
    "total": _("total"),
}
UNKNOWN_CODES = {
    "commune": _("unknown commune codes (rows set aside)"),
    "legal_category": _("unknown legal categories (units)"),
    "naf": _("unknown activity codes (establishments kept)"),
    "size_band": _("unknown employee size bands (counted as no band)"),
}


@dataclass
class Table:
    """One table of the page: a caption, column headers, rows of a label then counts (None: not measured)."""

    key: str
    caption: str | Promise
    headers: list
    rows: list = field(default_factory=list)

    def add(self, label, *counts) -> None:
        self.rows.append((label, *(_count(c) for c in counts)))


@dataclass
class GateResult:
    passed: bool
    forced: bool
    reasons: int


@dataclass
class InputRow:
    role: str
    name: str
    format: str
    size: int | None
    rows: int | None
    sha256: str


@dataclass
class PublicReport:
    release: Release
    inputs: list[InputRow]
    gate: GateResult | None
    tables: list[Table]


def _count(value) -> int | None:
    """Only integers are published: anything else (a list, a text, a sample) becomes "not measured"."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _get(report: dict, *path):
    value: object = report
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def published_releases():
    """The releases whose quality report the public may read: the ready ones still kept, newest vintage first."""
    return Release.objects.filter(status=ReleaseStatus.READY).order_by("-vintage", "-finished_at", "-pk")


def _inputs(release: Release) -> list[InputRow]:
    rows = []
    for item in release.inputs or []:
        role = str(item.get("role", ""))
        rows.append(InputRow(role=str(ROLES.get(role, role)), name=str(item.get("name", "")),
                             format=str(item.get("format", "")), size=_count(item.get("size")),
                             rows=_count(item.get("rows")), sha256=str(item.get("sha256", ""))))  # fmt: skip
    return rows


def _gate(report: dict) -> GateResult | None:
    gate = report.get("gate")
    if not isinstance(gate, dict):
        return None
    return GateResult(bool(gate.get("passed")), bool(gate.get("forced")), len(gate.get("reasons") or []))


def _reading(report: dict) -> Table:
    table = Table("reading", _("Rows read and set aside"), [_("what"), _("rows")])
    for role, rows in (report.get("rows_read") or {}).items():
        table.add(_("rows read: %(file)s") % {"file": ROLES.get(role, role)}, rows)
    for role, malformed in (report.get("malformed_lines") or {}).items():
        table.add(_("unreadable lines: %(file)s") % {"file": ROLES.get(role, role)}, _get(malformed, "count"))
    table.add(_("active establishments read"), report.get("active_establishments"))
    table.add(_("rows set aside, all reasons"), _get(report, "rejected", "count"))
    for reason, count in (_get(report, "rejected", "by_reason") or {}).items():
        table.add(REASONS.get(reason, reason), count)
    table.add(_("establishments without a legal unit (kept, not ESS)"),
              _get(report, "establishments_without_unit", "count"))  # fmt: skip
    table.add(_("SIRENs found twice in the units file"), _get(report, "units", "duplicate_sirens"))
    table.add(_("former commune codes mapped to today's commune"), report.get("former_commune_codes"))
    for kind, label in UNKNOWN_CODES.items():
        if kind in (report.get("unknown_codes") or {}):
            table.add(label, _get(report, "unknown_codes", kind, "count"))
    for columns in (report.get("invalid_values") or {}).values():
        for column, bad in (columns or {}).items():
            table.add(
                _("values outside the rule of column %(column)s") % {"column": column}, _get(bad, "count")
            )
    return table


def _ess(report: dict) -> Table:
    table = Table("ess", _("ESS classification and fallbacks"), [_("what"), _("establishments")])
    table.add(_("ESS establishments"), _get(report, "ess", "establishments"))
    table.add(_("ESS by INSEE's flag"), _get(report, "ess", "insee_flag"))
    table.add(_("ESS by the statistical-perimeter fallback (empty flag)"), _get(report, "ess", "fallback"))
    if "ess_france_list" in (report.get("ess") or {}):
        table.add(_("ESS by ESS France's list only"), _get(report, "ess", "ess_france_list"))
    table.add(_("legal units the fallback could not test (older nomenclature)"),
              _get(report, "units", "fallback_not_testable_nomenclature"))  # fmt: skip
    table.add(_("establishments whose sector comes from NAF 2025 (correspondence to NAF rév. 2)"),
              _get(report, "sector", "from_naf2025"))  # fmt: skip
    table.add(
        _("establishments without a NAF rév. 2 sector"), _get(report, "sector", "without_naf_rev2_division")
    )
    return table


def _location(report: dict) -> Table:
    table = Table("location", _("Where the coordinates come from"), [_("source"), _("establishments")])
    for source, count in sorted((report.get("locations_by_source") or {}).items()):
        table.add(LOCATION_SOURCES.get(source, source), count)
    for key, label in (
        ("matched", _("found in the geolocation file")),
        ("unmatched", _("absent from the geolocation file")),
        ("unusable_coordinates", _("unusable coordinates in the geolocation file")),
        ("unconvertible_coordinates", _("coordinates that could not be converted")),
        ("unknown_qpv24_codes", _("QPV 2024 codes unknown to the reference (recomputed)")),
        ("unrecognised_qpv24_values", _("unrecognised QPV 2024 values (recomputed)")),
    ):
        if key in (report.get("geolocation") or {}):
            table.add(label, _get(report, "geolocation", key))
    return table


def _attribution(report: dict) -> Table:
    table = Table("attribution", _("QPV attribution by source"),
                  [_("generation and source"), _("establishments"), _("in a QPV")])  # fmt: skip
    for generation, sources in sorted((report.get("qpv_attribution") or {}).items(), reverse=True):
        for source, counts in sorted((sources or {}).items()):
            label = _("QPV %(generation)s — %(source)s") % {
                "generation": generation, "source": SOURCES.get(source, source)}  # fmt: skip
            table.add(label, _get(counts, "establishments"), _get(counts, "in_qpv"))
    return table


def _privacy_and_dates(report: dict) -> Table:
    table = Table("privacy", _("Privacy, dates and employer rule"), [_("what"), _("establishments")])
    table.add(_("partially diffusible establishments (counted, never named)"),
              _get(report, "privacy", "partially_diffusible"))  # fmt: skip
    table.add(_("ESS establishments published without name, address or coordinates"),
              _get(report, "privacy", "masked_ess_establishments"))  # fmt: skip
    table.add(_("invalid creation dates (kept without a date)"), _get(report, "creation_dates", "invalid"))
    table.add(_("implausible creation dates (kept, left out of the creations chart)"),
              _get(report, "creation_dates", "implausible"))  # fmt: skip
    table.add(_("employer by size band but not by employer character"),
              _get(report, "employer_rule", "band_employer_but_character_N"))  # fmt: skip
    table.add(_("employer by employer character but not by size band"),
              _get(report, "employer_rule", "band_not_employer_but_character_O"))  # fmt: skip
    return table


def public_report(release: Release) -> PublicReport:
    """The counts of a release's quality report that may be published, as labelled tables."""
    report = release.report if isinstance(release.report, dict) else {}
    tables = [_reading(report), _ess(report), _location(report), _attribution(report),
              _privacy_and_dates(report)]  # fmt: skip
    return PublicReport(release=release, inputs=_inputs(release), gate=_gate(report),
                        tables=[t for t in tables if t.rows])  # fmt: skip
