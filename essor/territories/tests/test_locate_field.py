"""The distance fields (distance_field.py, field_lookup.py) give exactly the answers of the exhaustive search.

Real contours (Toulouse, Lyon, Guadeloupe, La Réunion) and drawn squares; random points near the QPVs, on their
contours (vertices, edge middles), at equal distance from two QPVs, far at sea, overseas, NaN; a brute force one
QPV at a time as the reference for a sample; the cache on disk read back.
"""

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, box

from essor.territories import field_lookup, locate
from essor.territories.tests.locate_support import brute_force, vendored_index


@pytest.fixture(scope="module")
def index():
    built = vendored_index()
    built.field_set.fields()  # built once for the module (a few seconds)
    return built


def assert_same(index, lon, lat, max_distance_m=None):
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    fast = index.locate(lon, lat, method="field", max_distance_m=max_distance_m)
    slow = index.locate(lon, lat, method="exhaustive", max_distance_m=max_distance_m)
    np.testing.assert_array_equal(fast.qpv, slow.qpv)
    np.testing.assert_array_equal(fast.nearest, slow.nearest)
    np.testing.assert_allclose(fast.distance_m, slow.distance_m, rtol=1e-6, atol=0, equal_nan=True)
    return fast


def contour_points(index, rng, n):
    """Vertices of random QPV contours (on the boundary: inside by the rule), then points between two successive
    vertices (on an edge, or across a gap between rings)."""
    coords = shapely.get_coordinates(shapely.boundary(index.geoms))
    pick = rng.integers(0, len(coords) - 1, n)
    middle = (coords[pick] + coords[pick + 1]) / 2
    return np.r_[coords[pick, 0], middle[:, 0]], np.r_[coords[pick, 1], middle[:, 1]]


def test_random_points_get_the_answers_of_the_exhaustive_search(index):
    rng = np.random.default_rng(15)
    bounds = shapely.bounds(index.geoms)
    chosen = rng.integers(0, len(index), 20_000)
    near_lon = rng.uniform(bounds[chosen, 0] - 0.05, bounds[chosen, 2] + 0.05)
    near_lat = rng.uniform(bounds[chosen, 1] - 0.05, bounds[chosen, 3] + 0.05)
    wide = rng.uniform([-6.0, 41.0], [10.0, 51.0], size=(5_000, 2))  # mainland and its seas
    reunion = rng.uniform([54.5, -22.0], [56.5, -20.0], size=(2_000, 2))
    antilles = rng.uniform([-63.0, 15.5], [-60.5, 17.0], size=(2_000, 2))
    far = np.array([[-30.0, 30.0], [-3.0, 46.0], [150.0, -60.0], [0.0, 0.0], [179.9, 89.0], [-179.9, -89.0]])
    edge_lon, edge_lat = contour_points(index, rng, 2_000)
    lon = np.r_[near_lon, wide[:, 0], reunion[:, 0], antilles[:, 0], far[:, 0], edge_lon, np.nan, 1.4]
    lat = np.r_[near_lat, wide[:, 1], reunion[:, 1], antilles[:, 1], far[:, 1], edge_lat, 43.6, np.nan]
    found = assert_same(index, lon, lat)
    assert (found.qpv >= 0).sum() > 3_000 and (found.distance_m > 50_000).sum() > 100
    assert (found.qpv[-4_000 - 2 : -2_000 - 2] >= 0).all()  # contour vertices are inside
    assert (found.nearest[-2:] == -1).all() and np.isnan(found.distance_m[-2:]).all()
    assert_same(index, lon, lat, max_distance_m=300)
    assert_same(index, lon, lat, max_distance_m=2_500)


def test_a_sample_matches_the_brute_force_one_qpv_at_a_time(index):
    rng = np.random.default_rng(2024)
    bounds = shapely.bounds(index.geoms)
    chosen = rng.integers(0, len(index), 150)
    lon = np.r_[rng.uniform(bounds[chosen, 0] - 0.02, bounds[chosen, 2] + 0.02), -1.0, 55.0]
    lat = np.r_[rng.uniform(bounds[chosen, 1] - 0.02, bounds[chosen, 3] + 0.02), 45.0, -21.5]
    found = index.locate(lon, lat, method="field")
    for i in range(len(lon)):
        qpv, nearest, distance = brute_force(index, lon[i], lat[i])
        assert (found.qpv[i], found.nearest[i]) == (qpv, nearest)
        assert found.distance_m[i] == pytest.approx(distance, rel=1e-6, abs=1e-6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    which=st.integers(min_value=0, max_value=10**9),
    offsets=st.lists(
        st.tuples(
            st.floats(min_value=-0.2, max_value=0.2, allow_nan=False),
            st.floats(min_value=-0.2, max_value=0.2, allow_nan=False),
        ),
        min_size=1,
        max_size=20,
    ),
)
def test_any_point_around_a_contour_vertex_gets_the_exhaustive_answer(index, which, offsets):
    coords = shapely.get_coordinates(shapely.boundary(index.geoms))
    vertex = coords[which % len(coords)]
    # Offsets from 0 (on the vertex) to ~20 km, and their tiny versions (up to a few centimetres away).
    points = np.r_[vertex + np.array(offsets), vertex + np.array(offsets) * 1e-6]
    assert_same(index, points[:, 0], points[:, 1])


def squares_index(*squares):
    return locate.QpvIndex([locate.QpvRecord(code, code, (), MultiPolygon([box(*b)])) for code, b in squares])


def test_ties_and_overlaps_resolve_to_the_smallest_code_as_before():
    index = squares_index(
        ("QN06902M", (4.01, 45.0, 4.02, 45.01)),
        ("QN06901M", (4.0, 45.0, 4.01, 45.01)),  # shares an edge with the first
        ("QN06903M", (4.015, 44.995, 4.025, 45.005)),  # overlaps the first
        ("QN06904M", (4.03, 45.0, 4.04, 45.01)),
    )
    lon = np.array([4.01, 4.01, 4.027, 4.025, 4.01, 4.0, 4.018, 3.9, 4.025])
    lat = np.array([45.005, 45.02, 45.008, 45.02, 45.012, 44.99, 45.002, 45.0, 45.0])
    found = assert_same(index, lon, lat)
    codes = [index.records[k].code for k in found.nearest]
    assert codes[0] == "QN06901M" and found.qpv[0] == found.nearest[0]  # on the shared edge
    assert (
        codes[1] == "QN06901M" and found.distance_m[1] > 1_000
    )  # as far from 01 and 02 (their shared corner)
    assert codes[6] == "QN06902M" and found.qpv[6] == found.nearest[6]  # in 02 and 03: the smallest code


def test_the_fields_saved_on_disk_are_read_back_for_the_same_contours_only(tmp_path):
    records = locate.records_from_geojson(code_prefixes=("QN031",))
    first = locate.QpvIndex(records, field_cache=tmp_path)
    first.field_set.fields()
    saved = list(tmp_path.glob("qpv-field-*.npz"))
    assert len(saved) == 1 and first.field_set.source == "built"
    again = locate.QpvIndex(records, field_cache=tmp_path)
    assert again.field_set.ready
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(1.2, 1.6, 3_000), rng.uniform(43.4, 43.8, 3_000)
    answer = again.locate(lon, lat, method="field")
    assert again.field_set.source == "cache"
    np.testing.assert_array_equal(answer.nearest, first.locate(lon, lat, method="exhaustive").nearest)
    fewer = locate.QpvIndex(records[1:], field_cache=tmp_path)
    assert not fewer.field_set.ready  # other contours, another fingerprint
    assert field_lookup.fingerprint(fewer.territories) not in saved[0].name
