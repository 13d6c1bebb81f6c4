"""Nearest QPV of points outside every QPV, per territory, in its metric projection, vectorised with numpy.

The contours are projected (Lambert-93, or the overseas territory's UTM) and cut into runs of at most
EDGES_PER_RUN consecutive edges. For each batch of points, squares of doubling size are searched in an STRtree of
the QPVs' boxes; bounds on the distance to a box keep the few QPVs, then the few runs, that may hold the nearest
edge; exact point-to-segment distances are computed for those edges only. A coarse grid of lower bounds lets
points far from every QPV skip the small squares. No Python loop per point.
"""

import numpy as np
import shapely
from pyproj import Geod, Transformer

from essor.territories import geometry as geo

# Search radii (metres) for the nearest QPV, tried in turn for the points not yet resolved; None = all QPVs.
# Doubling keeps the last square at most twice the true distance (few candidates); empty squares cost little.
NEAREST_RADII_M = (*(250 * 2**k for k in range(12)), None)
# Points handled at once by the nearest search (bounds the memory of the point x segment pairs).
NEAREST_CHUNK = 8_192
# Coarse grid of lower bounds on the distance (cell size and margin around the QPVs, metres).
FLOOR_CELL_M = 20_000
FLOOR_PAD_M = 300_000
# Distances closer than this are ties (floating-point noise); the smallest QPV code wins.
TIE_M = 0.001
GEOD = Geod(ellps="WGS84")
# Edges per run in the nearest search: fewer means more boxes to search, more means more distances.
EDGES_PER_RUN = 8


def _prune(px, py, point, item, bounds):
    """Keep the (point, item) pairs where the item may be the nearest, from bounds on the distance to its box.

    Any shape touches the four sides of its bounding box, so its distance is at most, for each side, the
    distance to that side's farther end (upper bound), and at least the distance to the box (lower bound).
    Returns the kept pairs and, per point, the smallest upper bound (inf for points without pairs).
    """
    x, y = px[point], py[point]
    x0, y0, x1, y1 = (column[item] for column in bounds)
    # Squared distances throughout (no square roots on the many pairs).
    to_x0, to_x1, to_y0, to_y1 = np.abs(x - x0), np.abs(x - x1), np.abs(y - y0), np.abs(y - y1)
    gap_x = np.maximum(np.maximum(x0 - x, x - x1), 0)
    gap_y = np.maximum(np.maximum(y0 - y, y - y1), 0)
    lower2 = gap_x * gap_x + gap_y * gap_y
    far_x, near_x = np.maximum(to_x0, to_x1), np.minimum(to_x0, to_x1)
    far_y, near_y = np.maximum(to_y0, to_y1), np.minimum(to_y0, to_y1)
    # Bottom or top side (far end along x), left or right side (far end along y).
    upper2 = np.minimum(far_x * far_x + near_y * near_y, near_x * near_x + far_y * far_y)
    best_upper2 = np.full(len(px), np.inf)
    np.minimum.at(best_upper2, point, upper2)
    keep = lower2 <= best_upper2[point]
    return point[keep], item[keep], np.sqrt(best_upper2)


def smallest_per_point(size: int, point: np.ndarray, value: np.ndarray) -> np.ndarray:
    """For each point 0..size-1, the smallest value paired with it; -1 when it has none."""
    big = np.iinfo(np.int64).max
    result = np.full(size, big, dtype=np.int64)
    np.minimum.at(result, point, value)
    result[result == big] = -1
    return result


