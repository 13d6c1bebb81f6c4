"""What a territory page shows: its reference figures, what it contains, and the QPV contours of its map.

Every function runs a small, fixed number of queries whatever the size of the territory (no per-row query),
and never loads contours it does not draw.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from essor.territories.identifiers import TerritoryRef
from essor.territories.models import Commune, CommuneKind, Departement, Epci, Qpv, QpvCrosswalk, Region

QPV_2024 = 2024
QPV_2015 = 2015
# Columns of the Qpv table needed to list QPVs (the contours are large: never load them for lists).
QPV_LIST_FIELDS = ["code", "name", "generation", "population", "departement_id"]
# Mainland France, for the national map (overseas QPVs would otherwise zoom the map out to the whole world).
MAINLAND_BOUNDS = [[41.3, -5.2], [51.1, 9.6]]


def sort_key(name: str) -> str:
    """Alphabetical order as people expect it: accents and case ignored (Île-de-France between Hauts and
    Normandie, not after Occitanie as a byte order would put it)."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


@dataclass
class Listing:
    """A titled list of territories contained in (or linked to) the page's territory."""

    key: str
    title: str
    items: list = field(default_factory=list)  # model instances (Region, Departement, Epci, Commune, Qpv)
    kind: str = ""
    sort: bool = (
        True  # by name; False keeps the order given (départements by code, arrondissements by number)
    )

    def __post_init__(self):
        if self.sort:
            self.items = sorted(self.items, key=lambda item: sort_key(item.name))


@dataclass
class Contents:
    population: int | None = None
    communes: int | None = None
    qpv_2024: int | None = None
    qpv_2015: int | None = None
    qpv_2024_overseas: int | None = None  # France only: of qpv_2024, those in the overseas départements
    qpv_2024_mainland: int | None = None  # France only: the others (mainland France, Corsica included)
    area_km2: float | None = None
    density: float | None = None  # a QPV's inhabitants per km² of its contour
    population_load: object | None = None  # a QPV 2024's QpvPopulationLoad (source, vintage, loaded_at)
    listings: list[Listing] = field(default_factory=list)
    crosswalk: list = field(default_factory=list)  # QpvCrosswalk rows (QPV 2015 <-> 2024)
    map_qpvs: QuerySet | None = None  # the QPVs whose contours the map draws
    map_points: bool = False  # draw QPVs as points (national map) rather than contours


def qpvs_of(ref: TerritoryRef, generation: int = QPV_2024) -> QuerySet:
    """The QPVs of a territory, lightest columns only, by code (a QPV's own: itself, whatever its generation)."""
    obj = ref.obj
    if ref.kind == "qpv":
        return Qpv.objects.filter(pk=obj.pk).only(*QPV_LIST_FIELDS)
    qpvs = Qpv.objects.filter(generation=generation).only(*QPV_LIST_FIELDS)
    if ref.kind == "france":
        return qpvs
    if ref.kind == "region":
        return qpvs.filter(departement__region=obj)
    if ref.kind == "departement":
        return qpvs.filter(departement=obj)
    if ref.kind == "epci":
        return qpvs.filter(Q(communes__epci=obj) | Q(communes__ept=obj)).distinct()
    if ref.kind == "commune":
        return qpvs.filter(Q(communes=obj) | Q(communes__parent=obj)).distinct()
    raise AssertionError(ref.kind)


def _with_communes(qpvs: QuerySet) -> list[Qpv]:
    """QPVs with the names of their communes (one more query for the whole list), to say where each one is."""
    return list(qpvs.prefetch_related(Prefetch("communes", queryset=Commune.objects.only("code", "name"))))


def _communes(queryset: QuerySet) -> QuerySet:
    return queryset.filter(kind=CommuneKind.COMMUNE).only("code", "name", "population", "kind")


def contents_of(ref: TerritoryRef) -> Contents:
    builder = {
        "france": _france,
        "region": _region,
        "departement": _departement,
        "epci": _epci,
        "commune": _commune,
        "qpv": _qpv,
    }[ref.kind]
    return builder(ref)


