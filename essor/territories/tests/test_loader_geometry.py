"""Contour repair and the 2015 -> 2024 crosswalk, on the real published contours."""

import gzip
import json

import numpy as np
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon, box, shape

from essor.territories import geometry as geo
from essor.territories.crosswalk import compute_crosswalk
from essor.territories.models import Qpv, QpvCrosswalk
from essor.territories.sources import DATA_DIR
from essor.territories.tests.fixtures import load_reference

SUBSET = ("31", "69", "93")


def published_contours() -> dict:
    path = DATA_DIR / "qpv2024" / "qpv2024_france_wgs84.geojson.gz"
    features = json.loads(gzip.decompress(path.read_bytes()))["features"]
    return {f["properties"]["code_qp"]: shape(f["geometry"]) for f in features}


def ring_crossings(ring, x, y):
    """PNPOLY ray casting: True where a horizontal ray from (x, y) crosses the ring an odd number of times."""
    xy = np.asarray(ring.coords)
    inside = np.zeros(len(x), dtype=bool)
    for (x1, y1), (x2, y2) in zip(xy[:-1], xy[1:], strict=True):
        crosses = (y1 > y) != (y2 > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            at = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
        inside ^= crosses & (x < at)
    return inside


def even_odd_inside(multipolygon, x, y):
    """Inside a published contour, valid or not, by the even-odd rule on each polygon's rings."""
    inside = np.zeros(len(x), dtype=bool)
    for polygon in multipolygon.geoms:
        parity = ring_crossings(polygon.exterior, x, y)
        for hole in polygon.interiors:
            parity ^= ring_crossings(hole, x, y)
        inside |= parity
    return inside


def test_repair_turns_a_bow_tie_into_a_valid_multipolygon():
    bow_tie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    contour = geo.clean_multipolygon(bow_tie)
    assert contour.repaired and contour.geometry.is_valid
    assert isinstance(contour.geometry, MultiPolygon) and len(contour.geometry.geoms) == 2
    assert contour.geometry.area == pytest.approx(0.5)


def test_valid_contour_is_kept_as_is():
    square = {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]}
    contour = geo.clean_multipolygon(square)
    assert not contour.repaired and contour.geometry.equals(box(0, 0, 1, 1))


@pytest.mark.django_db
def test_about_a_third_of_the_published_contours_are_repaired_and_all_are_valid():
    result = load_reference(SUBSET)
    qpvs = Qpv.objects.filter(generation=2024)
    repaired = [qpv for qpv in qpvs if qpv.repaired]
    assert result.report["qpv2024_repaired"] == len(repaired) > 0
    assert all(geo.from_wkb(qpv.geometry).is_valid for qpv in qpvs)
    assert all(geo.from_wkb(qpv.geometry).geom_type == "MultiPolygon" for qpv in qpvs)


@pytest.mark.django_db
def test_point_lookups_on_repaired_contours_match_the_published_ones():
    """Points clearly inside or outside a published (invalid) contour are classified the same way on the
    stored, repaired contour: the repair removes self-intersections, not territory."""
    load_reference(SUBSET)
    published = published_contours()
    checked = 0
    for qpv in Qpv.objects.filter(generation=2024, repaired=True):
        stored = geo.from_wkb(qpv.geometry)
        original = published[qpv.code]
        boundary = original.boundary
        xs = np.linspace(qpv.min_lon - 0.001, qpv.max_lon + 0.001, 25)
        ys = np.linspace(qpv.min_lat - 0.001, qpv.max_lat + 0.001, 25)
        points = shapely.points(np.array([(x, y) for x in xs for y in ys]))
        # Away from the published boundary (~10 m rounding), the even-odd inside test is unambiguous.
        clear = shapely.distance(points, boundary) > 0.0002
        coordinates = shapely.get_coordinates(points[clear])
        inside_original = even_odd_inside(original, coordinates[:, 0], coordinates[:, 1])
        inside_stored = shapely.contains(stored, points[clear])
        assert (inside_original == inside_stored).all(), qpv.code
        assert inside_stored.any(), qpv.code  # the grid does hit the neighbourhood
        checked += 1
    assert checked >= 5


def test_crosswalk_splits_a_2015_area_between_2024_qpvs():
    old = MultiPolygon([box(1.40, 43.60, 1.42, 43.62)])
    west, east = MultiPolygon([box(1.40, 43.60, 1.41, 43.62)]), MultiPolygon([box(1.41, 43.60, 1.45, 43.62)])
    pairs = compute_crosswalk({"QP031999": (old, "31")}, {"QN03198M": (west, "31"), "QN03199M": (east, "31")})
    shares = {pair.code_2024: pair for pair in pairs}
    assert set(shares) == {"QN03198M", "QN03199M"}
    # Edges are straight in longitude/latitude, slightly curved in Lambert-93: hence the tolerance.
    assert sum(pair.share_of_2015_area for pair in pairs) == pytest.approx(1.0, abs=1e-3)
    assert shares["QN03198M"].share_of_2015_area == pytest.approx(0.5, abs=0.01)
    assert shares["QN03198M"].share_of_2024_area == pytest.approx(1.0, abs=1e-3)
    assert shares["QN03199M"].share_of_2024_area == pytest.approx(0.25, abs=0.01)


def test_crosswalk_ignores_slivers_and_non_overlapping_qpvs():
    old = MultiPolygon([Polygon([(0, 45), (0.01, 45), (0.01, 45.01), (0, 45.01)])])
    touching = MultiPolygon([Polygon([(0.01, 45), (0.02, 45), (0.02, 45.01), (0.01, 45.01)])])
    assert compute_crosswalk({"QP001001": (old, "01")}, {"QN00101M": (touching, "01")}) == []


@pytest.mark.django_db
def test_crosswalk_on_real_toulouse_contours():
    load_reference(SUBSET)
    by_2015 = {}
    for row in QpvCrosswalk.objects.all():
        by_2015.setdefault(row.qpv_2015_id, []).append(row)
        assert 0 < row.share_of_2015_area <= 1 and 0 < row.share_of_2024_area <= 1
    # 2024 QPVs do not overlap each other, so a 2015 QPV's shares cannot add up to more than its area.
    assert all(sum(r.share_of_2015_area for r in rows) <= 1.000001 for rows in by_2015.values())
    # Grand Mirail (2015) lies within the 2024 Grand Mirail: fully covered, shares sum to ~1.
    grand_mirail = by_2015["QP031007"]
    assert sum(r.share_of_2015_area for r in grand_mirail) == pytest.approx(1, abs=0.03)
    assert Qpv.objects.get(code=grand_mirail[0].qpv_2024_id).generation == 2024