class TerritoryEdges:
    """The QPVs of one territory in its metric projection, cut into short runs of edges, for the nearest search.

    An STRtree of the QPVs' boxes, searched in growing squares, gives the few QPVs that may be the nearest; their
    contours are cut into runs of at most EDGES_PER_RUN consecutive edges, and a point is only compared with the
    edges of the runs that may hold its nearest edge.
    """

    def __init__(self, epsg: int, members: np.ndarray, geoms_wgs84: np.ndarray):
        self.epsg = epsg
        self.members = members  # global indices of its QPVs
        self.to_metric = Transformer.from_crs(4326, epsg, always_xy=True)
        self.to_wgs84 = Transformer.from_crs(epsg, 4326, always_xy=True)
        self.geoms_wgs84 = geoms_wgs84
        lon_lat = shapely.bounds(geoms_wgs84)
        self.extent = (lon_lat[:, 0].min(), lon_lat[:, 1].min(), lon_lat[:, 2].max(), lon_lat[:, 3].max())
        projected = geo.to_metric(geoms_wgs84, epsg)
        self.projected = projected
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
        self.run_bounds = tuple(
            [
                np.minimum.reduceat(np.minimum(a[:, 0], b[:, 0]), starts),
                np.minimum.reduceat(np.minimum(a[:, 1], b[:, 1]), starts),
                np.maximum.reduceat(np.maximum(a[:, 0], b[:, 0]), starts),
                np.maximum.reduceat(np.maximum(a[:, 1], b[:, 1]), starts),
            ]
        )
        self.qpv_run_start = np.searchsorted(self.run_owner, np.arange(len(members) + 1))
        self.qpv_bounds = tuple(np.ascontiguousarray(column) for column in shapely.bounds(projected).T)
        self.qpv_tree = shapely.STRtree(shapely.box(*self.qpv_bounds))
        self._build_floor_grid()

    def contains_lon_lat(self, lon: np.ndarray, lat: np.ndarray, margin: float) -> np.ndarray:
        x0, y0, x1, y1 = self.extent
        return (lon >= x0 - margin) & (lon <= x1 + margin) & (lat >= y0 - margin) & (lat <= y1 + margin)

    def nearest(self, lon: np.ndarray, lat: np.ndarray, max_distance: float | None = None):
        """(global QPV index, distance in metres) of the nearest QPV of this territory, for points outside;
        (-1, NaN) when none is within max_distance."""
        x, y = self.to_metric.transform(lon, lat)
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        best, dist = self._nearest_xy(x, y, self._floor(x, y), max_distance)
        return np.where(best >= 0, self.members[best], -1), np.where(best >= 0, dist, np.nan)

    def _nearest_xy(self, x, y, floor, max_distance=None) -> tuple[np.ndarray, np.ndarray]:
        best = np.full(len(x), -1)
        dist = np.full(len(x), np.inf)
        for start in range(0, len(x), NEAREST_CHUNK):
            chunk = slice(start, start + NEAREST_CHUNK)
            best[chunk], dist[chunk] = self._nearest_chunk(x[chunk], y[chunk], floor[chunk], max_distance)
        return best, dist

    def _build_floor_grid(self):
        """Edge distances at the centres of a coarse grid: a lower bound on a point's distance (the distance to
        the edges changes by at most the distance moved), so far points skip the small search squares."""
        x0, y0 = self.qpv_bounds[0].min() - FLOOR_PAD_M, self.qpv_bounds[1].min() - FLOOR_PAD_M
        nx = int((self.qpv_bounds[2].max() + FLOOR_PAD_M - x0) / FLOOR_CELL_M) + 1
        ny = int((self.qpv_bounds[3].max() + FLOOR_PAD_M - y0) / FLOOR_CELL_M) + 1
        cx, cy = np.meshgrid(
            x0 + (np.arange(nx) + 0.5) * FLOOR_CELL_M, y0 + (np.arange(ny) + 0.5) * FLOOR_CELL_M
        )
        self.floor_origin = (x0, y0)
        self.floor_grid = np.zeros((ny, nx))  # all zero while it is computed: no skipping
        _, centre_distance = self._nearest_xy(cx.ravel(), cy.ravel(), np.zeros(cx.size))
        self.floor_grid = np.maximum(centre_distance.reshape(ny, nx) - FLOOR_CELL_M / np.sqrt(2), 0)

    def _floor(self, x, y) -> np.ndarray:
        i = np.floor((np.asarray(y) - self.floor_origin[1]) / FLOOR_CELL_M)
        j = np.floor((np.asarray(x) - self.floor_origin[0]) / FLOOR_CELL_M)
        ok = (i >= 0) & (i < self.floor_grid.shape[0]) & (j >= 0) & (j < self.floor_grid.shape[1])
        floor = np.zeros(len(i))
        floor[ok] = self.floor_grid[i[ok].astype(np.intp), j[ok].astype(np.intp)]
        return floor

    def _nearest_chunk(self, x, y, floor, max_distance=None) -> tuple[np.ndarray, np.ndarray]:
        """Two levels: QPV boxes give the few QPVs that may be the nearest, then the runs of their edges.
        With max_distance, the search stops there: points with no QPV that close get -1."""
        best = np.full(len(x), -1)
        dist = np.full(len(x), np.inf)
        pending = np.arange(len(x))
        radii = NEAREST_RADII_M
        if max_distance is not None:
            # Squares up to half the limit (cheap early exits), then the limit itself.
            radii = (
                *(radius for radius in radii if radius is not None and radius <= max_distance / 2),
                max_distance,
            )
        for radius in radii:
            if not len(pending):
                break
            # A square smaller than a point's floor cannot resolve it: the point waits for a larger one.
            todo = pending if radius is None else pending[floor[pending] <= radius]
            if not len(todo):
                continue
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
            # The last square (max_distance) holds every QPV close enough: done with what it found.
            resolved = upper <= (np.inf if radius is None or radius == max_distance else radius)
            keep = resolved[point]
            point, qpv = point[keep], qpv[keep]
            counts = self.qpv_run_start[qpv + 1] - self.qpv_run_start[qpv]
            first = np.cumsum(counts) - counts
            run = np.arange(counts.sum()) - np.repeat(first - self.qpv_run_start[qpv], counts)
            point, run, _ = _prune(px, py, np.repeat(point, counts), run, self.run_bounds)
            found_qpv, found_dist = self._exact(px, py, point, run)
            done = np.flatnonzero(resolved)
            best[todo[done]], dist[todo[done]] = found_qpv[done], found_dist[done]
            pending = np.setdiff1d(pending, todo[done], assume_unique=True)
        if max_distance is not None:
            too_far = dist > max_distance
            best[too_far], dist[too_far] = -1, np.inf
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
        return smallest_per_point(len(px), point[winner], self.run_owner[run[winner]]), np.sqrt(found_d2)

    def geodesic(self, lon: np.ndarray, lat: np.ndarray, qpv: np.ndarray) -> np.ndarray:
        """Geodesic distance (WGS84 ellipsoid) from each point to the nearest point of its QPV's contour, that
        point being found in the projection: the honest figure for points far from the territory, where the
        projection's scale is off. Falls back to the contour's centroid where the projection fails."""
        local = np.searchsorted(self.members, qpv)
        x, y = self.to_metric.transform(lon, lat)
        ends = shapely.get_coordinates(shapely.shortest_line(shapely.points(x, y), self.projected[local]))[
            1::2
        ]
        end_lon, end_lat = self.to_wgs84.transform(ends[:, 0], ends[:, 1])
        end_lon, end_lat = np.asarray(end_lon, dtype=float), np.asarray(end_lat, dtype=float)
        failed = ~(np.isfinite(end_lon) & np.isfinite(end_lat))
        if failed.any():
            centres = shapely.centroid(self.geoms_wgs84[local[failed]])
            end_lon[failed], end_lat[failed] = shapely.get_x(centres), shapely.get_y(centres)
        return np.asarray(GEOD.inv(lon, lat, end_lon, end_lat)[2], dtype=float)