def _france(ref: TerritoryRef) -> Contents:
    regions = list(
        Region.objects.annotate(
            qpv_count=Count("departements__qpvs", filter=Q(departements__qpvs__generation=QPV_2024))
        ).order_by("name")
    )
    counts = Qpv.objects.aggregate(
        qpv_2024=Count("pk", filter=Q(generation=QPV_2024)),
        qpv_2024_overseas=Count("pk", filter=Q(generation=QPV_2024, departement__code__startswith="97")),
        qpv_2015=Count("pk", filter=Q(generation=QPV_2015)),
    )
    return Contents(
        population=sum(region.population or 0 for region in regions) or None,
        communes=Commune.objects.filter(kind=CommuneKind.COMMUNE).count(),
        qpv_2024=counts["qpv_2024"],
        qpv_2024_overseas=counts["qpv_2024_overseas"],
        qpv_2024_mainland=counts["qpv_2024"] - counts["qpv_2024_overseas"],
        qpv_2015=counts["qpv_2015"],
        listings=[Listing("regions", _("Régions"), regions, "region")],
        map_qpvs=qpvs_of(ref),
        map_points=True,
    )


def _region(ref: TerritoryRef) -> Contents:
    region = ref.obj
    departements = list(
        Departement.objects.filter(region=region)
        .annotate(qpv_count=Count("qpvs", filter=Q(qpvs__generation=QPV_2024)))
        .order_by("code")
    )
    epcis = list(
        Epci.objects.filter(communes__region=region, parent__isnull=True)
        .distinct()
        .only("code", "name", "nature", "population")
        .order_by("name")
    )
    qpvs = _with_communes(qpvs_of(ref))
    return Contents(
        population=region.population,
        communes=_communes(Commune.objects.filter(region=region)).count(),
        qpv_2024=len(qpvs),
        qpv_2015=qpvs_of(ref, QPV_2015).count(),
        listings=[
            Listing("departements", _("Départements"), departements, "departement", sort=False),
            Listing("epcis", _("EPCI"), epcis, "epci"),
            Listing("qpvs", _("QPV 2024"), qpvs, "qpv"),
        ],
        map_qpvs=qpvs_of(ref),
    )


def _departement(ref: TerritoryRef) -> Contents:
    departement = ref.obj
    communes = list(_communes(Commune.objects.filter(departement=departement)).order_by("name"))
    epcis = list(
        Epci.objects.filter(communes__departement=departement, parent__isnull=True)
        .distinct()
        .only("code", "name", "nature", "population")
        .order_by("name")
    )
    qpvs = _with_communes(qpvs_of(ref))
    qpvs_2015 = _with_communes(qpvs_of(ref, QPV_2015))
    return Contents(
        population=departement.population,
        communes=len(communes),
        qpv_2024=len(qpvs),
        qpv_2015=len(qpvs_2015),
        listings=[
            Listing("epcis", _("EPCI"), epcis, "epci"),
            Listing("communes", _("Communes"), communes, "commune"),
            Listing("qpvs", _("QPV 2024"), qpvs, "qpv"),
            Listing("qpvs_2015", _("QPV 2015 (former generation)"), qpvs_2015, "qpv"),
        ],
        map_qpvs=qpvs_of(ref),
    )


def _epci(ref: TerritoryRef) -> Contents:
    epci = ref.obj
    communes = list(_communes(Commune.objects.filter(Q(epci=epci) | Q(ept=epci))).distinct().order_by("name"))
    qpvs = _with_communes(qpvs_of(ref))
    listings = []
    if epci.children.exists():  # the Métropole du Grand Paris and its EPTs
        listings.append(
            Listing(
                "epts",
                _("Territorial public bodies (EPT)"),
                list(epci.children.only("code", "name", "nature", "population").order_by("name")),
                "epci",
            )
        )
    listings += [
        Listing("communes", _("Communes"), communes, "commune"),
        Listing("qpvs", _("QPV 2024"), qpvs, "qpv"),
        Listing(
            "qpvs_2015", _("QPV 2015 (former generation)"), _with_communes(qpvs_of(ref, QPV_2015)), "qpv"
        ),
    ]
    return Contents(
        population=epci.population or sum(commune.population or 0 for commune in communes) or None,
        communes=len(communes),
        qpv_2024=len(qpvs),
        listings=listings,
        map_qpvs=qpvs_of(ref),
    )


