"""QPV contours: validation and repair, metric projections, storage forms (WKB, GeoJSON, bbox, area).

About a third of the published QPV 2024 contours are invalid (self-intersections created by rounding the
coordinates to 4 decimals). `clean_multipolygon` repairs them with shapely's `make_valid`, keeps only the
polygonal parts and returns a MultiPolygon; it refuses empty input and contours that repair to nothing.
"""

from dataclasses import dataclass
from functools import cache

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import MultiPolygon, Polygon, shape

# Metric (projected) coordinate systems per département, for areas and overlaps. Mainland and Corsica use
# Lambert-93; overseas territories use their official UTM or Lambert projection.
METRIC_EPSG = {
    "971": 5490,  # Guadeloupe: RGAF09 / UTM 20N
    "972": 5490,  # Martinique: RGAF09 / UTM 20N
    "977": 5490,  # Saint-Barthélemy
    "978": 5490,  # Saint-Martin
    "973": 2972,  # Guyane: RGFG95 / UTM 22N
    "974": 2975,  # La Réunion: RGR92 / UTM 40S
    "976": 4471,  # Mayotte: RGM04 / UTM 38S
    "975": 4467,  # Saint-Pierre-et-Miquelon: RGSPM06 / UTM 21N
    "987": 3297,  # Polynésie française: RGPF / UTM 6S
    "988": 3163,  # Nouvelle-Calédonie: RGNC91-93 / Lambert New Caledonia
}
LAMBERT_93 = 2154
# Coordinates kept in the GeoJSON for maps: 6 decimals (~0.1 m), enough for display and much shorter.
GEOJSON_DECIMALS = 6


class GeometryError(ValueError):
    """The contour is empty, not a polygon, or cannot be repaired into one."""


@dataclass(frozen=True)
class Contour:
    geometry: MultiPolygon  # WGS84 longitude/latitude
    repaired: bool


def metric_epsg(departement_code: str | None) -> int:
    return METRIC_EPSG.get(departement_code or "", LAMBERT_93)


@cache
def _to_metric(epsg: int) -> Transformer:
    return Transformer.from_crs(CRS.from_epsg(4326), CRS.from_epsg(epsg), always_xy=True)


@cache
def _to_wgs84(epsg: int) -> Transformer:
    return Transformer.from_crs(CRS.from_epsg(epsg), CRS.from_epsg(4326), always_xy=True)


def to_metric(geometry, epsg: int):
    transformer = _to_metric(epsg)
    return shapely.transform(geometry, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


def to_wgs84(geometry, epsg: int):
    transformer = _to_wgs84(epsg)
    return shapely.transform(geometry, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


def polygonal_parts(geometry) -> list[Polygon]:
    """The non-empty polygons inside any geometry (GeometryCollections from make_valid included)."""
    if geometry is None or geometry.is_empty:
        return []
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return [part for part in geometry.geoms if not part.is_empty]
    parts = []
    for part in getattr(geometry, "geoms", []):
        parts.extend(polygonal_parts(part))
    return parts


def clean_multipolygon(geojson_geometry: dict | None, source_epsg: int | None = None) -> Contour:
    """A valid WGS84 MultiPolygon from a GeoJSON geometry; GeometryError if empty or unrepairable."""
    if not geojson_geometry:
        raise GeometryError("the geometry is missing (null)")
    try:
        geometry = shape(geojson_geometry)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        raise GeometryError(f"the geometry cannot be read ({exc})") from None
    if geometry.is_empty:
        raise GeometryError("the geometry is empty")
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise GeometryError(f"a {geometry.geom_type} is not a contour (Polygon or MultiPolygon expected)")
    if source_epsg and source_epsg != 4326:
        geometry = to_wgs84(geometry, source_epsg)
    repaired = False
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
        repaired = True
    parts = polygonal_parts(geometry)
    if not parts:
        raise GeometryError("the contour has no area left once repaired (degenerate polygon)")
    multi = MultiPolygon(parts)
    if not multi.is_valid:
        # Parts of a GeometryCollection may touch along edges: merge them into one valid multipolygon.
        multi = MultiPolygon(polygonal_parts(shapely.union_all(parts)))
        repaired = True
    if multi.is_empty or multi.area == 0:
        raise GeometryError("the contour has no area left once repaired (degenerate polygon)")
    return Contour(geometry=multi, repaired=repaired)


def to_wkb(geometry) -> bytes:
    return shapely.to_wkb(geometry, hex=False, byte_order=1)


def from_wkb(data) -> MultiPolygon:
    return shapely.from_wkb(bytes(data))


def display_geojson(geometry) -> str:
    """GeoJSON text for maps: the stored contour, coordinates rounded to 6 decimals (precise one in WKB)."""
    rounded = shapely.transform(geometry, lambda xy: np.round(xy, GEOJSON_DECIMALS))
    return shapely.to_geojson(rounded)


def area_m2(geometry, departement_code: str | None) -> float:
    return float(to_metric(geometry, metric_epsg(departement_code)).area)
