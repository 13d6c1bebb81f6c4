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
far from every territory (oceans) are measured in the projection of the closest territory; the figure is then
indicative (a few % off beyond ~1,000 km).

Speed: candidates come from a shapely STRtree (bounding boxes) and the exact tests are vectorised (prepared
polygons, numpy point-to-segment distances); no Python loop per point. See benchmarks/qpv_locate.py.
"""

from __future__ import annotations

import gzip
import json
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from django.utils import timezone
from pyproj import Transformer

from essor.territories import geometry as geo

QPV_2024_GEOJSON = Path(__file__).parent / "data" / "qpv2024" / "qpv2024_france_wgs84.geojson.gz"
# Search radii (metres) for the nearest QPV, tried in turn for the points not yet resolved; None = all QPVs.
# Doubling keeps the last square at most twice the true distance (few candidates); empty squares cost little.
NEAREST_RADII_M = (*(250 * 2**k for k in range(12)), None)
# A point further than this (degrees) from a territory's QPVs is measured from the closest territory.
TERRITORY_MARGIN_DEG = 3.0
# Coarse raster of "some QPV bounding box is near": points elsewhere skip the exact containment test.
MASK_CELL_DEG = 0.01
# Points handled at once by the nearest search (bounds the memory of the point x segment pairs).
NEAREST_CHUNK = 8_192
# Distances closer than this are ties (floating-point noise); the smallest QPV code wins.
TIE_M = 0.001
# Edges per run in the nearest search: fewer means more boxes to search, more means more distances.
EDGES_PER_RUN = 8


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


def _prune(px, py, point, item, bounds):
    """Keep the (point, item) pairs where the item may be the nearest, from bounds on the distance to its box.

    Any shape touches the four sides of its bounding box, so its distance is at most, for each side, the
    distance to that side's farther end (upper bound), and at least the distance to the box (lower bound).
    Returns the kept pairs and, per point, the smallest upper bound (inf for points without pairs).
    """
    x, y = px[point], py[point]
    x0, y0, x1, y1 = (bounds[item, k] for k in range(4))
    lower = np.hypot(np.maximum(np.maximum(x0 - x, x - x1), 0), np.maximum(np.maximum(y0 - y, y - y1), 0))
    far_x = np.maximum(np.abs(x - x0), np.abs(x - x1))
    far_y = np.maximum(np.abs(y - y0), np.abs(y - y1))
    upper = np.minimum(
        np.hypot(far_x, np.minimum(np.abs(y - y0), np.abs(y - y1))),  # bottom or top side
        np.hypot(np.minimum(np.abs(x - x0), np.abs(x - x1)), far_y),  # left or right side
    )
    best_upper = np.full(len(px), np.inf)
    np.minimum.at(best_upper, point, upper)
    keep = lower <= best_upper[point]
    return point[keep], item[keep], best_upper


def _smallest_per_point(size: int, point: np.ndarray, value: np.ndarray) -> np.ndarray:
    """For each point 0..size-1, the smallest value paired with it; -1 when it has none."""
    big = np.iinfo(np.int64).max
    result = np.full(size, big, dtype=np.int64)
    np.minimum.at(result, point, value)
    result[result == big] = -1
    return result


class _Territory:
    """The QPVs of one territory in its metric projection, cut into short runs of edges, for the nearest search.

    An STRtree of the QPVs' boxes, searched in growing squares, gives the few QPVs that may be the nearest; their
    contours are cut into runs of at most EDGES_PER_RUN consecutive edges, and a point is only compared with the
    edges of the runs that may hold its nearest edge.
    """

    def __init__(self, epsg: int, members: np.ndarray, geoms_wgs84: np.ndarray):
        self.epsg = epsg
        self.members = members  # global indices of its QPVs
        self.to_metric = Transformer.from_crs(4326, epsg, always_xy=True)
        lon_lat = shapely.bounds(geoms_wgs84)
        self.extent = (lon_lat[:, 0].min(), lon_lat[:, 1].min(), lon_lat[:, 2].max(), lon_lat[:, 3].max())
        projected = geo.to_metric(geoms_wgs84, epsg)
        parts, part_owner = shapely.get_parts(projected, return_index=True)
        rings, ring_part = shapely.get_rings(parts, return_index=True)
        coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
        same_ring = coord_ring[1:] == coord_ring[:-1]
        edge_ring = coord_ring[:-1][same_ring]
        a, b = coords[:-1][same_ring], coords[1:][same_ring]
        self.ax, self.ay = a[:, 0].copy(), a[:, 1].copy()
        self.dx, self.dy = b[:, 0] - a[:, 0], b[:, 1] - a[:, 1]
        length2 = self.dx**2 + self.dy**2
        self.inv_length2 = np.divide(1.0, length2, out=np.zeros_like(length2), where=length2 > 0)
        # Runs: a new one at each ring start and every EDGES_PER_RUN edges.
        first_of_ring = np.r_[True, edge_ring[1:] != edge_ring[:-1]]
        ring_first_edge = np.maximum.accumulate(np.where(first_of_ring, np.arange(len(edge_ring)), 0))
        new_run = (np.arange(len(edge_ring)) - ring_first_edge) % EDGES_PER_RUN == 0
        self.run_start = np.r_[np.flatnonzero(new_run), len(edge_ring)]
        starts = self.run_start[:-1]
        self.run_owner = part_owner[ring_part[edge_ring[starts]]]
        self.run_bounds = np.column_stack(
            [
                np.minimum.reduceat(np.minimum(a[:, 0], b[:, 0]), starts),
                np.minimum.reduceat(np.minimum(a[:, 1], b[:, 1]), starts),
                np.maximum.reduceat(np.maximum(a[:, 0], b[:, 0]), starts),
                np.maximum.reduceat(np.maximum(a[:, 1], b[:, 1]), starts),
            ]
        )
        self.qpv_run_start = np.searchsorted(self.run_owner, np.arange(len(members) + 1))
        self.qpv_bounds = shapely.bounds(projected)
        self.qpv_tree = shapely.STRtree(shapely.box(*self.qpv_bounds.T))

    def contains_lon_lat(self, lon: np.ndarray, lat: np.ndarray, margin: float) -> np.ndarray:
        x0, y0, x1, y1 = self.extent
        return (lon >= x0 - margin) & (lon <= x1 + margin) & (lat >= y0 - margin) & (lat <= y1 + margin)

    def nearest(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(global QPV index, distance in metres) of the nearest QPV of this territory, for points outside."""
        x, y = self.to_metric.transform(lon, lat)
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        best = np.full(len(x), -1)
        dist = np.full(len(x), np.inf)
        for start in range(0, len(x), NEAREST_CHUNK):
            chunk = slice(start, start + NEAREST_CHUNK)
            best[chunk], dist[chunk] = self._nearest_chunk(x[chunk], y[chunk])
        return self.members[best], dist

    def _nearest_chunk(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Two levels: QPV boxes give the few QPVs that may be the nearest, then the runs of their edges."""
        best = np.full(len(x), -1)
        dist = np.full(len(x), np.inf)
        todo = np.arange(len(x))
        for radius in NEAREST_RADII_M:
            if not len(todo):
                break
            px, py = x[todo], y[todo]
            if radius is None:
                point, qpv = np.divmod(np.arange(len(todo) * len(self.members)), len(self.members))
            else:
                boxes = shapely.box(px - radius, py - radius, px + radius, py + radius)
                point, qpv = self.qpv_tree.query(boxes)
            if not len(point):
                continue
            point, qpv, upper = _prune(px, py, point, qpv, self.qpv_bounds)
            # Complete when some QPV is surely within the radius: a QPV whose box misses the search square is
            # further than the radius.
            resolved = upper <= (np.inf if radius is None else radius)
            keep = resolved[point]
            point, qpv = point[keep], qpv[keep]
            counts = self.qpv_run_start[qpv + 1] - self.qpv_run_start[qpv]
            first = np.cumsum(counts) - counts
            run = np.arange(counts.sum()) - np.repeat(first - self.qpv_run_start[qpv], counts)
            point, run, _ = _prune(px, py, np.repeat(point, counts), run, self.run_bounds)
            found_qpv, found_dist = self._exact(px, py, point, run)
            done = np.flatnonzero(resolved)
            best[todo[done]], dist[todo[done]] = found_qpv[done], found_dist[done]
            todo = todo[~resolved]
        return best, dist

    def _exact(self, px, py, point, run):
        """Exact distance from each point to the edges of its runs; the QPV of the nearest edge per point."""
        counts = self.run_start[run + 1] - self.run_start[run]
        first = np.cumsum(counts) - counts
        edge = np.arange(counts.sum()) - np.repeat(first - self.run_start[run], counts)
        pair = np.repeat(point, counts)
        ex, ey = px[pair] - self.ax[edge], py[pair] - self.ay[edge]
        dx, dy = self.dx[edge], self.dy[edge]
        t = np.clip((ex * dx + ey * dy) * self.inv_length2[edge], 0.0, 1.0)
        d2 = (ex - t * dx) ** 2 + (ey - t * dy) ** 2
        run_d2 = np.minimum.reduceat(d2, first)
        found_d2 = np.full(len(px), np.inf)
        np.minimum.at(found_d2, point, run_d2)
        # Ties (QPVs equidistant to the millimetre, e.g. a shared corner): the smallest index, i.e. code.
        winner = np.sqrt(run_d2) <= np.sqrt(found_d2[point]) + TIE_M
        return _smallest_per_point(len(px), point[winner], self.run_owner[run[winner]]), np.sqrt(found_d2)


class QpvIndex:
    """QPV 2024 contours ready for vectorised point lookups (build once, query many times)."""

    def __init__(self, records: list[QpvRecord], version: str | None = None):
        self.records = sorted(records, key=lambda record: record.code)
        self.version = version
        self.geoms = np.array([record.geometry for record in self.records], dtype=object)
        shapely.prepare(self.geoms)
        self.tree = shapely.STRtree(self.geoms)
        epsgs = np.array([territory_epsg(record.code) for record in self.records])
        self.territories = [
            _Territory(int(epsg), np.flatnonzero(epsgs == epsg), self.geoms[epsgs == epsg])
            for epsg in sorted(set(epsgs.tolist()))
        ]
        self._build_mask()

    def __len__(self):
        return len(self.records)

    def _build_mask(self):
        """A boolean raster over each territory: True where some QPV's bounding box reaches the cell."""
        self.masks = []
        bounds = shapely.bounds(self.geoms)
        for territory in self.territories:
            x0, y0, x1, y1 = territory.extent
            shape = (int((x1 - x0) / MASK_CELL_DEG) + 2, int((y1 - y0) / MASK_CELL_DEG) + 2)
            mask = np.zeros(shape, dtype=bool)
            for bx0, by0, bx1, by1 in bounds[territory.members]:
                i0, j0 = int((bx0 - x0) / MASK_CELL_DEG), int((by0 - y0) / MASK_CELL_DEG)
                i1, j1 = int((bx1 - x0) / MASK_CELL_DEG), int((by1 - y0) / MASK_CELL_DEG)
                mask[i0 : i1 + 1, j0 : j1 + 1] = True
            self.masks.append((x0, y0, mask))

    def _maybe_inside(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        maybe = np.zeros(len(lon), dtype=bool)
        for x0, y0, mask in self.masks:
            i = np.floor((lon - x0) / MASK_CELL_DEG)
            j = np.floor((lat - y0) / MASK_CELL_DEG)
            ok = (i >= 0) & (i < mask.shape[0]) & (j >= 0) & (j < mask.shape[1])
            maybe[ok] |= mask[i[ok].astype(np.intp), j[ok].astype(np.intp)]
        return maybe

    def contains(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Index of the QPV holding each point (boundary included), -1 when none (or NaN coordinates)."""
        lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        result = np.full(len(lon), -1)
        candidates = np.flatnonzero(self._maybe_inside(lon, lat))
        if not len(candidates) or not len(self.records):
            return result
        points = shapely.points(np.column_stack([lon[candidates], lat[candidates]]))
        # Bounding boxes from the tree, then the exact test on prepared polygons (faster than the tree's own
        # predicate, which prepares the query points instead: see docs/benchmarks.md).
        point, qpv = self.tree.query(points)
        hit = shapely.intersects_xy(self.geoms[qpv], lon[candidates[point]], lat[candidates[point]])
        # Several QPVs for one point (shared boundary): the smallest index (= smallest code) wins.
        result[candidates] = _smallest_per_point(len(candidates), point[hit], qpv[hit])
        return result

    def locate(self, lon, lat, *, nearest: bool = True) -> Found:
        lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        qpv = self.contains(lon, lat)
        closest = np.where(qpv >= 0, qpv, -1)
        distance = np.where(qpv >= 0, 0.0, np.nan)
        if nearest and len(self.records):
            outside = np.flatnonzero((qpv < 0) & np.isfinite(lon) & np.isfinite(lat))
            found, metres = self.nearest_outside(lon[outside], lat[outside])
            closest[outside], distance[outside] = found, metres
        return Found(qpv=qpv, nearest=closest, distance_m=distance)

    def nearest_outside(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Nearest QPV and distance (metres) for points known to be outside every QPV (finite coordinates)."""
        # Each point is measured in the territory whose QPVs it is near; points near none (oceans) in the
        # territory whose extent is the closest (in degrees, longitudes scaled by the cosine of the latitude).
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
        best = np.full(len(lon), -1)
        dist = np.full(len(lon), np.nan)
        for k, territory in enumerate(self.territories):
            mine = np.flatnonzero(owner == k)
            if len(mine):
                best[mine], dist[mine] = territory.nearest(lon[mine], lat[mine])
        return best, dist

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
            _cache["index"], _cache["key"] = QpvIndex(records, version=version), key
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
            if location.nearest
            else None
        ),
        "reference": {"generation": 2024, "version": index.version, "qpv_count": len(index)},
    }
