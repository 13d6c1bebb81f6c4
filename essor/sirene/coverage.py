"""What a release covers: the départements where it located establishments, and the share of the stock it holds.

Recorded at ingestion (`Release.coverage`) so that pages never show 0 for a territory the files did not contain:
a département is covered when at least one active establishment of the release is located in it (real national
files cover all 101, Mayotte included; an extract or a synthetic sample may cover fewer). `sample_rate` is 1 for a
whole stock; a synthetic sample (the demo) records the generator's scale, so that per-inhabitant figures are
computed on the same share of the population and stay plausible.
"""

from __future__ import annotations

from collections.abc import Iterable

# The SIRENE register covers mainland France, the five overseas départements and three collectivités
# (Saint-Pierre-et-Miquelon 975, Saint-Barthélemy 977, Saint-Martin 978). New Caledonia, French Polynesia and
# Wallis-and-Futuna keep registers of their own (RIDET, ISPF, CCIMA) and the TAAF have no commune: the official
# geography lists them as départements, but no SIRENE release can cover them. France is covered when every
# département inside the register is; a territory lying only outside it is never covered.
OUTSIDE_REGISTER = frozenset({"984", "986", "987", "988", "989"})


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
    """True when every one of `departements` inside the register is covered (a territory with none, e.g. unknown,
    counts as covered; one lying only outside the register, e.g. a commune of New Caledonia, never does)."""
    wanted = set(departements)
    in_register = wanted - OUTSIDE_REGISTER
    if wanted and not in_register:
        return False
    covered = covered_departements(release)
    if covered is None:
        return True
    return in_register <= covered
