"""The pipeline's QPV attribution (points in a metric system) goes through the one QPV index of the territories
app: same boundaries — 299 m is in the 300 m band and 301 m is not, a point on the contour is inside,
overlapping contours resolve to the smallest code, NaN coordinates match nothing — and a QPV of another metric
system never matches."""

import numpy as np
import pytest
from shapely.geometry import MultiPolygon, box

from essor.sirene.qpv_attribution import NO_MATCH, QpvIndex, wgs84
from essor.territories import geometry as geo

X0, Y0 = 574_000.0, 6_280_000.0  # Lambert-93, Toulouse
SIDE = 500.0
LAMBERT_93, GUADELOUPE = 2154, geo.metric_epsg("971")


def wkb_square(dx=0.0, dy=0.0, x0=X0, y0=Y0, epsg=LAMBERT_93):
    contour = MultiPolygon([box(x0 + dx, y0 + dy, x0 + dx + SIDE, y0 + dy + SIDE)])
    return geo.to_wkb(geo.to_wgs84(contour, epsg))


@pytest.fixture(scope="module")
def index():
    return QpvIndex(
        [
            ("QN03102B", "31", wkb_square(dx=400.0)),
            ("QN03101A", "31", wkb_square()),
            ("QN97101A", "971", wkb_square(x0=650_000.0, y0=1_780_000.0, epsg=GUADELOUPE)),
        ]
    )


def points(*xy):
    return np.array([p[0] for p in xy], dtype=float), np.array([p[1] for p in xy], dtype=float)


def codes(index, found):
    return [index.codes[i] if i != NO_MATCH else None for i in found]


def test_the_300_m_band_299_in_301_out(index):
    x, y = points((X0 - 299.0, Y0 + 250.0), (X0 - 301.0, Y0 + 250.0), (X0 + SIDE + 299.5 + 400, Y0 + 250.0))
    assert codes(index, index.nearest_within_band(LAMBERT_93, x, y)) == ["QN03101A", None, "QN03102B"]
    assert codes(index, index.locate(LAMBERT_93, x, y)) == [None, None, None]


def test_a_point_on_the_contour_is_inside(index):
    x, y = points((X0, Y0), (X0 + SIDE, Y0 + SIDE))  # corners of the first square
    assert codes(index, index.locate(LAMBERT_93, x, y)) == ["QN03101A", "QN03101A"]
    assert codes(index, index.nearest_within_band(LAMBERT_93, x, y)) == ["QN03101A", "QN03101A"]


def test_overlapping_contours_resolve_to_the_smallest_code(index):
    x, y = points((X0 + 450.0, Y0 + 250.0), (X0 + 850.0, Y0 + 250.0))
    assert codes(index, index.locate(LAMBERT_93, x, y)) == ["QN03101A", "QN03102B"]
    assert codes(index, index.nearest_within_band(LAMBERT_93, x, y)) == ["QN03101A", "QN03102B"]


def test_nan_coordinates_match_nothing(index):
    x, y = points((np.nan, Y0), (X0, np.nan))
    assert codes(index, index.locate(LAMBERT_93, x, y)) == [None, None]
    assert codes(index, index.nearest_within_band(LAMBERT_93, x, y)) == [None, None]


def test_a_point_matches_only_the_qpvs_of_its_own_metric_system(index):
    x, y = points((650_100.0, 1_780_100.0))  # inside the Guadeloupe square, in its own system
    assert codes(index, index.locate(GUADELOUPE, x, y)) == ["QN97101A"]
    mainland = index.locate(LAMBERT_93, *points((X0 + 10.0, Y0 + 10.0)))
    assert codes(index, mainland) == ["QN03101A"]
    assert codes(index, index.locate(GUADELOUPE, *points((X0 + 10.0, Y0 + 10.0)))) == [None]


def test_cells_cover_the_band_around_each_contour(index):
    cells = set(index.cells())
    assert (LAMBERT_93, int((X0 - 299.0) // 1000), int((Y0 + 250.0) // 1000)) in cells
    assert (GUADELOUPE, 650, 1780) in cells
    assert (LAMBERT_93, int((X0 - 5_000.0) // 1000), int(Y0 // 1000)) not in cells


def test_one_search_gives_the_containment_and_the_band_of_the_separate_calls(index):
    """The pipeline asks once for both answers (within_band_lon_lat): the containment is `locate`'s (a search
    of its own), a point inside a QPV has it as its nearest, and the band reaches points outside."""
    rng = np.random.default_rng(7)
    x = X0 + rng.uniform(-600.0, SIDE + 1_000.0, 2_000)
    y = Y0 + rng.uniform(-600.0, SIDE + 600.0, 2_000)
    x[:3], y[:3] = (np.nan, X0, X0 + 450.0), (Y0, Y0, Y0 + 250.0)  # NaN, a corner, an overlap
    inside, near = index.within_band_lon_lat(LAMBERT_93, *wgs84(LAMBERT_93, x, y))
    np.testing.assert_array_equal(inside, index.locate(LAMBERT_93, x, y))
    matched = inside != NO_MATCH
    np.testing.assert_array_equal(near[matched], inside[matched])
    assert ((near != NO_MATCH) & ~matched).sum() > 100  # within 300 m, outside both squares
    assert set(codes(index, inside)) == {None, "QN03101A", "QN03102B"}
    assert "QN97101A" not in codes(index, near)  # the Guadeloupe square is another metric system
    assert codes(index, inside[:3]) == [None, "QN03101A", "QN03101A"]
