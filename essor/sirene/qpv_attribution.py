"""QPV attribution of points given in a metric system: the pipeline's view of the one QPV index.

The spatial rule itself — which QPV holds a point (boundary included, the smallest code on an overlap), the
nearest QPV and its distance in the official metric projection of its territory — is written once, in
`essor.territories.locate.QpvIndex`, and serves the point lookup (page, API, CSV batch) as well as the pipeline.
This module only converts the pipeline's coordinates: points arrive in the metric system of their commune's
département (Lambert-93, or the overseas UTM; `essor.territories.geometry.METRIC_EPSG`), are converted to WGS84
for the index, and a QPV of another metric system never matches (a point is attributed within its own territory).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import cache

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from essor.sirene.rules import QPV_PROXIMITY_METRES
from essor.territories.geometry import from_wkb
from essor.territories.locate import QpvIndex as LookupIndex
from essor.territories.locate import QpvRecord, territory_epsg

WGS84 = 4326
# Grid used to send to Python only the points that may be within 300 m of a QPV (see `cells`).
CELL_METRES = 1000.0
NO_MATCH = -1


class QpvIndex:
    """Every QPV contour of one generation. `codes[i]` is the code of QPV number i; attribution results are such
    indices (NO_MATCH for none)."""

    def __init__(self, qpvs: Iterable[tuple[str, str | None, bytes]]):
        records = [QpvRecord(code, "", (), from_wkb(wkb)) for code, _departement, wkb in qpvs]
        self.lookup = LookupIndex(records)
        self.codes: list[str] = [record.code for record in self.lookup.records]
        self._epsg = np.array([territory_epsg(code) for code in self.codes], dtype=np.int64)

    def __len__(self) -> int:
        return len(self.codes)

    def _in_own_system(self, epsg: int, found: np.ndarray) -> np.ndarray:
        result = np.asarray(found, dtype=np.int32)
        matched = result != NO_MATCH
        result[matched & (self._epsg[np.maximum(result, 0)] != epsg)] = NO_MATCH
        return result

    def locate(self, epsg: int, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Index of the QPV containing each point (boundary included), NO_MATCH outside every QPV."""
        return self.locate_lon_lat(epsg, *wgs84(epsg, x, y))

    def nearest_within_band(self, epsg: int, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Index of the nearest QPV within 300 m of each point (inside counts as 0 m), NO_MATCH beyond."""
        return self.within_band_lon_lat(epsg, *wgs84(epsg, x, y))[1]

    def locate_lon_lat(self, epsg: int, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """`locate` for points of the metric system `epsg` already converted to WGS84 (`wgs84`)."""
        if len(lon) == 0 or not len(self.codes):
            return np.full(len(lon), NO_MATCH, dtype=np.int32)
        return self._in_own_system(epsg, self.lookup.contains(lon, lat))

    def within_band_lon_lat(
        self, epsg: int, lon: np.ndarray, lat: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """For points of `epsg` already in WGS84: the containing QPV and the nearest QPV within 300 m, from one
        search (the pipeline needs both for the same points; two calls would test the containment twice)."""
        if len(lon) == 0 or not len(self.codes):
            none = np.full(len(lon), NO_MATCH, dtype=np.int32)
            return none, none.copy()
        found = self.lookup.locate(lon, lat, max_distance_m=QPV_PROXIMITY_METRES)
        return self._in_own_system(epsg, found.qpv), self._in_own_system(epsg, found.nearest)

    def cells(self) -> list[tuple[int, int, int]]:
        """(epsg, cx, cy) grid cells of CELL_METRES touched by a 300 m band: points elsewhere are far from
        every QPV, so the pipeline keeps them out of Python altogether."""
        result = set()
        band = QPV_PROXIMITY_METRES
        for territory in self.lookup.territories:
            widened = shapely.bounds(territory.projected) + np.array([-band, -band, band, band])
            for minx, miny, maxx, maxy in widened:
                for cx in range(math.floor(minx / CELL_METRES), math.floor(maxx / CELL_METRES) + 1):
                    for cy in range(math.floor(miny / CELL_METRES), math.floor(maxy / CELL_METRES) + 1):
                        result.add((territory.epsg, cx, cy))
        return sorted(result)


@cache
def transformer(source_epsg: int, target_epsg: int) -> Transformer | None:
    try:
        return Transformer.from_crs(CRS.from_epsg(source_epsg), CRS.from_epsg(target_epsg), always_xy=True)
    except CRSError:
        return None


def wgs84(epsg: int, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points of a metric system in WGS84, the system of the QPV index (NaN where they do not convert)."""
    return to_crs(epsg, WGS84, np.asarray(x, dtype=float), np.asarray(y, dtype=float))


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
