"""Is a territory covered by a release? Pages and API say "not covered by this release" rather than show 0.

A territory is covered when every département it lies in is covered by the release (essor.sirene.coverage):
France needs all of them, a région all of its own, an EPCI those of its communes. Per-inhabitant figures divide by
the population times the release's sample rate (1 for real files; the synthetic demo is a 1/200 sample).
"""

from __future__ import annotations

from django.db.models import Q

from essor.observatory.scope import Scope
from essor.sirene.coverage import covered_departements, covers, sample_rate
from essor.territories.models import Commune, Departement


def scope_departements(scope: Scope) -> set[str]:
    """The codes of the départements the territory lies in."""
    if scope.kind == "france":
        return set(Departement.objects.values_list("code", flat=True))
    if scope.kind == "region":
        return set(Departement.objects.filter(region_id=scope.code).values_list("code", flat=True))
    if scope.kind == "departement":
        return {scope.code}
    if scope.kind == "epci":
        return epci_departements([scope.code]).get(scope.code, set())
    if scope.kind == "commune":
        return {scope.obj.departement_id} if scope.obj is not None and scope.obj.departement_id else set()
    if scope.kind == "qpv" and scope.obj is not None:
        codes = set(scope.obj.communes.values_list("departement_id", flat=True))
        return {code for code in codes | {scope.obj.departement_id} if code}
    return set()


def epci_departements(codes: list[str]) -> dict[str, set[str]]:
    """{EPCI or EPT code: its départements}, in one query."""
    found: dict[str, set[str]] = {}
    rows = (
        Commune.objects.filter(Q(epci_id__in=codes) | Q(ept_id__in=codes))
        .exclude(departement=None)
        .values_list("epci_id", "ept_id", "departement_id")
        .distinct()
    )
    for epci, ept, departement in rows:
        for code in (epci, ept):
            if code in codes:
                found.setdefault(code, set()).add(departement)
    return found


def is_covered(release, scope: Scope) -> bool:
    if covered_departements(release) is None:
        return True
    return covers(release, scope_departements(scope))


def per_1000(count: int | None, population: int | None, release) -> float | None:
    """`count` per 1,000 inhabitants, on the share of the population the release samples."""
    if count is None or not population:
        return None
    return 1000 * count / (population * sample_rate(release))
