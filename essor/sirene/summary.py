"""Human-readable views of releases for the command line: the end-of-ingest summary and the releases table."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from essor.sirene.models import Release


def console_for(stream) -> Console:
    """A rich console on the command's output, wide enough for the tables when it is not a terminal."""
    return Console(file=stream, width=None if getattr(stream, "isatty", lambda: False)() else 160)


def _n(value) -> str:
    return (
        f"{value:,}".replace(",", " ") if isinstance(value, int) else str(value if value is not None else "-")
    )


def print_summary(console: Console, release: Release) -> None:
    summary, report = release.summary or {}, release.report or {}
    table = Table(title=f"Release {release.pk} — vintage {release.vintage:%Y-%m-%d}", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    for role, rows in (report.get("rows_read") or {}).items():
        table.add_row(f"rows read: {role}", _n(rows))
    table.add_row("active establishments (kept)", _n(summary.get("active")))
    table.add_row("ESS establishments", _n(summary.get("ess")))
    for family, count in (summary.get("ess_by_family") or {}).items():
        table.add_row(f"  {family}", _n(count))
    table.add_row("ESS by statistical-perimeter fallback", _n((report.get("ess") or {}).get("fallback")))
    for zone, counts in (summary.get("by_zone") or {}).items():
        table.add_row(f"zone {zone}: active / ESS", f"{_n(counts['active'])} / {_n(counts['ess'])}")
    rejected = report.get("rejected") or {}
    table.add_row("rejected rows", _n(rejected.get("count")))
    for reason, count in (rejected.get("by_reason") or {}).items():
        table.add_row(f"  {reason}", _n(count))
    for role, malformed in (report.get("malformed_lines") or {}).items():
        if malformed.get("count"):
            table.add_row(f"malformed lines: {role}", _n(malformed["count"]))
    for kind, codes in (report.get("unknown_codes") or {}).items():
        table.add_row(f"unknown {kind} codes (rows)", _n(codes.get("count")))
    for generation, sources in (report.get("qpv_attribution") or {}).items():
        parts = ", ".join(f"{source} {_n(v['establishments'])}" for source, v in sources.items())
        table.add_row(f"QPV {generation} attribution", parts)
    for label, value in quality_lines(report):
        table.add_row(label, value)
    table.add_row("total time (s)", _n((release.timings or {}).get("total")))
    console.print(table)


def print_releases(console: Console, limit: int = 20) -> None:
    releases = list(Release.objects.order_by("-created_at", "-pk")[:limit])
    if not releases:
        console.print("No SIRENE release yet: run `essor sirene ingest`.")
        return
    table = Table(title="SIRENE releases")
    for column in (
        "id",
        "vintage",
        "status",
        "serving",
        "synthetic",
        "active",
        "ESS",
        "rejected",
        "time (s)",
        "built",
    ):
        table.add_column(column)
    for release in releases:
        summary, report = release.summary or {}, release.report or {}
        table.add_row(
            str(release.pk),
            f"{release.vintage:%Y-%m-%d}",
            release.status,
            "yes" if release.is_active else "",
            "yes" if release.synthetic else "",
            _n(summary.get("active")),
            _n(summary.get("ess")),
            _n((report.get("rejected") or {}).get("count")),
            _n((release.timings or {}).get("total")),
            f"{release.created_at:%Y-%m-%d %H:%M}" + (f" — {release.error[:60]}" if release.error else ""),
        )
    console.print(table)


def quality_lines(report: dict) -> list[tuple[str, str]]:
    """The report's other categories, one line each (every count of docs/methodology.md)."""
    lines = []
    sources = report.get("locations_by_source") or {}
    if sources:
        lines.append(("located by source", ", ".join(f"{k} {_n(v)}" for k, v in sorted(sources.items()))))
    geo = report.get("geolocation") or {}
    for key in ("unusable_coordinates", "unrecognised_qpv24_values", "unknown_qpv24_codes"):
        if key in geo:
            lines.append((key.replace("_", " "), _n(geo[key])))
    units = report.get("units") or {}
    lines.append(("duplicate SIRENs in the units file", _n(units.get("duplicate_sirens"))))
    lines.append(
        ("fallback not testable (old nomenclature)", _n(units.get("fallback_not_testable_nomenclature")))
    )
    lines.append(
        (
            "establishments without a legal unit",
            _n((report.get("establishments_without_unit") or {}).get("count")),
        )
    )
    lines.append(("former commune codes mapped", _n(report.get("former_commune_codes"))))
    dates = report.get("creation_dates") or {}
    lines.append(
        (
            "creation dates invalid / implausible",
            f"{_n(dates.get('invalid'))} / {_n(dates.get('implausible'))}",
        )
    )
    employer = report.get("employer_rule") or {}
    if employer:
        lines.append(("employer: band yes, character N / band no, character O",
                      f"{_n(employer.get('band_employer_but_character_N'))} / "
                      f"{_n(employer.get('band_not_employer_but_character_O'))}"))  # fmt: skip
    privacy = report.get("privacy") or {}
    lines.append(("partially diffusible / masked ESS", f"{_n(privacy.get('partially_diffusible'))} / "
                  f"{_n(privacy.get('masked_ess_establishments'))}"))  # fmt: skip
    sector = report.get("sector") or {}
    lines.append(("NAF 2025 rows / without a NAF rév. 2 sector",
                  f"{_n(sector.get('from_naf2025'))} / {_n(sector.get('without_naf_rev2_division'))}"))  # fmt: skip
    for columns in (report.get("invalid_values") or {}).values():
        for column, bad in columns.items():
            lines.append((f"values outside the rule: {column}", _n(bad.get("count"))))
    ess_france = report.get("ess_france")
    if ess_france:
        lines.append(("ESS France list: INSEE-ESS not in list / list not INSEE-ESS",
                      f"{_n(ess_france['insee_ess_not_in_list'])} / {_n(ess_france['list_not_insee_ess'])}"))  # fmt: skip
    gate = report.get("gate") or {}
    if gate:
        state = "passed" if gate.get("passed") else ("forced" if gate.get("forced") else "refused")
        lines.append(
            ("release gate", state + ("" if gate.get("passed") else ": " + "; ".join(gate["reasons"])))
        )
    return lines