def _commune(ref: TerritoryRef) -> Contents:
    commune = ref.obj
    parts = list(commune.parts.only("code", "name", "population", "kind").order_by("code"))
    qpvs = list(qpvs_of(ref))
    return Contents(
        population=commune.population,
        qpv_2024=len(qpvs),
        listings=[
            Listing("parts", _("Arrondissements and communes déléguées"), parts, "commune", sort=False),
            Listing("qpvs", _("QPV 2024"), qpvs, "qpv"),
            Listing("qpvs_2015", _("QPV 2015 (former generation)"), list(qpvs_of(ref, QPV_2015)), "qpv"),
        ],
        map_qpvs=qpvs_of(ref),
    )


def _qpv(ref: TerritoryRef) -> Contents:
    qpv = ref.obj
    communes = list(
        qpv.communes.select_related("epci", "ept").only(
            "code", "name", "population", "kind", "epci__code", "epci__name", "ept__code", "ept__name"
        )
    )
    epcis = {}
    for commune in communes:
        for epci in (commune.epci, commune.ept):
            if epci is not None:
                epcis[epci.pk] = epci
    if qpv.generation == QPV_2015:
        crosswalk = QpvCrosswalk.objects.filter(qpv_2015=qpv).select_related("qpv_2024")
        crosswalk = crosswalk.only(
            "share_of_2015_area",
            "share_of_2024_area",
            "qpv_2015_id",
            "qpv_2024__code",
            "qpv_2024__name",
            "qpv_2024__generation",
        )
        map_qpvs = Qpv.objects.filter(Q(pk=qpv.pk) | Q(crosswalk_from_2015__qpv_2015=qpv)).distinct()
    else:
        crosswalk = QpvCrosswalk.objects.filter(qpv_2024=qpv).select_related("qpv_2015")
        crosswalk = crosswalk.only(
            "share_of_2015_area",
            "share_of_2024_area",
            "qpv_2024_id",
            "qpv_2015__code",
            "qpv_2015__name",
            "qpv_2015__generation",
        )
        map_qpvs = Qpv.objects.filter(Q(pk=qpv.pk) | Q(crosswalk_to_2024__qpv_2024=qpv)).distinct()
    return Contents(
        population=qpv.population,
        communes=len(communes),
        area_km2=qpv.area_km2,
        density=qpv.density,
        population_load=qpv.population_load if qpv.population_load_id else None,
        listings=[
            Listing("communes", _("Communes"), communes, "commune"),
            Listing("epcis", _("EPCI"), list(epcis.values()), "epci"),
        ],
        crosswalk=list(crosswalk.order_by("-share_of_2015_area")),
        map_qpvs=map_qpvs,
    )


def map_bounds(qpvs: QuerySet) -> list[list[float]] | None:
    """[[south, west], [north, east]] around the QPVs, in Leaflet's order; None when there is none."""
    box = qpvs.order_by().aggregate(
        west=Min("min_lon"), south=Min("min_lat"), east=Max("max_lon"), north=Max("max_lat")
    )
    if box["west"] is None:
        return None
    return [[box["south"], box["west"]], [box["north"], box["east"]]]


def geojson_of(qpvs: QuerySet, url_of, highlight: str = "", points: bool = False) -> str:
    """A GeoJSON FeatureCollection of QPV contours (or of their centres), built from the stored GeoJSON text
    without parsing it: the contours are the bulk of the bytes."""
    columns = ["code", "name", "generation", "min_lon", "min_lat", "max_lon", "max_lat"]
    if not points:
        columns.append("geojson")
    features = []
    for row in qpvs.order_by("code").values(*columns):
        properties = json.dumps(
            {
                "code": row["code"],
                "name": row["name"],
                "generation": row["generation"],
                "url": url_of(row["code"]),
                "highlight": row["code"] == highlight,
            },
            ensure_ascii=False,
        )
        if points:
            lon = round((row["min_lon"] + row["max_lon"]) / 2, 5)
            lat = round((row["min_lat"] + row["max_lat"]) / 2, 5)
            geometry = json.dumps({"type": "Point", "coordinates": [lon, lat]})
        else:
            geometry = row["geojson"]
        features.append(f'{{"type":"Feature","properties":{properties},"geometry":{geometry}}}')
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"
