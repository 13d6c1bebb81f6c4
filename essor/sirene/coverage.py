"""What a release covers: the départements where it located establishments, and the share of the stock it holds.

Recorded at ingestion (`Release.coverage`) so that pages never show 0 for a territory the files did not contain:
a département is covered when at least one active establishment of the release is located in it (real national
files cover all 101, Mayotte included; an extract or a synthetic sample may cover fewer). `sample_rate` is 1 for a
whole stock; a synthetic sample (the demo) records the generator's scale, so that per-inhabitant figures are
computed on the same share of the population and stay plausible.
"""

from __future__ import annotations

from collections.abc import Iterable


def coverage_of(departements: Iterable[str], sample_rate: float = 1.0) -> dict:
    codes = sorted({code for code in departements if code})
    return {"departements": codes, "sample_rate": float(sample_rate)}


def covered_departements(release) -> set[str] | None:
    """The covered département codes; None for a release recorded before coverage existed (taken as complete)."""
    codes = (release.coverage or {}).get("departements")
    return None if codes is None else set(codes)


def sample_rate(release) -> float:
    rate = (release.coverage or {}).get("sample_rate") or 1.0
    return float(rate) if 0 < float(rate) <= 1 else 1.0


def covers(release, departements: Iterable[str]) -> bool:
    """True when every one of `departements` is covered (a territory with none, e.g. unknown, counts as covered)."""
    covered = covered_departements(release)
    if covered is None:
        return True
    return set(departements) <= covered
