"""The QPV lookup through the distance fields (distance_field.py): the same answers as the exhaustive search, faster.

One field per territory, built on first use by a large batch (FIELD_MIN_POINTS) and kept for the process; with a
cache folder, saved there too (`qpv-field-<fingerprint>.npz`), the fingerprint being a hash of the contours' edges
as projected plus the field's parameters, so that a new reference (or a new build rule) never reads a stale file.
Per point: the owner territory (the rule of QpvIndex.nearest_outside), the projection, the leaf of the field; a
leaf crossed by no contour gives the containing QPV (or none) at once, the others go through the exact
containment test; outside points get the exact distance to the leaf's few candidate edges. Points beyond a
field's extent (far at sea) use the exhaustive search.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from essor.territories import distance_field as df
from essor.territories.nearest import GEOD

logger = logging.getLogger("essor.territories")

# Below this many points, the exhaustive search is used (no field is built for a handful of points).
FIELD_MIN_POINTS = 50_000
# Version of the saved layout: bump when the arrays change meaning.
FORMAT = 1
ARRAYS = ("child", "status", "start", "width", "leaf_edges")
SCALARS = ("x0", "y0", "nx", "ny", "margin")


def fingerprint(territories) -> str:
    """A hash of every territory's projected edges and QPVs, and of the field's parameters."""
    digest = hashlib.sha256()
    parameters = (
        FORMAT,
        df.ROOT_M,
        df.MIN_CELL_M,
        df.SPLIT,
        df.MAX_EDGES,
        df.SPLIT_RATIO,
        df.MAX_FAR_EDGES,
        df.EXPAND_M,
    )
    digest.update(repr((parameters, df.EXPAND_RATIO, df.EXPAND_FEW, df.PAD_M, df.SLACK_M)).encode())
    for territory in territories:
        digest.update(str(territory.epsg).encode())
        for array in (
            territory.members,
            territory.ax,
            territory.ay,
            territory.dx,
            territory.dy,
            territory.run_start,
        ):
            digest.update(np.ascontiguousarray(array).tobytes())
        digest.update(np.ascontiguousarray(territory.run_owner).tobytes())
    return digest.hexdigest()[:24]


class FieldSet:
    """The distance fields of a QpvIndex's territories: built (or read from the cache folder) once, on demand."""

    def __init__(self, index, cache_dir: Path | None = None):
        self.index = index
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self._fields: list | None = None
        self._fingerprint: str | None = None
        self._lock = threading.Lock()
        self.build_seconds: float | None = None
        self.source: str | None = None  # "built" or "cache"

    @property
    def ready(self) -> bool:
        path = self._cache_path()
        return self._fields is not None or (path is not None and path.exists())

    def _cache_path(self) -> Path | None:
        if self.cache_dir is None:
            return None
        if self._fingerprint is None:  # the contours never change in an index: hashed once
            self._fingerprint = fingerprint(self.index.territories)
        return self.cache_dir / f"qpv-field-{self._fingerprint}.npz"

    def fields(self) -> list:
        with self._lock:
            if self._fields is None:
                started = time.perf_counter()
                self._fields = self._load() or self._build()
                self.build_seconds = time.perf_counter() - started
                logger.info("QPV distance fields %s in %.1f s", self.source, self.build_seconds)
            return self._fields

    def nbytes(self) -> int:
        return sum(
            getattr(field, name).nbytes
            for field in self.fields()
            for name in (*ARRAYS, "table", "edge_owner")
        )

    def _build(self) -> list:
        fields = []
        for territory in self.index.territories:

            def inside_of(x, y, territory=territory):
                lon, lat = territory.to_wgs84.transform(x, y)
                return self.index.contains(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))

            fields.append(df.DistanceField(territory, inside_of))
        self.source = "built"
        self._save(fields)
        return fields

    def _save(self, fields) -> None:
        path = self._cache_path()
        if path is None:
            return
        arrays = {}
        for k, field in enumerate(fields):
            for name in ARRAYS:
                arrays[f"{k}_{name}"] = getattr(field, name)
            arrays[f"{k}_scalars"] = np.array([getattr(field, name) for name in SCALARS], dtype=float)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written aside then renamed: a reader never sees half a file.
            with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".part", delete=False) as handle:
                np.savez(handle, **arrays)
            os.replace(handle.name, path)
        except OSError as exc:  # a read-only folder costs the next process a rebuild, nothing else
            logger.warning("QPV distance fields not saved to %s: %s", path, exc)

    def _load(self) -> list | None:
        path = self._cache_path()
        if path is None or not path.exists():
            return None
        try:
            with np.load(path) as saved:
                fields = []
                for k, territory in enumerate(self.index.territories):
                    values = {name: saved[f"{k}_{name}"] for name in ARRAYS}
                    scalars = dict(zip(SCALARS, saved[f"{k}_scalars"].tolist(), strict=True))
                    fields.append(df.DistanceField.restore(territory, values, scalars))
        except (OSError, KeyError, ValueError) as exc:
            logger.warning("QPV distance fields in %s unreadable (%s): rebuilt", path, exc)
            return None
        self.source = "cache"
        return fields


