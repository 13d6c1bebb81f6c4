"""Where an experience happened: its territory identifier (`kind:code`), its région, and a point for the map.

The catalogue describes territories in free French text ("Dijon (quartier des Grésilles)"). Each label of the real
catalogue was matched by hand to the most precise territory of the official reference (checked against COG 2026 and
the QPV 2024 list); labels covering several places across France are national (`france:FR`), and are listed beside
the map rather than drawn on it. A new label starting with "France" is national; any other new label stays
unmatched (reported by the loader) until an editor sets its identifier in the admin.

The reference has no commune coordinates, so the point is the mean centre of the QPV 2024 contours of the territory
(a QPV's own centre; a commune's, EPCI's or département's QPVs; a région's chef-lieu's QPVs). It is approximate
(within the town) and only computed when the territorial reference is loaded.
"""

import gzip
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import Avg, F, Q

from essor.resources.search import normalise

NATIONAL = ("france:FR", "")

# label as written in experiences.csv -> (identifier, région code)
KNOWN_TERRITORIES = {
    "Salon-de-Provence (Bouches-du-Rhône), Provence-Alpes-Côte d'Azur": ("commune:13103", "93"),
    "Strasbourg (Alsace, Grand Est)": ("commune:67482", "44"),
    "Agglomérations de Strasbourg, Colmar, Saint-Louis et Cernay (Alsace)": ("region:44", "44"),
    "Région Grand Est (dont Mulhouse)": ("region:44", "44"),
    "Plaine Commune (Seine-Saint-Denis)": ("epci:200057867", "11"),
    "Plaine Commune puis département de la Seine-Saint-Denis": ("departement:93", "11"),
    "Dijon (quartier des Grésilles)": ("qpv:QN02103M", "27"),
    "Strasbourg (cité Ampère)": ("qpv:QN06718I", "44"),
    "Laxou (agglomération nancéienne), quartier des Provinces": ("qpv:QN05413I", "44"),
    "Lille (quartier Fives-Cail)": ("commune:59350", "32"),
    # Hellemmes is a commune associée of Lille.
    "Hellemmes (Lille)": ("commune:59350", "32"),
    "Établissement public territorial Grand-Orly Seine Bièvre (Val-de-Marne, Essonne)": (
        "epci:200058014",
        "11",
    ),
    "Communauté d'agglomération du Pays de Grasse (Alpes-Maritimes)": ("epci:200039857", "93"),
    # Four towns in three régions: national.
    "Villeurbanne (Saint-Jean) ; Paris 13e (Oudiné-Chevaleret, Bédier-Boutroux) ; Métropole européenne de Lille "
    "(Loos – Les Oliveaux, Tourcoing – Phalempin) ; Thiers (Centre ancien, Molles-Cizolles)": NATIONAL,
}


@dataclass
class Place:
    identifier: str = ""
    region_code: str = ""

    @property
    def matched(self) -> bool:
        return bool(self.identifier)


def match_territory(label: str) -> Place:
    label = label.strip()
    if label in KNOWN_TERRITORIES:
        return Place(*KNOWN_TERRITORIES[label])
    if label.lower().startswith("france"):
        return Place(*NATIONAL)
    return _search_reference(label)


def _search_reference(label: str) -> Place:
    from essor.territories.search import EXACT, search

    head = re.split(r"[(,;]", label, maxsplit=1)[0].strip()
    exact = [r for r in search(head, limit=5) if r.score <= EXACT] if head else []
    if not exact:
        return Place()
    # "Toulouse" names both the commune and (without its generic words) Toulouse Métropole: prefer the same name.
    same_name = [r for r in exact if normalise(r.name) == normalise(head)]
    best = (same_name or exact)[0]
    chain = [best.ref, *best.ref.parent_chain()]
    region = next((ref.code for ref in chain if ref.kind == "region"), "")
    return Place(best.identifier, region)


def qpv_centre(identifier: str) -> tuple[float, float] | None:
    """(longitude, latitude) of the mean centre of the territory's QPV 2024 contours, or None."""
    from essor.territories.models import Qpv, QpvGeneration, Region

    if ":" not in identifier:
        return None
    kind, code = identifier.split(":", 1)
    qpvs = Qpv.objects.filter(generation=QpvGeneration.QPV_2024)
    if kind == "qpv":
        qpvs = Qpv.objects.filter(code=code)
    elif kind == "commune":
        qpvs = qpvs.filter(Q(communes__code=code) | Q(communes__parent__code=code))
    elif kind == "epci":
        qpvs = qpvs.filter(Q(communes__epci__code=code) | Q(communes__ept__code=code))
    elif kind == "departement":
        qpvs = qpvs.filter(departement__code=code)
    elif kind == "region":
        chef_lieu = Region.objects.filter(code=code).values_list("chef_lieu", flat=True).first()
        if not chef_lieu:
            return None
        qpvs = qpvs.filter(communes__code=chef_lieu)
    else:
        return None
    centre = qpvs.distinct().aggregate(
        lon=Avg((F("min_lon") + F("max_lon")) / 2), lat=Avg((F("min_lat") + F("max_lat")) / 2)
    )
    if centre["lon"] is None:
        return None
    return round(centre["lon"], 5), round(centre["lat"], 5)


@cache
def region_names() -> dict[str, str]:
    """INSEE région code -> name, from the vendored official geography (works before the reference is loaded)."""
    path = (
        Path(__file__).resolve().parents[1] / "territories/data/decoupage-administratif-6.0.0/regions.json.gz"
    )
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return {r["code"]: r["nom"] for r in json.load(handle)}
    except OSError:
        return {}


def region_name(code: str) -> str:
    return region_names().get(code, code)
