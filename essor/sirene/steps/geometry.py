"""Step 5: point-in-polygon (QPV 2024 and 2015 when INSEE gave no usable answer) and the 300 m band, in Python
(shapely, numpy arrays) for the points in grid cells near a QPV only; everything else is decided in SQL.

A coordinate that converts to a non-finite value (out of the projection's domain) is left unmatched, so one bad
row can never abort the release: geometry libraries raise on NaN or infinity, so such points never reach them.
"""

from __future__ import annotations

import numpy as np

from essor.sirene.qpv_attribution import CELL_METRES, NO_MATCH, WGS84, to_crs, wgs84


def run(p) -> None:
    p.con.execute(
        "CREATE TABLE geo_result (siret_n UBIGINT, qpv24 INTEGER, qpv15 INTEGER, near24 INTEGER, "
        "lon DOUBLE, lat DOUBLE)"
    )
    cell = CELL_METRES
    candidates = p.con.execute(f"""
        SELECT siret_n, metric_epsg, coalesce(epsg, 0) AS epsg, coalesce(x, 'NaN'::DOUBLE) AS x,
               coalesce(y, 'NaN'::DOUBLE) AS y, coalesce(lon, 'NaN'::DOUBLE) AS lon,
               coalesce(lat, 'NaN'::DOUBLE) AS lat,
               insee24 IS NULL AND NOT outside24 AS need24, insee15 IS NULL AND NOT outside15 AS need15
        FROM located l
        WHERE (x IS NOT NULL OR lon IS NOT NULL)
          AND (x IS NULL OR epsg <> metric_epsg OR EXISTS (
                SELECT 1 FROM ref_cell c WHERE c.epsg = l.metric_epsg
                AND c.cx = CAST(floor(l.x / {cell}) AS BIGINT) AND c.cy = CAST(floor(l.y / {cell}) AS BIGINT)))
        ORDER BY metric_epsg, epsg
    """).fetchnumpy()  # noqa: S608 - code constants and sql.literal()/formats-quoted values
    p.result.report["geometry_candidates"] = int(len(candidates["siret_n"]))
    p.progress.set_total(len(candidates["siret_n"]))
    index24, index15 = p.indexes[2024], p.indexes[2015]
    unconvertible = 0
    for target, source, rows in groups(candidates["metric_epsg"], candidates["epsg"]):
        x, y = metric_coordinates(candidates, rows, int(source), int(target))
        usable = np.isfinite(x) & np.isfinite(y)
        unconvertible += int((~usable).sum())
        # Converted to WGS84 (the index's system) once for both generations; 2024's containment and its 300 m
        # band come from one search.
        lon, lat = wgs84(int(target), x[usable], y[usable])
        need24 = candidates["need24"][rows][usable]
        need15 = candidates["need15"][rows][usable]
        inside24, near24 = index24.within_band_lon_lat(int(target), lon, lat)
        r24 = np.full(len(rows), NO_MATCH, dtype=np.int32)
        r15 = np.full(len(rows), NO_MATCH, dtype=np.int32)
        near = np.full(len(rows), NO_MATCH, dtype=np.int32)
        r24[usable] = np.where(need24, inside24, NO_MATCH)
        r15[np.flatnonzero(usable)[need15]] = index15.locate_lon_lat(int(target), lon[need15], lat[need15])
        near[usable] = near24
        keep = (r24 != NO_MATCH) | (r15 != NO_MATCH) | (near != NO_MATCH)
        if keep.any():
            p.con.execute(
                "INSERT INTO geo_result SELECT unnest($1), unnest($2), unnest($3), unnest($4), NULL, NULL",
                [candidates["siret_n"][rows][keep], r24[keep], r15[keep], near[keep]],
            )
        p.progress.advance(len(rows))
    p.result.report["geolocation"]["unconvertible_coordinates"] = unconvertible
    _wgs84_for_ess(p)


def _wgs84_for_ess(p) -> None:
    """ESS establishments located only in a projected system get WGS84 coordinates for the maps."""
    rows = p.con.execute("""
        SELECT l.siret_n, l.epsg, l.x, l.y FROM located l JOIN etab e USING (siret_n)
        WHERE e.is_ess AND NOT e.private AND e.reject_reason IS NULL AND l.lon IS NULL AND l.x IS NOT NULL
        ORDER BY l.epsg
    """).fetchnumpy()
    for epsg in np.unique(rows["epsg"]):
        mask = rows["epsg"] == epsg
        lon, lat = to_crs(int(epsg), WGS84, rows["x"][mask], rows["y"][mask])
        finite = np.isfinite(lon) & np.isfinite(lat)
        p.con.execute(
            "INSERT INTO geo_result SELECT unnest($1), -1, -1, -1, unnest($2), unnest($3)",
            [rows["siret_n"][mask][finite], lon[finite], lat[finite]],
        )


def groups(targets: np.ndarray, sources: np.ndarray) -> list[tuple[int, int, np.ndarray]]:
    """Row indices grouped by (target metric system, row system); the arrays are sorted by both."""
    if len(targets) == 0:
        return []
    keys = targets.astype(np.int64) * 100_000 + sources.astype(np.int64)
    boundaries = np.flatnonzero(np.diff(keys)) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [len(keys)]))
    return [(int(targets[s]), int(sources[s]), np.arange(s, e)) for s, e in zip(starts, ends, strict=True)]


def metric_coordinates(candidates: dict, rows: np.ndarray, source: int, target: int):
    """Coordinates of the rows in the target metric system: x/y in the row's EPSG when usable, else WGS84.
    NaN where neither converts (an unknown EPSG code, a point outside the projection's domain)."""
    x, y = candidates["x"][rows], candidates["y"][rows]
    has_xy = np.isfinite(x) & np.isfinite(y)
    out_x, out_y = np.full(len(rows), np.nan), np.full(len(rows), np.nan)
    if has_xy.any() and source:
        out_x[has_xy], out_y[has_xy] = to_crs(source, target, x[has_xy], y[has_xy])
    missing = ~(np.isfinite(out_x) & np.isfinite(out_y))
    if missing.any():
        lon, lat = candidates["lon"][rows][missing], candidates["lat"][rows][missing]
        out_x[missing], out_y[missing] = to_crs(WGS84, target, lon, lat)
    return out_x, out_y
