"""QPV attribution of points by geometry: point-in-polygon and the 300 m proximity band, vectorised.

Points and QPV contours are compared in a metric coordinate system: Lambert-93 (EPSG:2154) in mainland France
and Corsica, the local UTM or Lambert system overseas (`essor.territories.geometry.METRIC_EPSG`). A QPV goes
to the system of its département, a point to the system of its commune's département; a point given in another
system (the row's `epsg`, or WGS84 longitude/latitude) is converted with pyproj. "Within 300 m" is the STRtree's
`dwithin` predicate (exact distance to the contour), the nearest QPV winning.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from essor.sirene.rules import QPV_PROXIMITY_METRES
from essor.territories.geometry import from_wkb, metric_epsg, to_metric

WGS84 = 4326
# Grid used to send to Python only the points that may be within 300 m of a QPV (see `cells`).
CELL_METRES = 1000.0
NO_MATCH = -1


@dataclass
class Layer:
    """The QPV of one generation in one metric system: contours, 300 m bands and their search trees."""

    epsg: int
    codes: list[str]
    polygons: np.ndarray

    def __post_init__(self):
        self.tree = shapely.STRtree(self.polygons)


class QpvIndex:
    """Every QPV contour of one generation, split by metric system, with the global code list.

    `codes[i]` is the code of QPV number i; attribution results are such indices (NO_MATCH for none).
    """

    def __init__(self, qpvs: Iterable[tuple[str, str | None, bytes]]):
        by_epsg: dict[int, list[tuple[str, object]]] = {}
        for code, departement_code, wkb in qpvs:
            by_epsg.setdefault(metric_epsg(departement_code), []).append((code, from_wkb(wkb)))
        self.codes: list[str] = []
        self.layers: dict[int, Layer] = {}
        self._offsets: dict[int, int] = {}
        for epsg, items in sorted(by_epsg.items()):
            items.sort()
            self._offsets[epsg] = len(self.codes)
            self.codes.extend(code for code, _ in items)
            polygons = np.array([to_metric(geometry, epsg) for _, geometry in items], dtype=object)
            shapely.prepare(polygons)
            self.layers[epsg] = Layer(epsg, [code for code, _ in items], polygons)

    def __len__(self) -> int:
        return len(self.codes)

    def locate(self, epsg: int, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Index of the QPV containing each point (boundary included), NO_MATCH outside every QPV."""
        result = np.full(len(x), NO_MATCH, dtype=np.int32)
        layer = self.layers.get(epsg)
        if layer is None or len(x) == 0:
            return result
        points = shapely.points(x, y)
        point_idx, qpv_idx = layer.tree.query(points, predicate="intersects")
        # Should two contours overlap (rounding), the first code in order wins: deterministic.
        order = np.lexsort((qpv_idx, point_idx))
        point_idx, qpv_idx = point_idx[order], qpv_idx[order]
        first = np.unique(point_idx, return_index=True)[1]
        result[point_idx[first]] = qpv_idx[first] + self._offsets[epsg]
        return result

    def nearest_within_band(self, epsg: int, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Index of the nearest QPV within 300 m of each point (inside counts as 0 m), NO_MATCH beyond."""
        result = np.full(len(x), NO_MATCH, dtype=np.int32)
        layer = self.layers.get(epsg)
        if layer is None or len(x) == 0:
            return result
        points = shapely.points(x, y)
        # No buffered contours (buffering ~1,600 detailed contours costs seconds): the tree's "dwithin" test
        # widens the boxes by 300 m and checks the exact distance.
        point_idx, qpv_idx = layer.tree.query(points, predicate="dwithin", distance=QPV_PROXIMITY_METRES)
        if len(point_idx) == 0:
            return result
        distances = shapely.distance(points[point_idx], layer.polygons[qpv_idx])
        order = np.lexsort((qpv_idx, distances, point_idx))
        point_idx, qpv_idx = point_idx[order], qpv_idx[order]
        first = np.unique(point_idx, return_index=True)[1]
        result[point_idx[first]] = qpv_idx[first] + self._offsets[epsg]
        return result

    def cells(self) -> list[tuple[int, int, int]]:
        """(epsg, cx, cy) grid cells of CELL_METRES touched by a 300 m band: points elsewhere are far from
        every QPV, so the pipeline keeps them out of Python altogether."""
        result = set()
        band = QPV_PROXIMITY_METRES
        for epsg, layer in self.layers.items():
            for minx, miny, maxx, maxy in shapely.bounds(layer.polygons) + np.array(
                [-band, -band, band, band]
            ):
                for cx in range(math.floor(minx / CELL_METRES), math.floor(maxx / CELL_METRES) + 1):
                    for cy in range(math.floor(miny / CELL_METRES), math.floor(maxy / CELL_METRES) + 1):
                        result.add((epsg, cx, cy))
        return sorted(result)


@cache
def transformer(source_epsg: int, target_epsg: int) -> Transformer | None:
    try:
        return Transformer.from_crs(CRS.from_epsg(source_epsg), CRS.from_epsg(target_epsg), always_xy=True)
    except CRSError:
        return None


def to_crs(source_epsg: int, target_epsg: int, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates converted between two EPSG systems; NaN where the system is unknown or the result invalid."""
    if source_epsg == target_epsg:
        return x, y
    tr = transformer(source_epsg, target_epsg)
    if tr is None:
        nan = np.full(len(x), np.nan)
        return nan, nan.copy()
    tx, ty = tr.transform(x, y)
    tx, ty = np.asarray(tx, dtype=float), np.asarray(ty, dtype=float)
    bad = ~(np.isfinite(tx) & np.isfinite(ty))
    tx[bad] = np.nan
    ty[bad] = np.nan
    return tx, ty
