"""Which rows of a release (EstablishmentCount or EssEstablishment: same location fields) belong to a territory
and a zone.

Zones (DESIGN §5): `qpv` inside a QPV 2024, `proximite` outside but within 300 m of one, `hors_qpv` the rest of
the territory (unlocated establishments included), `all` the whole territory.
For a QPV itself: `all` and `qpv` are the establishments inside it, `proximite` those outside every QPV whose
nearest QPV within 300 m is this one, `hors_qpv` is empty. A QPV 2015 has `all` = `qpv` (attributed to it) and
no band (the 300 m band is computed for the 2024 generation only). An EPT goes through its communes, since the
rows carry the EPCI (the Métropole du Grand Paris). An arrondissement municipal has its own code on the rows;
a commune déléguée or associée is counted in its commune (SIRENE codes are mapped to it).
"""

from __future__ import annotations

from django.db.models import Q

from essor.sirene.models import Zone
from essor.territories.models import Commune, CommuneKind, EpciNature, QpvGeneration, qpv_generation_of

ZONES = ("all", *Zone.values)  # the whole territory, then the zones a row is located in (sirene.models.Zone)
NOTHING = Q(pk__in=[])


class UnknownZone(ValueError):
    pass


def check_zone(zone: str) -> str:
    if zone not in ZONES:
        raise UnknownZone(f"Unknown zone {zone!r}: expected one of {', '.join(ZONES)}.")
    return zone


def location_q(kind: str, code: str, obj=None) -> Q:
    """The rows located in the territory, all zones."""
    if kind == "france":
        return Q()
    if kind == "qpv":
        return Q(qpv15_code=code) if qpv_generation_of(code) == QpvGeneration.QPV_2015 else Q(qpv24_code=code)
    if kind == "epci" and getattr(obj, "nature", None) == EpciNature.EPT:
        return Q(commune_code__in=list(Commune.objects.filter(ept_id=code).values_list("code", flat=True)))
    if kind == "commune" and getattr(obj, "kind", None) == CommuneKind.ARRONDISSEMENT:
        return Q(arrondissement_code=code)
    if kind in ("region", "departement", "epci", "commune"):
        return Q(**{f"{kind}_code": code})
    raise ValueError(f"Unknown territory kind {kind!r}.")


def outside_qpvs_q(commune_codes: list[str], generation: int = QpvGeneration.QPV_2024) -> Q:
    """The rows of these communes outside every QPV of the generation: for 2024 the zones `proximite` and
    `hors_qpv` (unlocated establishments included, as in `hors_qpv`); for 2015, the rows attributed to no QPV 2015.
    The "rest of its commune(s)" a QPV page compares the QPV with."""
    if not commune_codes:
        return NOTHING
    base = Q(commune_code__in=sorted(commune_codes))
    if generation == QpvGeneration.QPV_2015:
        return base & Q(qpv15_code="")
    return base & Q(zone__in=("proximite", "hors_qpv"))


def territory_q(kind: str, code: str, zone: str = "all", obj=None) -> Q:
    """The rows of the territory in the zone."""
    check_zone(zone)
    if kind == "qpv":
        if zone in ("all", "qpv"):
            return location_q(kind, code)
        if zone == "proximite" and qpv_generation_of(code) == QpvGeneration.QPV_2024:
            return Q(near_qpv24_code=code, zone="proximite")
        return NOTHING
    base = location_q(kind, code, obj)
    return base if zone == "all" else base & Q(zone=zone)
