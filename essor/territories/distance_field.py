"""A precomputed coarse distance field over one territory: per cell, the few edges that can be a point's nearest.

The territory (its QPV contours in the metric projection, cut into edges) is covered by a tree of square cells:
a root grid of ROOT_M squares split in SPLIT x SPLIT wherever needed, down to MIN_CELL_M. Each leaf lists the edges
that may be the nearest edge of *some* point of the cell (a superset, proven by the bounds below), and whether
the cell is crossed by no contour at all, in which case every point of it lies in the same QPVs (or none).
A query is then: find the leaf (a few integer divisions per level), and either the answer is known (inside a QPV:
that QPV at 0 m) or the exact point-to-segment distance is computed for the leaf's few edges only, with the very
formula of the exhaustive search (nearest.py), so the result is the same to the last bit.

Why an edge may be dropped from a cell (c its centre, r its half-diagonal, D(p) the distance to the nearest edge,
which is 1-Lipschitz):
- Annulus: D(p) <= D(c) + r and d_e(p) >= d_e(c) - r, so an edge with d_e(c) > D(c) + 2r is never the nearest.
  For a box holding QPVs or runs of edges, the box's distance to the cell and an upper bound of D(c) serve alike.
- Half-plane: with y the point of the contour nearest to c and pi the point of e nearest to c, for every p,
  d_e(p) >= <p - pi, u> (u the unit vector from pi to c: e lies behind the line through pi) and D(p) <= |p - y|.
  The difference of those bounds is concave in p, so its minimum over the cell is at a corner: when it is above
  the tie tolerance at the four corners, e is never within a tie of the nearest anywhere in the cell. Far from
  the contours this keeps only the edges that face the cell, where the annulus alone would keep a whole city.

Build: top-down, first with the QPVs' boxes as items, then runs of edges, then edges (each child gets its
parent's survivors, filtered again), everything vectorised over (cell, item) pairs.
"""

from __future__ import annotations

import numpy as np

# Root cells (metres, a power of two so that cell indices nest exactly at every level) and the smallest cell.
ROOT_M = 2.0**16  # 65.5 km
MIN_CELL_M = 2.0**6  # 64 m
SPLIT = 2  # children per side
# A cell with more candidate edges than this is split (unless it is already the smallest size).
MAX_EDGES = 16
# ... unless the cell is already this small compared with its distance to the contours: along the bisector of two
# fronts, many edges stay candidates however small the cell, and the few points there can afford them.
SPLIT_RATIO = 16.0
MAX_FAR_EDGES = 48  # ... as long as it has fewer candidates than this
# Switch from QPV boxes to edges when the cell is this small, or small compared with its distance to the QPVs.
EXPAND_M = 1024.0
EXPAND_RATIO = 8.0
EXPAND_FEW = 2
# Margin around the QPVs covered by the field (metres); points beyond it use the exhaustive search.
PAD_M = 100_000.0
# Slack added to every keep test: the tie tolerance plus floating-point noise on coordinates of ~1e7 m.
SLACK_M = 0.001 + 0.01
# Leaf status: >= 0 every point of the cell is inside that QPV (global index); OUTSIDE: in no QPV;
# BORDER: a contour may cross the cell (exact containment test needed).
OUTSIDE, BORDER = -1, -2
# Sentinel edge (appended at the end of the edge arrays) for padded query rows: a huge but finite distance.
FAR = 1e150


def _segment(px, py, ax, ay, dx, dy, inv):
    """Distance and nearest point from points to segments: the formula of nearest.py's exact step."""
    ex, ey = px - ax, py - ay
    t = np.clip((ex * dx + ey * dy) * inv, 0.0, 1.0)
    qx, qy = ax + t * dx, ay + t * dy
    return np.sqrt((ex - t * dx) ** 2 + (ey - t * dy) ** 2), qx, qy


def _half_plane_keep(cx, cy, h, px, py, dist, yx, yy):
    """The half-plane test at the four corners (True = keep); dist is |c - pi|, 0 keeps (no direction)."""
    safe = np.where(dist > 0, dist, 1.0)
    ux, uy = (cx - px) / safe, (cy - py) / safe
    worst = np.full(len(cx), np.inf)
    for sx in (-1.0, 1.0):
        for sy in (-1.0, 1.0):
            kx, ky = cx + sx * h, cy + sy * h
            value = (kx - px) * ux + (ky - py) * uy - np.hypot(kx - yx, ky - yy)
            np.minimum(worst, value, out=worst)
    return (dist <= 0) | (worst <= SLACK_M)