def locate(index, lon, lat, nearest: bool, max_distance_m: float | None, geodesic_beyond_m: float):
    """(qpv, nearest, distance_m) arrays: QpvIndex.locate's answer, through the fields."""
    fields = index.field_set.fields()
    n = len(lon)
    qpv = np.full(n, -1)
    finite = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
    owner = index.owners(lon[finite], lat[finite])
    parts, exact = [], []
    for k, (territory, field) in enumerate(zip(index.territories, fields, strict=True)):
        mine = finite[owner == k]
        x, y = territory.to_metric.transform(lon[mine], lat[mine])
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        node = field.leaf(x, y)
        status = np.where(node >= 0, field.status[np.maximum(node, 0)], df.BORDER)
        known = status >= 0
        qpv[mine[known]] = status[known]
        exact.append(mine[status == df.BORDER])
        parts.append((territory, field, mine, x, y, node))
    test = np.concatenate(exact) if exact else np.zeros(0, dtype=np.int64)
    if len(test):
        qpv[test] = index.contains(lon[test], lat[test])
    closest = np.where(qpv >= 0, qpv, -1)
    distance = np.where(qpv >= 0, 0.0, np.nan)
    if not nearest:
        return qpv, closest, distance
    for territory, field, mine, x, y, node in parts:
        out = qpv[mine] < 0
        in_field = np.flatnonzero(out & (node >= 0))
        best, dist, end_x, end_y = field.nearest(x[in_field], y[in_field], node[in_field])
        if max_distance_m is not None:
            too_far = dist > max_distance_m
            best[too_far], dist[too_far] = -1, np.inf
        found = best >= 0
        points = mine[in_field]
        closest[points] = np.where(found, territory.members[np.maximum(best, 0)], -1)
        distance[points] = np.where(found, dist, np.nan)
        # Far away, the distance along the ellipsoid to the same contour point (what territory.geodesic does).
        far = np.flatnonzero(found & ~(dist <= geodesic_beyond_m))
        if len(far):
            end_lon, end_lat = territory.to_wgs84.transform(end_x[far], end_y[far])
            end_lon, end_lat = np.asarray(end_lon, dtype=float), np.asarray(end_lat, dtype=float)
            metres = np.asarray(
                GEOD.inv(lon[points[far]], lat[points[far]], end_lon, end_lat)[2], dtype=float
            )
            failed = ~(np.isfinite(end_lon) & np.isfinite(end_lat))
            if failed.any():
                lost = points[far[failed]]
                metres[failed] = territory.geodesic(lon[lost], lat[lost], closest[lost])
            distance[points[far]] = metres
        beyond = mine[np.flatnonzero(out & (node < 0))]  # far at sea: the exhaustive search
        if len(beyond):
            closest[beyond], distance[beyond] = territory.nearest(lon[beyond], lat[beyond], max_distance_m)
            far = beyond[(closest[beyond] >= 0) & ~(distance[beyond] <= geodesic_beyond_m)]
            if len(far):
                distance[far] = territory.geodesic(lon[far], lat[far], closest[far])
    return qpv, closest, distance
