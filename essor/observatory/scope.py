"""Which rows of a release belong to a territory, its population, and its reference territory.

A territory is `kind:code` (DESIGN §5). The reference territory is the one a figure is compared with besides
France: the EPCI for a commune or a QPV, the région for an EPCI, France for a département or a région.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Count, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from essor.sirene.territory_filter import territory_q
from essor.territories.identifiers import resolve
from essor.territories.models import Commune, Region

KINDS = ("france", "region", "departement", "epci", "commune", "qpv")
FRANCE_CODE = "FR"


@dataclass
class Scope:
    kind: str
    code: str
    name: str
    population: int | None
    obj: Any = None  # the territory's model instance; None for France

    @property
    def identifier(self) -> str:
        return f"{self.kind}:{self.code}"

    def as_json(self) -> dict:
        return {"kind": self.kind, "code": self.code, "name": self.name}

    def row_filter(self, zone: str = "all") -> Q:
        """The rows of EstablishmentCount / EssEstablishment of this territory and zone: the pipeline's own
        definition (essor.sirene.territory_filter), so the observatory and `essor indicators` agree."""
        return territory_q(self.kind, self.code, zone, self.obj)

    @cached_property
    def reference(self) -> "Scope | None":
        return reference_of(self)

    def territory_url(self) -> str | None:
        """The territory's page (territories app)."""
        try:
            return reverse("territories:detail", kwargs={"kind": self.kind, "code": self.code})
        except NoReverseMatch:
            return None


def france_population() -> int | None:
    total = Region.objects.aggregate(total=Sum("population"))["total"]
    return total or None


def france() -> Scope:
    return Scope("france", FRANCE_CODE, _("France"), france_population())


def get_scope(kind: str, code: str) -> Scope:
    """The territory `kind:code` (resolved by the territories app), or UnknownTerritory."""
    return scope_from_ref(resolve(kind, code))


def scope_from_ref(ref) -> Scope:
    """A Scope from the territories app's TerritoryRef (no query)."""
    if ref.kind == "france":
        return france()
    return Scope(ref.kind, ref.code, ref.name, getattr(ref.obj, "population", None), ref.obj)


def reference_of(scope: Scope) -> Scope | None:
    if scope.kind == "france":
        return None
    if scope.kind in ("region", "departement"):
        return france()
    if scope.kind == "commune":
        commune = scope.obj
        target = commune.parent if commune.parent_id and commune.kind == "arrondissement" else commune
        if target.epci_id:
            return get_scope("epci", target.epci_id)
        return get_scope("departement", target.departement_id) if target.departement_id else france()
    if scope.kind == "qpv":
        commune = scope.obj.communes.exclude(epci=None).order_by("-population").first()
        if commune:
            return get_scope("epci", commune.epci_id)
        return france()
    if scope.kind == "epci":
        communes = Commune.objects.filter(Q(epci_id=scope.code) | Q(ept_id=scope.code)).exclude(region=None)
        top = (
            communes.values("region_id")
            .annotate(people=Sum("population"), n=Count("code"))
            .order_by("-people", "-n")
            .first()
        )
        return get_scope("region", top["region_id"]) if top else france()
    return None
