"""The `kind:code` contract (DESIGN §5): parse an identifier, resolve a territory, walk up the hierarchy.

    >>> parse_identifier("commune:31555")
    ('commune', '31555')
    >>> ref = resolve("qpv", "QN03104M")      # TerritoryRef(kind="qpv", code="QN03104M", name=..., obj=<Qpv>)
    >>> ref.identifier, ref.get_absolute_url()
    ('qpv:QN03104M', '/fr/territoires/qpv/QN03104M/')

Codes are text, never integers (`2A`, `01`, `971`). Kinds: france, region, departement, epci (also EPT),
commune (also arrondissements municipaux and communes déléguées), qpv (2024 `QN…` and 2015 `QP…`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from essor.territories.models import Commune, Departement, Epci, Qpv, Region

FRANCE_CODE = "FR"

# Ordered from the largest to the smallest territory; labels are for people (translated).
KINDS = {
    "france": _("France"),
    "region": _("region"),
    "departement": _("département"),
    "epci": _("EPCI"),
    "commune": _("commune"),
    "qpv": _("QPV"),
}

MODELS: dict[str, Any] = {
    "region": Region,
    "departement": Departement,
    "epci": Epci,
    "commune": Commune,
    "qpv": Qpv,
}

# What a well-formed code looks like, per kind (checked before any database query).
CODE_PATTERNS = {
    "france": re.compile(r"^FR$", re.ASCII),
    "region": re.compile(r"^\d{2,3}$", re.ASCII),
    "departement": re.compile(r"^(\d{2}|2A|2B|\d{3})$", re.ASCII),
    "epci": re.compile(r"^\d{9}$", re.ASCII),
    "commune": re.compile(r"^(\d{5}|2A\d{3}|2B\d{3})$", re.ASCII),
    "qpv": re.compile(r"^(QN[0-9AB]{3}[0-9]{2}[A-Z]|QP[0-9AB]{3}[0-9]{3})$", re.ASCII),
}


class UnknownTerritory(LookupError):
    """No territory of that kind has that code in the loaded reference."""


def normalize_code(kind: str, code: str) -> str:
    """Codes as stored: trimmed, upper case (`2a` -> `2A`, `qn03104m` -> `QN03104M`, `fr` -> `FR`)."""
    return str(code).strip().upper()


def parse_identifier(text: str) -> tuple[str, str]:
    """`"commune:31555"` -> `("commune", "31555")`; ValueError with a message saying what is wrong."""
    if not isinstance(text, str) or ":" not in text:
        raise ValueError(f"{text!r} is not a territory identifier: expected KIND:CODE, e.g. commune:31555.")
    kind, _sep, code = text.partition(":")
    kind = kind.strip().lower()
    if kind not in KINDS:
        raise ValueError(f"Unknown territory kind {kind!r} in {text!r}: expected one of {', '.join(KINDS)}.")
    code = normalize_code(kind, code)
    if not CODE_PATTERNS[kind].match(code):
        raise ValueError(f"{code!r} is not a valid {kind} code (in {text!r}).")
    return kind, code


@dataclass(frozen=True)
class TerritoryRef:
    kind: str
    code: str
    name: str
    obj: Any = None  # the model instance; None for France

    @property
    def identifier(self) -> str:
        return f"{self.kind}:{self.code}"

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    def get_absolute_url(self) -> str:
        return reverse("territories:detail", kwargs={"kind": self.kind, "code": self.code})

    def __str__(self) -> str:
        return self.name

    @classmethod
    def of(cls, obj) -> TerritoryRef:
        """The reference of a model instance (Region, Departement, Epci, Commune or Qpv)."""
        for kind, model in MODELS.items():
            if isinstance(obj, model):
                return cls(kind=kind, code=obj.pk, name=obj.name, obj=obj)
        raise TypeError(f"{obj!r} is not a territory.")

    def parent(self) -> TerritoryRef | None:
        """The next level up (the last breadcrumb), or None for France."""
        chain = self.parent_chain()
        return chain[-1] if chain else None

    def parent_chain(self) -> list[TerritoryRef]:
        """Every level above this one, from France down to the direct parent (breadcrumb order), not self.

        Computed once per reference: the page, its breadcrumbs and the sections other apps add all ask.
        """
        return list(self._ancestors)

    @property
    def region_code(self) -> str | None:
        """The code of the région this territory is in (itself for a région), None for France and overseas
        territories without one."""
        return next((level.code for level in [*self.parent_chain(), self] if level.kind == "region"), None)

    @cached_property
    def _ancestors(self) -> tuple[TerritoryRef, ...]:
        return tuple(self._walk_up())

    def _walk_up(self) -> list[TerritoryRef]:
        """QPV -> its most populous commune -> (EPT ->) EPCI -> département -> région -> France. An
        arrondissement municipal or a commune déléguée goes through its commune. An EPCI on its own goes to
        the département holding most of its communes (an EPCI may straddle départements).
        """
        obj = self.obj
        if self.kind == "france":
            return []
        if self.kind == "region":
            return [france()]
        if self.kind == "departement":
            return _up_to(obj.region, None)
        if self.kind == "epci":
            departement = _main_departement(obj)
            chain = _up_to(departement.region if departement else None, departement)
            if obj.parent_id:  # an EPT sits in the Métropole du Grand Paris
                chain.append(TerritoryRef.of(obj.parent))
            return chain
        if self.kind == "commune":
            if obj.parent_id:  # arrondissement municipal, commune déléguée or associée
                parent = TerritoryRef.of(obj.parent)
                return parent.parent_chain() + [parent]
            chain = _up_to(obj.region, obj.departement)
            chain += [TerritoryRef.of(epci) for epci in (obj.epci, obj.ept) if epci is not None]
            return chain
        if self.kind == "qpv":
            communes = obj.communes.select_related("region", "departement", "epci", "ept", "parent")
            commune = communes.order_by(F("population").desc(nulls_last=True), "code").first()
            if commune is None:
                return _up_to(obj.departement.region if obj.departement_id else None, obj.departement)
            ref = TerritoryRef.of(commune)
            return ref.parent_chain() + [ref]
        raise AssertionError(self.kind)


def _up_to(region, departement) -> list[TerritoryRef]:
    chain = [france()]
    chain += [TerritoryRef.of(item) for item in (region, departement) if item is not None]
    return chain


def france() -> TerritoryRef:
    return TerritoryRef(kind="france", code=FRANCE_CODE, name=str(_("France")), obj=None)


def resolve(kind: str, code: str) -> TerritoryRef:
    """The territory `kind:code`; UnknownTerritory (a LookupError) when the kind or code is unknown."""
    kind = (kind or "").strip().lower()
    code = normalize_code(kind, code or "")
    if kind == "france":
        if code != FRANCE_CODE:
            raise UnknownTerritory(f"france:{code} does not exist (use france:FR).")
        return france()
    model = MODELS.get(kind)
    if model is None:
        raise UnknownTerritory(f"Unknown territory kind {kind!r}: expected one of {', '.join(KINDS)}.")
    related = {
        "departement": ["region"],
        "commune": ["region", "departement", "epci", "ept", "parent"],
        "epci": ["parent"],
        "qpv": ["departement__region"],
    }
    try:
        queryset = model.objects.select_related(*related[kind]) if kind in related else model.objects
        obj = queryset.get(pk=code)
    except model.DoesNotExist:
        raise UnknownTerritory(f"No {kind} with code {code!r} in the territorial reference.") from None
    return TerritoryRef(kind=kind, code=obj.pk, name=obj.name, obj=obj)


def resolve_identifier(text: str) -> TerritoryRef:
    """`resolve(*parse_identifier(text))`: ValueError if malformed, UnknownTerritory if absent."""
    return resolve(*parse_identifier(text))


def _main_departement(epci: Epci) -> Departement | None:
    """The département holding most of an EPCI's communes (an EPCI may straddle départements)."""
    codes: Counter[str | None] = Counter(
        Commune.objects.filter(epci=epci, parent__isnull=True).values_list("departement_id", flat=True)
    )
    codes.pop(None, None)
    if not codes:
        codes = Counter(Commune.objects.filter(ept=epci).values_list("departement_id", flat=True))
        codes.pop(None, None)
    if not codes:
        return None
    return Departement.objects.select_related("region").filter(pk=codes.most_common(1)[0][0]).first()
