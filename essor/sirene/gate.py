"""The release gate: a release that looks broken is not switched in (without `--force`); the report says why.

Checked after the pipeline, before anything is written to the database (docs/methodology.md, "Release gate"):
- every input file: malformed lines (counted exactly) at most MAX_MALFORMED_SHARE of its lines; values outside
  a column's rule at most MAX_INVALID_SHARE of its rows;
- the establishments file has data rows, some active establishments are kept, and the rows set aside are at
  most MAX_REJECTED_SHARE of the active ones;
  (each rule allows at least MAX_MALFORMED_FLOOR rows, so that a few odd lines never stop a release);
- a synthetic release (the demo, drawn from the whole COG) may meet a partial territorial reference: the share
  set aside and the comparisons below apply to real releases only;
- for a real release, against the real release serving: active establishments at least MIN_ACTIVE_RATIO of
  its count, and the ESS count within MAX_ESS_CHANGE of its count.
"""

from __future__ import annotations

from dataclasses import dataclass

from essor.sirene import formats

MAX_MALFORMED_SHARE = 0.001
MAX_MALFORMED_FLOOR = 10
MAX_INVALID_SHARE = 0.01
MAX_REJECTED_SHARE = 0.05
MIN_ACTIVE_RATIO = 0.98
MAX_ESS_CHANGE = 0.10


class ReleaseRefused(formats.SireneInputError):
    """The gate refused the release; the message lists every reason."""


@dataclass
class Serving:
    pk: int
    vintage: str
    active: int
    ess: int


def reasons(report: dict, summary: dict, inputs: dict, serving: Serving | None, synthetic: bool) -> list[str]:
    found = []
    for role, item in inputs.items():
        malformed = report.get("malformed_lines", {}).get(role, {})
        lines = item.rows or 0
        allowed = max(MAX_MALFORMED_FLOOR, int(lines * MAX_MALFORMED_SHARE))
        if malformed.get("count", 0) > allowed:
            first = (malformed.get("sample") or [{}])[0].get("line")
            found.append(
                f"{item.label}: {malformed['count']:,} of {lines:,} lines are malformed (first at line {first}); "
                f"the rule allows {allowed:,} (an unclosed quote or a truncated file?)"
            )
        for column, bad in report.get("invalid_values", {}).get(role, {}).items():
            if bad["count"] > max(MAX_MALFORMED_FLOOR, bad["rows"] * MAX_INVALID_SHARE):
                values = ", ".join(repr(v) for v in bad["sample"])
                found.append(
                    f"{item.label}: column {column} has {bad['count']:,} of {bad['rows']:,} values outside its rule "
                    f"(e.g. {values}); the rule allows {MAX_INVALID_SHARE:.0%}"
                )
    etab = inputs.get(formats.ETABLISSEMENTS)
    if etab is not None and not (etab.rows or 0):
        found.append(f"{etab.label}: no data row (a header only?)")
    active_rows = report.get("active_establishments", 0)
    rejected = report.get("rejected", {}).get("count", 0)
    if etab is not None and etab.rows and not summary.get("active"):
        found.append(
            f"{etab.label}: no active establishment kept ({active_rows:,} active, {rejected:,} set aside)"
        )
    elif (
        not synthetic
        and active_rows
        and rejected > max(MAX_MALFORMED_FLOOR, active_rows * MAX_REJECTED_SHARE)
    ):
        reasons_text = ", ".join(f"{k} {v:,}" for k, v in report["rejected"]["by_reason"].items())
        found.append(
            f"{rejected:,} of {active_rows:,} active establishments set aside ({reasons_text}); "
            f"the rule allows {MAX_REJECTED_SHARE:.0%}"
        )
    if serving is not None and not synthetic:
        active, ess = summary.get("active", 0), summary.get("ess", 0)
        if active < serving.active * MIN_ACTIVE_RATIO and serving.active - active > MAX_MALFORMED_FLOOR:
            found.append(
                f"{active:,} active establishments, below {MIN_ACTIVE_RATIO:.0%} of the {serving.active:,} of the "
                f"release serving (id {serving.pk}, vintage {serving.vintage})"
            )
        if serving.ess and abs(ess - serving.ess) > max(MAX_MALFORMED_FLOOR, serving.ess * MAX_ESS_CHANGE):
            found.append(
                f"{ess:,} ESS establishments, {ess / serving.ess - 1:+.1%} against the {serving.ess:,} of the release "
                f"serving (id {serving.pk}); the rule allows ±{MAX_ESS_CHANGE:.0%}"
            )
    return found