class DistanceField:
    """The cell tree of one territory (see the module docstring); `edges` is a nearest.TerritoryEdges."""

    def __init__(self, edges, inside_of):
        """inside_of(x, y): global index of the QPV holding each projected point (-1: none), the exact rule."""
        self._prepare(edges)
        bx0, by0, bx1, by1 = (np.asarray(column) for column in edges.qpv_bounds)
        self.x0 = float(np.floor((bx0.min() - PAD_M) / ROOT_M) * ROOT_M)
        self.y0 = float(np.floor((by0.min() - PAD_M) / ROOT_M) * ROOT_M)
        self.nx = int(np.ceil((bx1.max() + PAD_M - self.x0) / ROOT_M))
        self.ny = int(np.ceil((by1.max() + PAD_M - self.y0) / ROOT_M))
        self.margin = self._straightness_margin()
        self._build(inside_of)

    @classmethod
    def restore(cls, edges, arrays: dict, scalars: dict) -> DistanceField:
        """A field saved earlier (field_lookup's cache) for the same edges."""
        field = cls.__new__(cls)
        field._prepare(edges)
        for name, value in arrays.items():
            setattr(field, name, value)
        field.x0, field.y0, field.margin = scalars["x0"], scalars["y0"], scalars["margin"]
        field.nx, field.ny = int(scalars["nx"]), int(scalars["ny"])
        return field

    def _prepare(self, edges):
        self.edges = edges
        counts = np.diff(edges.run_start)
        # Owner (local QPV index) of each edge; the sentinel's is the largest integer (never the smallest).
        self.edge_owner = np.r_[np.repeat(edges.run_owner, counts), np.iinfo(np.int64).max]
        # Edge arrays with the sentinel edge at the end (index n_edges).
        self.ax, self.ay = np.r_[edges.ax, FAR], np.r_[edges.ay, FAR]
        self.dx, self.dy = np.r_[edges.dx, 0.0], np.r_[edges.dy, 0.0]
        self.inv = np.r_[edges.inv_length2, 0.0]
        self.sentinel = len(edges.ax)
        # The five numbers of each edge [ax, ay, dx, dy, 1/length^2] as rows: one gather for all five.
        self.table = np.stack([self.ax, self.ay, self.dx, self.dy, self.inv])

    # ---- Build

    def _straightness_margin(self) -> float:
        """How far a contour edge, straight in degrees (containment), strays from the same edge straight in
        metres (distances): measured at each edge's middle, doubled, plus 1 m."""
        e = self.edges
        if not len(e.ax):
            return 1.0
        lon_a, lat_a = e.to_wgs84.transform(e.ax, e.ay)
        lon_b, lat_b = e.to_wgs84.transform(e.ax + e.dx, e.ay + e.dy)
        mx, my = e.to_metric.transform((np.asarray(lon_a) + lon_b) / 2, (np.asarray(lat_a) + lat_b) / 2)
        stray = np.hypot(np.asarray(mx) - (e.ax + e.dx / 2), np.asarray(my) - (e.ay + e.dy / 2))
        return 2 * float(np.nanmax(stray)) + 1.0

    def _new_nodes(self, cx, cy, half):
        first = len(self.cx)
        self.cx = np.r_[self.cx, cx]
        self.cy = np.r_[self.cy, cy]
        self.half = np.r_[self.half, half]
        self.child = np.r_[self.child, np.full(len(cx), -1, dtype=np.int64)]
        return first

    def _split(self, parents, cell, item):
        """SPLIT x SPLIT children per parent (row-major, y then x), each with its parent's items; pairs sorted
        by cell in, children's pairs sorted by cell out."""
        fan = SPLIT * SPLIT
        half = self.half[parents] / SPLIT
        offsets = (np.arange(SPLIT) * 2 + 1 - SPLIT) * half[:, None]  # child centres relative to the parent
        shape = (len(parents), SPLIT, SPLIT)
        cx = np.broadcast_to(self.cx[parents][:, None, None] + offsets[:, None, :], shape).ravel()
        cy = np.broadcast_to(self.cy[parents][:, None, None] + offsets[:, :, None], shape).ravel()
        first = self._new_nodes(cx, cy, np.repeat(half, fan))
        self.child[parents] = first + np.arange(len(parents)) * fan
        starts, lengths = _segments(cell)
        assert np.array_equal(cell[starts], parents)
        counts = np.repeat(lengths, fan)
        position = np.repeat(np.repeat(starts, fan), counts) + _ramp(counts)
        return np.repeat(first + np.arange(len(parents) * fan), counts), item[position]

    def _filter_boxes(self, cell, item, bounds, vx, vy):
        """Keep the (cell, box item) pairs whose box may hold a nearest edge; per cell, a lower bound of D."""
        starts, lengths = _segments(cell)
        cx, cy, h = self.cx[cell], self.cy[cell], self.half[cell]
        x0, y0, x1, y1 = (column[item] for column in bounds)
        px, py = np.clip(cx, x0, x1), np.clip(cy, y0, y1)
        lower = np.hypot(cx - px, cy - py)
        to_x0, to_x1, to_y0, to_y1 = np.abs(cx - x0), np.abs(cx - x1), np.abs(cy - y0), np.abs(cy - y1)
        far_x, near_x = np.maximum(to_x0, to_x1), np.minimum(to_x0, to_x1)
        far_y, near_y = np.maximum(to_y0, to_y1), np.minimum(to_y0, to_y1)
        upper = np.sqrt(np.minimum(far_x**2 + near_y**2, near_x**2 + far_y**2))
        vertex = np.hypot(cx - vx[item], cy - vy[item])
        bound = np.repeat(np.minimum.reduceat(np.minimum(upper, vertex), starts), lengths)
        gap = np.hypot(
            np.maximum(np.abs(cx - (x0 + x1) / 2) - (x1 - x0) / 2 - h, 0),
            np.maximum(np.abs(cy - (y0 + y1) / 2) - (y1 - y0) / 2 - h, 0),
        )  # from the box to the cell
        keep = np.flatnonzero(gap <= bound + h * np.sqrt(2) + SLACK_M)
        # The half-plane test, against the contour vertex nearest to the centre.
        w = _argmin_per_segment(vertex, starts, lengths)[keep]
        y_x, y_y = vx[item[w]], vy[item[w]]
        close = _half_plane_keep(cx[keep], cy[keep], h[keep], px[keep], py[keep], lower[keep], y_x, y_y)
        keep = keep[close]
        return cell[keep], item[keep], gap[keep]

    def _filter_edges(self, cell, edge):
        """Keep the (cell, edge) pairs whose edge may be the nearest (within a tie) somewhere in the cell; and
        per kept pair, the exact distance from the cell's centre to its nearest edge."""
        starts, lengths = _segments(cell)
        cx, cy, h = self.cx[cell], self.cy[cell], self.half[cell]
        dist, px, py = _segment(
            cx, cy, self.ax[edge], self.ay[edge], self.dx[edge], self.dy[edge], self.inv[edge]
        )
        best = np.repeat(np.minimum.reduceat(dist, starts), lengths)
        keep = np.flatnonzero(dist <= best + 2 * h * np.sqrt(2) + SLACK_M)
        w = _argmin_per_segment(dist, starts, lengths)[keep]
        close = _half_plane_keep(cx[keep], cy[keep], h[keep], px[keep], py[keep], dist[keep], px[w], py[w])
        keep = keep[close]
        return cell[keep], edge[keep], best[keep]

    def _build(self, inside_of):
        e = self.edges
        n_qpv = len(e.members)
        gx, gy = np.meshgrid(np.arange(self.nx), np.arange(self.ny))
        self.cx, self.cy, self.half = np.zeros(0), np.zeros(0), np.zeros(0)
        self.child = np.zeros(0, dtype=np.int64)
        self._new_nodes(
            self.x0 + (gx.ravel() + 0.5) * ROOT_M,
            self.y0 + (gy.ravel() + 0.5) * ROOT_M,
            np.full(gx.size, ROOT_M / 2),
        )
        first_run = e.run_start[:-1]
        run_vx, run_vy = e.ax[first_run], e.ay[first_run]
        qpv_vx, qpv_vy = run_vx[e.qpv_run_start[:-1]], run_vy[e.qpv_run_start[:-1]]
        qcell = np.repeat(np.arange(gx.size), n_qpv)
        qitem = np.tile(np.arange(n_qpv), gx.size)
        empty = np.zeros(0, dtype=np.int64)
        ecell = eitem = empty
        leaves = []
        while len(qcell) or len(ecell):
            # QPV boxes: split further, or switch to edges (through runs) once the cell is small enough.
            expanded_cell = expanded_item = empty
            if len(qcell):
                qcell, qitem, gap = _chunked(self._filter_boxes, qcell, qitem, e.qpv_bounds, qpv_vx, qpv_vy)
                starts, lengths = _segments(qcell)
                cells, floor, h = qcell[starts], np.minimum.reduceat(gap, starts), self.half[qcell[starts]]
                expand = (2 * h <= EXPAND_M) | (2 * h * EXPAND_RATIO <= floor) | (lengths <= EXPAND_FEW)
                go = np.repeat(expand, lengths)
                counts = e.qpv_run_start[qitem[go] + 1] - e.qpv_run_start[qitem[go]]
                rcell = np.repeat(qcell[go], counts)
                ritem = np.repeat(e.qpv_run_start[qitem[go]], counts) + _ramp(counts)
                if len(rcell):
                    rcell, ritem, _ = _chunked(self._filter_boxes, rcell, ritem, e.run_bounds, run_vx, run_vy)
                counts = e.run_start[ritem + 1] - e.run_start[ritem]
                expanded_cell = np.repeat(rcell, counts)
                expanded_item = np.repeat(e.run_start[ritem], counts) + _ramp(counts)
                qcell, qitem = (
                    self._split(cells[~expand], qcell[~go], qitem[~go]) if (~expand).any() else (empty, empty)
                )
            ecell, eitem = np.r_[ecell, expanded_cell], np.r_[eitem, expanded_item]
            if not len(ecell):
                continue
            order = np.argsort(ecell, kind="stable")
            ecell, eitem = ecell[order], eitem[order]
            ecell, eitem, best = _chunked(self._filter_edges, ecell, eitem)
            # Cells with too many edges are split (edges to their children), the others are leaves.
            starts, lengths = _segments(ecell)
            ids = ecell[starts]
            size = 2 * self.half[ids]
            split = (lengths > MAX_EDGES) & (size > MIN_CELL_M)
            split &= (size * SPLIT_RATIO > best[starts]) | (lengths > MAX_FAR_EDGES)
            leaf = ~np.repeat(split, lengths)
            leaves.append((ecell[leaf], eitem[leaf], ids[~split], best[starts][~split]))
            ecell, eitem = (
                self._split(ids[split], ecell[~leaf], eitem[~leaf]) if split.any() else (empty, empty)
            )
        self._finish(*(np.concatenate(parts) for parts in zip(*leaves, strict=True)), inside_of)

    def _finish(self, cell, edge, leaf_ids, best, inside_of):
        size = len(self.cx)
        self.status = np.full(size, BORDER, dtype=np.int64)
        # No contour within the cell (D > r at the centre means D > 0 everywhere), with a margin for the contour
        # being straight in degrees (containment) and in metres (distances): the same QPVs for every point.
        plain = best > self.half[leaf_ids] * np.sqrt(2) + self.margin
        self.status[leaf_ids[plain]] = inside_of(self.cx[leaf_ids[plain]], self.cy[leaf_ids[plain]])
        # Leaves inside a QPV need no edges. The others' lists are padded with the sentinel edge to an even width
        # (a multiple of 8 beyond 16): a query reads whole rows of one width, without masks.
        keep = self.status[cell] < 0
        cell, edge = cell[keep], edge[keep]
        order = np.argsort(cell, kind="stable")
        cell, edge = cell[order], edge[order]
        count = np.bincount(cell, minlength=size)
        width = np.where(count <= 16, -(-count // 2) * 2, -(-count // 8) * 8).astype(np.int64)
        self.start = (np.cumsum(width) - width).astype(np.int64)
        self.width = width.astype(np.int32)
        self.leaf_edges = np.full(int(width.sum()), self.sentinel, dtype=np.int32)
        self.leaf_edges[
            np.repeat(self.start[np.unique(cell)], count[count > 0]) + _ramp(count[count > 0])
        ] = edge
        self.child = self.child.astype(np.int32)
        self.status = self.status.astype(np.int32)
        self.cx = self.cy = self.half = None

    # ---- Query

    def leaf(self, x, y):
        """Leaf node of each projected point, -1 outside the field (or NaN)."""
        tx, ty = (x - self.x0) / ROOT_M, (y - self.y0) / ROOT_M
        ok = np.flatnonzero((tx >= 0) & (tx < self.nx) & (ty >= 0) & (ty < self.ny))
        node = np.full(len(x), -1, dtype=np.int64)
        # Cell coordinates at the finest level, as integers: each level down reads one more bit of them.
        depth = int(round(np.log2(ROOT_M / MIN_CELL_M) / np.log2(SPLIT)))
        fine = float(SPLIT**depth)
        ix, iy = (tx[ok] * fine).astype(np.int64), (ty[ok] * fine).astype(np.int64)
        here = (iy // SPLIT**depth) * self.nx + ix // SPLIT**depth
        for level in range(depth - 1, -1, -1):
            below = self.child[here]
            inner = below >= 0
            if not inner.any():
                break
            node[ok[~inner]] = here[~inner]
            ok, ix, iy, below = ok[inner], ix[inner], iy[inner], below[inner]
            step = SPLIT**level
            here = below + (iy // step % SPLIT) * SPLIT + ix // step % SPLIT
        node[ok] = here
        return node

    def nearest(self, x, y, node):
        """(local QPV index, distance, nearest contour point x, y) for points in leaves (node >= 0) with edges."""
        best = np.full(len(x), -1, dtype=np.int64)
        dist = np.full(len(x), np.inf)
        end_x, end_y = np.full(len(x), np.nan), np.full(len(x), np.nan)
        width = self.width[node].astype(np.int64)
        # In the order of the leaves (by width, then node): the edges gathered are then mostly next to each other
        # in memory, several times faster than in the points' order.
        order = np.argsort(width << 32 | node)
        bounds = np.searchsorted(width[order], np.unique(width), side="right")
        low = 0
        for high in bounds:
            w = int(width[order[low]]) if high > low else 0
            for chunk in range(low, high, QUERY_CHUNK):
                part = order[chunk : min(high, chunk + QUERY_CHUNK)]
                if w:
                    best[part], dist[part], end_x[part], end_y[part] = self._rows(
                        x[part], y[part], node[part], w
                    )
            low = high
        return best, dist, end_x, end_y

    def _rows(self, x, y, node, w):
        edge = self.leaf_edges[self.start[node][:, None] + np.arange(w)]
        ax, ay, dx, dy, inv = np.take(self.table, edge, axis=1)
        # The formula of nearest.py's exact step, operation for operation (the same rounding, the same result).
        ex = x[:, None] - ax
        ey = y[:, None] - ay
        t = ex * dx
        t += ey * dy
        t *= inv
        np.clip(t, 0.0, 1.0, out=t)
        ex -= t * dx
        ey -= t * dy
        ex *= ex
        ey *= ey
        d2 = ex
        d2 += ey
        k = d2.argmin(axis=1)
        rows = np.arange(len(x))
        found2 = d2[rows, k]
        t_k = t[rows, k]
        end_x, end_y = ax[rows, k] + t_k * dx[rows, k], ay[rows, k] + t_k * dy[rows, k]
        found = np.sqrt(found2)
        owner = self.edge_owner[edge[rows, k]]
        # Ties (equidistant to the millimetre): the smallest index, i.e. code, as nearest.py does; rows with a
        # second edge that close are settled exactly (a generous square test first, then the one of nearest.py).
        near = d2 <= ((found + 2 * TIE_M) ** 2)[:, None]
        tied = np.flatnonzero(near.sum(axis=1) > 1)
        if len(tied):
            winner = np.sqrt(d2[tied]) <= found[tied, None] + TIE_M
            owners = np.where(winner, self.edge_owner[edge[tied]], np.iinfo(np.int64).max)
            owner[tied] = owners.min(axis=1)
        return owner, found, end_x, end_y


TIE_M = 0.001
# (cell, item) pairs filtered at once by the build (bounds its memory: ~15 arrays of this many floats).
BUILD_CHUNK = 1_000_000
# Points per block of the query (bounds the memory of the point x edge rows).
QUERY_CHUNK = 16_384


def _chunked(function, cell, item, *args):
    """function(cell, item, *args) -> three aligned arrays, applied to slices of about BUILD_CHUNK pairs cut
    between cells (the filters work cell by cell): the build's memory stays bounded."""
    if len(cell) <= BUILD_CHUNK:
        return function(cell, item, *args)
    starts, _ = _segments(cell)
    cuts = np.unique(starts[np.searchsorted(starts, np.arange(BUILD_CHUNK, len(cell), BUILD_CHUNK))[:] - 1])
    bounds = [0, *[int(c) for c in cuts if c > 0], len(cell)]
    parts = [
        function(cell[a:b], item[a:b], *args) for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b > a
    ]
    return tuple(np.concatenate(column) for column in zip(*parts, strict=True))


def _segments(cell):
    """Start and length of each run of equal values in a sorted array."""
    if not len(cell):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]])
    return starts, np.diff(np.r_[starts, len(cell)])


def _argmin_per_segment(values, starts, lengths):
    """Per element, the position of its segment's smallest value (the first one on a tie)."""
    low = np.repeat(np.minimum.reduceat(values, starts), lengths)
    hit = np.flatnonzero(values <= low)
    segment = np.searchsorted(starts, hit, side="right")
    first = hit[np.r_[True, segment[1:] != segment[:-1]]]
    return np.repeat(first, lengths)


def _ramp(counts):
    """0..count-1 for each count, concatenated."""
    first = np.cumsum(counts) - counts
    return np.arange(counts.sum()) - np.repeat(first, counts)
