"""Helpers for the QPV lookup tests: a database-free index of real contours, and slow, obvious answers."""

import gzip
import json
import math
from functools import cache

import shapely
from pyproj import Geod
from shapely.geometry import shape

from essor.territories import geometry as geo
from essor.territories import locate

# Toulouse (31), Lyon (69), Guadeloupe (971), La Réunion (974): mainland and two overseas projections.
PREFIXES = ("QN031", "QN069", "QN971", "QN974")
BARRADELS = (1.3819, 43.6397)  # inside QN03104M Barradels, Blagnac


@cache
def vendored_index(prefixes=PREFIXES) -> locate.QpvIndex:
    return locate.QpvIndex(locate.records_from_geojson(code_prefixes=prefixes), version="test")


@cache
def raw_feature(code: str) -> dict:
    """A feature of the vendored file as published (before any repair)."""
    with gzip.open(locate.QPV_2024_GEOJSON, "rt", encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    return next(feature for feature in features if feature["properties"]["code_qp"] == code)


def raw_shape(code: str):
    return shape(raw_feature(code)["geometry"])


def brute_force(index: locate.QpvIndex, lon: float, lat: float) -> tuple[int, int, float]:
    """(containing, nearest, distance_m) one QPV at a time, each measured in its own territory's projection."""
    point = shapely.Point(lon, lat)
    inside = [k for k, record in enumerate(index.records) if record.geometry.intersects(point)]
    if inside:
        return inside[0], inside[0], 0.0
    best, best_distance = -1, math.inf
    for k, record in enumerate(index.records):
        epsg = locate.territory_epsg(record.code)
        distance = geo.to_metric(record.geometry, epsg).distance(geo.to_metric(point, epsg))
        if distance < best_distance:
            best, best_distance = k, distance
    if best_distance > locate.GEODESIC_BEYOND_M:  # far away: along the ellipsoid to the nearest contour point
        epsg = locate.territory_epsg(index.records[best].code)
        line = shapely.shortest_line(
            geo.to_metric(point, epsg), geo.to_metric(index.records[best].geometry, epsg)
        )
        end = geo.to_wgs84(shapely.Point(line.coords[1]), epsg)
        best_distance = Geod(ellps="WGS84").inv(lon, lat, end.x, end.y)[2]
    return -1, best, best_distance


def position(index: locate.QpvIndex, code: str) -> int:
    return [record.code for record in index.records].index(code)


def load_lookup_reference(departements=("31", "974")):
    """Toulouse and La Réunion loaded in the test database through the real loader; a fresh lookup cache."""
    from essor.territories.tests.fixtures import load_reference

    locate.clear_cache()
    return load_reference(departements=departements)
