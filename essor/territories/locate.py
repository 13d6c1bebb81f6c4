"""QPV 2024 point lookup: which QPV holds a point (over a million points a second on one core), the nearest one.

    index = get_index()                         # built from the database, cached per process
    found = index.locate(lons, lats)            # numpy arrays of WGS84 longitudes and latitudes
    found.qpv[i], found.nearest[i], found.distance_m[i]
    index.locate_one(1.3819, 43.6397)           # -> Location (one point, with the QPV records)

Containment: a point on a QPV's boundary (vertex or edge) counts as inside (`intersects`, not strict `contains`:
the published contours are rounded to ~10 m, so a point on the line is as much in as out; we side with "in").
When a point lies in several QPVs (shared boundary), the one with the smallest code is kept.

Nearest QPV and distance: for a point inside a QPV, that QPV at 0 m. Otherwise the distance is computed in the
official metric projection of the territory the QPV lies in (Lambert-93 in mainland France and Corsica, UTM of
the overseas territory: see `geometry.METRIC_EPSG`), where the scale error is below 0.1-0.3% on the territory
(< 1 m at 300 m). It is the exact planar distance to the nearest edge of the contour in that projection. Points
far from every territory (oceans) are measured in the projection of the closest territory. Beyond 50 km, where
the projection's scale drifts, the distance is geodesic (WGS84 ellipsoid) to the contour point found nearest.

Speed (docs/benchmarks.md): containment takes a coarse raster to skip points far from any QPV, the STRtree's
bounding boxes, then `intersects_xy` on prepared polygons, with no Python loop per point. The nearest search of
nearest.py is exhaustive and ~10x slower per point; batches of FIELD_MIN_POINTS or more go through precomputed
distance fields instead (field_lookup.py, ADR 012: the same answers, ~1 M points/s on one core).
"""

from __future__ import annotations

import gzip
import json
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from django.conf import settings
from django.utils import timezone

from essor.territories import field_lookup
from essor.territories import geometry as geo
from essor.territories.nearest import TerritoryEdges, smallest_per_point

QPV_2024_GEOJSON = Path(__file__).parent / "data" / "qpv2024" / "qpv2024_france_wgs84.geojson.gz"
# A point further than this (degrees) from a territory's QPVs is measured from the closest territory.
TERRITORY_MARGIN_DEG = 3.0
# Largest max_distance_m (metres) served by a widened raster: beyond, the territories' rasters could overlap.
NEAR_MASK_MAX_M = 100_000
# Beyond this distance (metres), the distance is measured on the ellipsoid rather than in the projection.
GEODESIC_BEYOND_M = 50_000
# Coarse raster of "some QPV bounding box is near": points elsewhere skip the exact containment test.
MASK_CELL_DEG = 0.01


@dataclass(frozen=True)
class QpvRecord:
    code: str
    name: str
    communes: tuple[tuple[str, str], ...]  # (INSEE code, name)
    geometry: object  # shapely MultiPolygon, WGS84


@dataclass(frozen=True)
class Found:
    """Per point: index of the containing QPV (-1: none), of the nearest QPV (-1: invalid point), distance."""

    qpv: np.ndarray
    nearest: np.ndarray
    distance_m: np.ndarray


@dataclass(frozen=True)
class Location:
    qpv: QpvRecord | None
    nearest: QpvRecord | None
    distance_m: float | None


# ---- Coordinates as people type them: decimal degrees, '.' or ',' as decimal separator.

COORDINATE_RANGES = {"lon": (-180.0, 180.0), "lat": (-90.0, 90.0)}
COORDINATE_LABELS = {"lon": "longitude", "lat": "latitude"}


class InvalidCoordinates(ValueError):
    """One message per wrong coordinate: [{"field": "lon", "message": "..."}]."""

    def __init__(self, errors: list[dict]):
        self.errors = errors
        super().__init__(" ".join(error["message"] for error in errors))


def parse_number(raw, field: str) -> float:
    """A finite float from text ('43.6', '43,6', ' 1e2 '); ValueError with a message naming the field."""
    if raw is None:
        raise ValueError(f"{field} is missing.")
    text = str(raw).strip()
    if not text:
        raise ValueError(f"{field} is empty.")
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")  # French decimal comma
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{field} {str(raw).strip()!r} is not a number.") from None
    if not np.isfinite(value):
        raise ValueError(f"{field} {str(raw).strip()!r} is not a finite number.")
    return value


def check_range(value: float, field: str) -> float:
    low, high = COORDINATE_RANGES[field]
    if not low <= value <= high:
        raise ValueError(
            f"{field} {value:g} is outside {low:g}..{high:g} ({COORDINATE_LABELS[field]}, WGS84)."
        )
    return value


