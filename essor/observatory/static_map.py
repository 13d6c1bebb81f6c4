"""A static map drawn on the server as SVG (for the PDF fact sheet and print): QPV contours and ESS points.

No tiles and no JavaScript: the contours come from the territorial reference (simplified to the drawing's
resolution), the points from the release (sole proprietors are never put on a map). Longitude is scaled by the
cosine of the middle latitude (a local equirectangular projection), good enough at the scale of a territory.
"""

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

import shapely
from django.db.models import Q
from django.utils.translation import gettext as _

from essor.observatory import directory as directory_domain
from essor.observatory.scope import Scope
from essor.territories.models import Qpv

QPV_COLOUR = "#b3186f"
POINT_COLOUR = "#0b5c4b"
MAX_POINTS = 5_000
MAX_CONTOURS = 400  # above that (a région, France) the QPVs are drawn as their centres


@dataclass
class StaticMap:
    svg: str
    contours: int
    points: int


def _qpvs(scope: Scope):
    if scope.kind == "qpv":
        return Qpv.objects.filter(pk=scope.code)
    qpvs = Qpv.objects.filter(generation=2024)
    if scope.kind == "france":
        return qpvs
    if scope.kind == "region":
        return qpvs.filter(departement__region_id=scope.code)
    if scope.kind == "departement":
        return qpvs.filter(departement_id=scope.code)
    if scope.kind == "epci":
        return qpvs.filter(Q(communes__epci_id=scope.code) | Q(communes__ept_id=scope.code)).distinct()
    return qpvs.filter(Q(communes__code=scope.code) | Q(communes__parent_id=scope.code)).distinct()


def _points(release, scope: Scope) -> list[tuple[float, float]]:
    rows = (
        directory_domain.establishments_of(release, scope)
        .exclude(lat=None)
        .exclude(legal_category__startswith="1")  # a person's address is not put on a map
        .order_by("siret")
        .values_list("lon", "lat")[:MAX_POINTS]
    )
    return list(rows)


class _Projection:
    def __init__(self, bounds, width: float, height: float, margin: float = 6):
        west, south, east, north = bounds
        pad_lon = max((east - west) * 0.04, 0.002)
        pad_lat = max((north - south) * 0.04, 0.002)
        west, east, south, north = west - pad_lon, east + pad_lon, south - pad_lat, north + pad_lat
        self.west, self.north = west, north
        self.kx = math.cos(math.radians((south + north) / 2))
        span_x, span_y = (east - west) * self.kx, north - south
        self.scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
        self.dx = (width - span_x * self.scale) / 2
        self.dy = (height - span_y * self.scale) / 2
        self.tolerance = 0.6 / self.scale  # half a drawing unit: simplification nobody sees

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (self.dx + (lon - self.west) * self.kx * self.scale, self.dy + (self.north - lat) * self.scale)


def _path(geometry, project) -> str:
    parts = []
    polygons = geometry.geoms if hasattr(geometry, "geoms") else [geometry]
    for polygon in polygons:
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            coords = [project(x, y) for x, y in ring.coords]
            if len(coords) < 3:
                continue
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in coords) + "Z")
    return "".join(parts)


def render_static_map(release, scope: Scope, width: int = 480, height: int = 300) -> StaticMap | None:
    """The SVG map of a territory, or None when there is nothing to draw (no QPV, no located establishment)."""
    columns = ("code", "geometry", "geojson", "min_lon", "min_lat", "max_lon", "max_lat")
    qpvs = list(_qpvs(scope).order_by("code").values(*columns))
    points = _points(release, scope) if release is not None else []
    as_centres = len(qpvs) > MAX_CONTOURS
    boxes = [(q["min_lon"], q["min_lat"], q["max_lon"], q["max_lat"]) for q in qpvs]
    boxes += [(lon, lat, lon, lat) for lon, lat in points]
    if not boxes:
        return None
    if scope.kind == "france":
        bounds = (-5.2, 41.3, 9.6, 51.1)  # mainland France; overseas QPVs are listed, not drawn
    else:
        bounds = (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
    project = _Projection(bounds, width, height)
    shapes = []
    for qpv in qpvs:
        if as_centres:
            x, y = project((qpv["min_lon"] + qpv["max_lon"]) / 2, (qpv["min_lat"] + qpv["max_lat"]) / 2)
            if 0 <= x <= width and 0 <= y <= height:
                shapes.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.6" fill="{QPV_COLOUR}"/>')
            continue
        wkb = bytes(qpv["geometry"] or b"")
        shape = shapely.from_wkb(wkb) if wkb else shapely.from_geojson(qpv["geojson"])
        geometry = shapely.simplify(shape, project.tolerance)
        path = _path(geometry, project)
        if path:
            shapes.append(
                f'<path d="{path}" fill="{QPV_COLOUR}" fill-opacity="0.18" stroke="{QPV_COLOUR}" '
                f'stroke-width="1"/>'
            )
    dots = []
    for lon, lat in points:
        x, y = project(lon, lat)
        if 0 <= x <= width and 0 <= y <= height:
            dots.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.8"/>')
    title = _("Map of the ESS establishments and QPV 2024 contours of %(name)s") % {"name": scope.name}
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title, {chr(34): "&quot;"})}">'
        f"<title>{escape(title)}</title>"
        f'<rect width="{width}" height="{height}" fill="#f3f4f6"/>'
        + "".join(shapes)
        + f'<g fill="{POINT_COLOUR}" fill-opacity="0.75">'
        + "".join(dots)
        + "</g></svg>"
    )
    return StaticMap(svg=svg, contours=0 if as_centres else len(qpvs), points=len(dots))
