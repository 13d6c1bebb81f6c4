"""Boundaries of the one QPV index (essor.territories.locate), on squares drawn in Lambert-93 near Toulouse:
299 m is within 300 m and 301 m is not, a point on the contour is inside, overlapping contours resolve to the
smallest code, NaN coordinates give no answer. The pipeline's path is tested in sirene/tests/test_qpv_attribution.py."""

import numpy as np
import pytest
import shapely
from shapely.geometry import MultiPolygon, box

from essor.territories import geometry as geo
from essor.territories import locate

X0, Y0 = 574_000.0, 6_280_000.0  # Lambert-93, Toulouse
SIDE = 500.0


def square(dx=0.0, dy=0.0):
    return geo.to_wgs84(MultiPolygon([box(X0 + dx, Y0 + dy, X0 + dx + SIDE, Y0 + dy + SIDE)]), 2154)


def lon_lat(x, y):
    point = geo.to_wgs84(shapely.Point(x, y), 2154)
    return point.x, point.y


@pytest.fixture(scope="module")
def index():
    return locate.QpvIndex(
        [
            locate.QpvRecord("QN03102B", "overlapping", (), square(dx=400.0)),
            locate.QpvRecord("QN03101A", "first", (), square()),
        ]
    )


@pytest.mark.parametrize(("metres", "within"), [(299.0, True), (301.0, False)])
def test_the_300_m_band_is_measured_in_metres(index, metres, within):
    lon, lat = lon_lat(X0 - metres, Y0 + SIDE / 2)  # west of the first square
    found = index.locate(np.array([lon]), np.array([lat]), max_distance_m=300.0)
    assert found.qpv[0] == -1
    nearest = index.records[found.nearest[0]].code if found.nearest[0] >= 0 else None
    assert nearest == ("QN03101A" if within else None)
    unlimited = index.locate_one(lon, lat)
    assert unlimited.nearest.code == "QN03101A" and unlimited.distance_m == pytest.approx(metres, abs=0.01)


def test_a_point_on_the_contour_is_inside(index):
    vertex = square().geoms[0].exterior.coords[0]
    assert index.locate_one(*vertex).qpv.code == "QN03101A"


def test_overlapping_contours_resolve_to_the_smallest_code(index):
    both = index.locate_one(*lon_lat(X0 + 450.0, Y0 + 250.0))  # in both squares
    assert both.qpv.code == "QN03101A" and both.distance_m == 0.0
    assert index.locate_one(*lon_lat(X0 + 850.0, Y0 + 250.0)).qpv.code == "QN03102B"


def test_nan_coordinates_give_no_answer(index):
    found = index.locate(np.array([np.nan, 1.4]), np.array([43.6, np.nan]), max_distance_m=300.0)
    assert found.qpv.tolist() == [-1, -1] and found.nearest.tolist() == [-1, -1]
    assert np.isnan(found.distance_m).all()
