"""The core indicators of DESIGN §5 for any territory and zone, from the active release's count rows.

    core_indicators("epci", "243100518", zone="qpv")  -> the JSON-ready dict of DESIGN §5

Shared by `essor indicators KIND:CODE --json` and the observatory. One aggregate query on EstablishmentCount.
"""

from __future__ import annotations

from django.db.models import Sum

from essor.sirene.models import EstablishmentCount, Family, Release
from essor.sirene.territory_filter import check_zone, territory_q
from essor.territories.identifiers import resolve

FAMILIES = [family.value for family in Family]


class NoRelease(LookupError):
    """No SIRENE release is serving yet."""


def _employees(low: int, high: int, unbounded: int) -> dict:
    # The top band (10,000 and more) has no upper bound: the high estimate is then unknown (null).
    return {"low": low, "high": None if unbounded else high}


def core_indicators(kind: str, code: str, zone: str = "all", release: Release | None = None) -> dict:
    """Raises UnknownTerritory (essor.territories.identifiers), UnknownZone or NoRelease."""
    check_zone(zone)
    ref = resolve(kind, code)
    release = release or Release.objects.active()
    if release is None:
        raise NoRelease("No SIRENE release is serving yet: run `essor sirene ingest`.")
    rows = (
        EstablishmentCount.objects.filter(release=release)
        .filter(territory_q(ref.kind, ref.code, zone, ref.obj))
        .values("is_ess", "family", "employer")
        .annotate(
            n=Sum("establishments"),
            low=Sum("employees_low"),
            high=Sum("employees_high"),
            unbounded=Sum("unbounded"),
        )  # fmt: skip
    )
    active = ess = employer = ess_employer = 0
    by_family = dict.fromkeys(FAMILIES, 0)
    sums = {"all": [0, 0, 0], "ess": [0, 0, 0]}
    for row in rows:
        n = row["n"] or 0
        active += n
        employer += n if row["employer"] else 0
        targets = [sums["all"]]
        if row["is_ess"]:
            ess += n
            ess_employer += n if row["employer"] else 0
            by_family[row["family"]] = by_family.get(row["family"], 0) + n
            targets.append(sums["ess"])
        for target in targets:
            target[0] += row["low"] or 0
            target[1] += row["high"] or 0
            target[2] += row["unbounded"] or 0
    return {
        "territory": {"kind": ref.kind, "code": ref.code, "name": ref.name},
        "zone": zone,
        "release": {"id": release.pk, "vintage": release.vintage.isoformat(), "synthetic": release.synthetic},
        "establishments": {
            "active": active,
            "ess": ess,
            "ess_share": round(ess / active, 6) if active else None,
            "ess_by_family": by_family,
            "employer": employer,
            "ess_employer": ess_employer,
        },
        "employees_estimate": {"all": _employees(*sums["all"]), "ess": _employees(*sums["ess"])},
    }