def parse_lon_lat(lon, lat) -> tuple[float, float]:
    """WGS84 longitude and latitude from text; InvalidCoordinates listing every problem."""
    values, errors = {}, []
    for field, raw in (("lon", lon), ("lat", lat)):
        try:
            if raw is None or not str(raw).strip():
                what = "missing" if raw is None else "empty"
                raise ValueError(f"{field} is {what} ({COORDINATE_LABELS[field]}, WGS84 decimal degrees).")
            values[field] = check_range(parse_number(raw, field), field)
        except ValueError as exc:
            errors.append({"field": field, "message": str(exc)})
    if errors:
        raise InvalidCoordinates(errors)
    return values["lon"], values["lat"]


def territory_epsg(qpv_code: str) -> int:
    """Metric projection of a QPV from its code (QN + département on 3 characters: 031, 02A, 974)."""
    return geo.metric_epsg(qpv_code[2:5])


class QpvIndex:
    """QPV 2024 contours ready for vectorised point lookups (build once, query many times)."""

    def __init__(self, records: list[QpvRecord], version: str | None = None, field_cache: Path | None = None):
        """field_cache: a folder where the distance fields are saved, keyed by the contours' fingerprint."""
        self.records = sorted(records, key=lambda record: record.code)
        self.version = version
        self.geoms = np.array([record.geometry for record in self.records], dtype=object)
        shapely.prepare(self.geoms)
        self.tree = shapely.STRtree(self.geoms)
        epsgs = np.array([territory_epsg(record.code) for record in self.records])
        self.territories = [
            TerritoryEdges(int(epsg), np.flatnonzero(epsgs == epsg), self.geoms[epsgs == epsg])
            for epsg in sorted(set(epsgs.tolist()))
        ]
        self.masks = self._build_mask()
        self._near_masks: dict[float, list] = {}  # per max distance, built on first use
        self._lock = threading.Lock()
        self.field_set = field_lookup.FieldSet(self, field_cache)

    def __len__(self):
        return len(self.records)

    def _build_mask(self, pad_m: float = 0.0) -> list:
        """A boolean raster (0.01° cells) per territory: True where some QPV's bounding box, widened by pad_m
        metres, reaches the cell. Points elsewhere are surely further than pad_m from every QPV."""
        masks = []
        bounds = shapely.bounds(self.geoms)
        # Degrees per metre, generously: 110.5 km per degree of latitude, x cos(latitude) for longitude, +1%.
        pad_lat = pad_m * 1.01 / 110_500
        cos_lat = np.cos(np.radians(np.minimum(np.abs(bounds[:, [1, 3]]).max(axis=1) + pad_lat, 89.0)))
        pad_lon = pad_m * 1.01 / (110_500 * cos_lat)
        widened = np.column_stack(
            [bounds[:, 0] - pad_lon, bounds[:, 1] - pad_lat, bounds[:, 2] + pad_lon, bounds[:, 3] + pad_lat]
        )
        for territory in self.territories:
            boxes = widened[territory.members]
            x0, y0 = boxes[:, 0].min(), boxes[:, 1].min()
            shape = (
                int((boxes[:, 2].max() - x0) / MASK_CELL_DEG) + 2,
                int((boxes[:, 3].max() - y0) / MASK_CELL_DEG) + 2,
            )
            mask = np.zeros(shape, dtype=bool)
            for bx0, by0, bx1, by1 in boxes:
                i0, j0 = int((bx0 - x0) / MASK_CELL_DEG), int((by0 - y0) / MASK_CELL_DEG)
                i1, j1 = int((bx1 - x0) / MASK_CELL_DEG), int((by1 - y0) / MASK_CELL_DEG)
                mask[i0 : i1 + 1, j0 : j1 + 1] = True
            masks.append((x0, y0, mask))
        return masks

    def _near_mask(self, pad_m: float) -> list:
        with self._lock:
            if pad_m not in self._near_masks:
                if len(self._near_masks) > 8:
                    self._near_masks.clear()
                self._near_masks[pad_m] = self._build_mask(pad_m)
            return self._near_masks[pad_m]

    @staticmethod
    def _in_masks(masks: list, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        maybe = np.zeros(len(lon), dtype=bool)
        rest = np.arange(len(lon))
        # Largest raster (mainland) first; the territories' rasters do not overlap (they are hundreds of km
        # apart, widened by at most NEAR_MASK_MAX_M), so each next raster only sees the points outside the others.
        for x0, y0, mask in sorted(masks, key=lambda item: -item[2].size):
            i = np.floor((lon[rest] - x0) / MASK_CELL_DEG)
            j = np.floor((lat[rest] - y0) / MASK_CELL_DEG)
            ok = (i >= 0) & (i < mask.shape[0]) & (j >= 0) & (j < mask.shape[1])
            maybe[rest[ok]] = mask[i[ok].astype(np.intp), j[ok].astype(np.intp)]
            rest = rest[~ok]
            if not len(rest):
                break
        return maybe

    def contains(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Index of the QPV holding each point (boundary included), -1 when none (or NaN coordinates)."""
        lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        result = np.full(len(lon), -1)
        candidates = np.flatnonzero(self._in_masks(self.masks, lon, lat))
        if not len(candidates) or not len(self.records):
            return result
        points = shapely.points(np.column_stack([lon[candidates], lat[candidates]]))
        # Bounding boxes from the tree, then the exact test on prepared polygons (faster than the tree's own
        # predicate, which prepares the query points instead: see docs/benchmarks.md).
        point, qpv = self.tree.query(points)
        hit = shapely.intersects_xy(self.geoms[qpv], lon[candidates[point]], lat[candidates[point]])
        # Several QPVs for one point (shared boundary): the smallest index (= smallest code) wins.
        result[candidates] = smallest_per_point(len(candidates), point[hit], qpv[hit])
        return result

    def locate(
        self, lon, lat, *, nearest: bool = True, max_distance_m: float | None = None, method: str = "auto"
    ) -> Found:
        """Containing and nearest QPV per point; with max_distance_m, no nearest QPV (-1) beyond it.

        method: "field" (the distance fields, field_lookup.py), "exhaustive" (the search of nearest.py), or
        "auto": the fields for large batches (built on first use, see FIELD_MIN_POINTS; with a limit, only
        once they exist, the limited search being fast already). Both give the same answers."""
        lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        if method == "field" or (
            method == "auto"
            and len(self.records)
            and len(lon) >= field_lookup.FIELD_MIN_POINTS
            and (max_distance_m is None or self.field_set.ready)
        ):
            return Found(*field_lookup.locate(self, lon, lat, nearest, max_distance_m, GEODESIC_BEYOND_M))
        qpv = self.contains(lon, lat)
        closest = np.where(qpv >= 0, qpv, -1)
        distance = np.where(qpv >= 0, 0.0, np.nan)
        if nearest and len(self.records):
            outside = np.flatnonzero((qpv < 0) & np.isfinite(lon) & np.isfinite(lat))
            if max_distance_m is not None and max_distance_m <= NEAR_MASK_MAX_M:
                # Points surely further than the limit from every QPV need no search.
                outside = outside[self._in_masks(self._near_mask(max_distance_m), lon[outside], lat[outside])]
            found, metres = self.nearest_outside(lon[outside], lat[outside], max_distance_m)
            closest[outside], distance[outside] = found, metres
        return Found(qpv=qpv, nearest=closest, distance_m=distance)

    def nearest_outside(self, lon, lat, max_distance_m: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Nearest QPV and distance (metres) for points known to be outside every QPV (finite coordinates);
        -1 and NaN when none is within max_distance_m."""
        owner = self.owners(lon, lat)
        best = np.full(len(lon), -1)
        dist = np.full(len(lon), np.nan)
        for k, territory in enumerate(self.territories):
            mine = np.flatnonzero(owner == k)
            if len(mine):
                best[mine], dist[mine] = territory.nearest(lon[mine], lat[mine], max_distance_m)
                # Far away, the projection's scale drifts: measure along the ellipsoid instead (rare, slower).
                far = mine[~(dist[mine] <= GEODESIC_BEYOND_M) & (best[mine] >= 0)]
                if len(far):
                    dist[far] = territory.geodesic(lon[far], lat[far], best[far])
        return best, dist

    def owners(self, lon, lat) -> np.ndarray:
        """The territory (index in self.territories) each point is measured in: the one whose QPVs it is near;
        for points near none (oceans), the one whose extent is the closest (in degrees, longitudes scaled by the
        cosine of the latitude)."""
        owner = np.full(len(lon), -1)
        for k, territory in enumerate(self.territories):
            owner[(owner < 0) & territory.contains_lon_lat(lon, lat, TERRITORY_MARGIN_DEG)] = k
        lost = np.flatnonzero(owner < 0)
        if len(lost):
            gaps = []
            for territory in self.territories:
                x0, y0, x1, y1 = territory.extent
                gap_lon = np.maximum(np.maximum(x0 - lon[lost], lon[lost] - x1), 0)
                gap_lon = np.minimum(gap_lon, 360 - gap_lon) * np.cos(np.radians(lat[lost]))
                gap_lat = np.maximum(np.maximum(y0 - lat[lost], lat[lost] - y1), 0)
                gaps.append(np.hypot(gap_lon, gap_lat))
            owner[lost] = np.argmin(np.array(gaps), axis=0)
        return owner

    def locate_one(self, lon: float, lat: float) -> Location:
        found = self.locate(np.array([lon]), np.array([lat]))
        qpv, nearest = int(found.qpv[0]), int(found.nearest[0])
        return Location(
            qpv=self.records[qpv] if qpv >= 0 else None,
            nearest=self.records[nearest] if nearest >= 0 else None,
            distance_m=float(found.distance_m[0]) if nearest >= 0 else None,
        )


# ---- Where the contours come from: the database (normal use) or the vendored file (benchmarks, no database).


def records_from_database() -> list[QpvRecord]:
    from essor.territories.models import Qpv, QpvGeneration

    communes: dict[str, list[tuple[str, str]]] = {}
    links = Qpv.communes.through.objects.filter(qpv__generation=QpvGeneration.QPV_2024)
    for qpv_code, commune_code, commune_name in links.values_list("qpv_id", "commune__code", "commune__name"):
        communes.setdefault(qpv_code, []).append((commune_code, commune_name))
    rows = Qpv.objects.filter(generation=QpvGeneration.QPV_2024).values_list("code", "name", "geometry")
    return [
        QpvRecord(code, name, tuple(sorted(communes.get(code, []))), geo.from_wkb(wkb))
        for code, name, wkb in rows
    ]


def records_from_geojson(
    path: Path = QPV_2024_GEOJSON, *, code_prefixes: tuple[str, ...] = ()
) -> list[QpvRecord]:
    """The vendored QPV 2024 file (or only the codes with these prefixes), repaired like the loader does;
    communes by code only (no names)."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    records = []
    for feature in features:
        properties = feature["properties"]
        if code_prefixes and not properties["code_qp"].startswith(code_prefixes):
            continue
        communes = tuple((code, "") for code in properties.get("insee_com", "").split(";") if code)
        contour = geo.clean_multipolygon(feature["geometry"])
        records.append(QpvRecord(properties["code_qp"], properties["lib_qp"], communes, contour.geometry))
    return records


def reference_version() -> dict:
    """The reference the database holds: the latest `essor territories load` (date and id), or nulls."""
    from essor.territories.models import ReferenceLoad

    latest = ReferenceLoad.objects.order_by("-loaded_at", "-id").values("id", "loaded_at").first()
    if latest is None:
        return {"load_id": None, "loaded_at": None, "version": None}
    version = timezone.localdate(latest["loaded_at"]).isoformat()
    return {"load_id": latest["id"], "loaded_at": latest["loaded_at"], "version": version}


# ---- Process-level cache: rebuilt when the QPV data in the database changes.

_cache: dict = {"key": None, "index": None}
_cache_lock = threading.Lock()


class ReferenceNotLoaded(LookupError):
    """No QPV 2024 contours in the database."""


def _database_key() -> tuple:
    from django.db.models import Count, Max, Min

    from essor.territories.models import Qpv, QpvGeneration

    reference = reference_version()
    stats = Qpv.objects.filter(generation=QpvGeneration.QPV_2024).aggregate(
        count=Count("code"), first=Min("code"), last=Max("code")
    )
    key = (reference["load_id"], reference["loaded_at"], stats["count"], stats["first"], stats["last"])
    return key, reference["version"]


def get_index() -> QpvIndex:
    """The QPV 2024 index of the database, built on first use and again whenever a new load changed it."""
    key, version = _database_key()
    with _cache_lock:
        if _cache["key"] != key or _cache["index"] is None:
            records = records_from_database()
            if not records:
                raise ReferenceNotLoaded(
                    "No QPV 2024 contours in the database: load the reference first (essor territories load)."
                )
            # The distance fields are saved beside the data (rebuilt only for new contours).
            field_cache = Path(settings.DATA_DIR) / "cache"
            _cache["index"], _cache["key"] = QpvIndex(records, version=version, field_cache=field_cache), key
        return _cache["index"]


def clear_cache() -> None:
    with _cache_lock:
        _cache["key"] = _cache["index"] = None


# ---- The same answer for the API and `essor qpv locate --json`.


def qpv_payload(record: QpvRecord) -> dict:
    return {
        "id": f"qpv:{record.code}",
        "code": record.code,
        "name": record.name,
        "communes": [{"code": code, "name": name} for code, name in record.communes],
    }


def location_payload(index: QpvIndex, lon: float, lat: float) -> dict:
    location = index.locate_one(lon, lat)
    return {
        "point": {"lon": lon, "lat": lat, "crs": "EPSG:4326"},
        "inside": location.qpv is not None,
        "qpv": qpv_payload(location.qpv) if location.qpv else None,
        "nearest": (
            {"qpv": qpv_payload(location.nearest), "distance_m": round(location.distance_m, 1)}
            if location.nearest and location.distance_m is not None
            else None
        ),
        "reference": {"generation": 2024, "version": index.version, "qpv_count": len(index)},
    }
