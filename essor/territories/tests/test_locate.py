"""The QPV lookup on real contours (vendored QPV 2024 file): inside, boundary, outside, ocean, overseas, repaired."""

import math

import numpy as np
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, box

from essor.territories import geometry as geo
from essor.territories import locate
from essor.territories.tests.locate_support import (
    BARRADELS,
    brute_force,
    position,
    raw_shape,
    vendored_index,
)


@pytest.fixture(scope="module")
def index():
    return vendored_index()


def test_a_point_inside_a_qpv_finds_it_at_zero_metres(index):
    location = index.locate_one(*BARRADELS)
    assert location.qpv.code == "QN03104M" and location.qpv.name == "Barradels"
    assert location.nearest.code == "QN03104M" and location.distance_m == 0.0


def test_a_point_on_a_boundary_vertex_counts_as_inside(index):
    contour = index.records[position(index, "QN03107M")].geometry
    lon, lat = contour.geoms[0].exterior.coords[3]
    assert not contour.contains(shapely.Point(lon, lat))  # strictly, a boundary point is not "contained"
    assert index.locate_one(lon, lat).qpv.code == "QN03107M"


def test_a_point_on_a_boundary_edge_counts_as_inside(index):
    contour = index.records[position(index, "QN03109M")].geometry
    coords = np.array(contour.geoms[0].exterior.coords)
    # An axis-parallel edge: its midpoint is exactly on the edge, without rounding.
    k = next(
        i
        for i in range(len(coords) - 1)
        if coords[i, 0] == coords[i + 1, 0] and coords[i, 1] != coords[i + 1, 1]
    )
    lon, lat = coords[k, 0], (coords[k, 1] + coords[k + 1, 1]) / 2
    assert contour.boundary.intersects(shapely.Point(lon, lat))
    assert index.locate_one(lon, lat).qpv.code == "QN03109M"


def test_a_point_outside_gets_the_nearest_qpv_and_its_distance_in_metres(index):
    location = index.locate_one(1.45, 43.70)
    assert location.qpv is None
    _, nearest, distance = brute_force(index, 1.45, 43.70)
    assert location.nearest is index.records[nearest]
    assert location.distance_m == pytest.approx(distance, rel=1e-9) and location.distance_m > 500


def test_a_point_in_the_ocean_gets_a_far_away_nearest_qpv(index):
    bay_of_biscay = (-3.0, 46.0)
    location = index.locate_one(*bay_of_biscay)
    assert location.qpv is None and location.nearest.code.startswith(("QN031", "QN069"))
    assert location.distance_m == pytest.approx(brute_force(index, *bay_of_biscay)[2], rel=1e-9)
    assert location.distance_m > 300_000
    mid_atlantic = index.locate_one(-30.0, 30.0)
    assert (
        mid_atlantic.qpv is None and mid_atlantic.nearest is not None and mid_atlantic.distance_m > 1_000_000
    )


def test_overseas_points_are_found_and_measured_in_the_local_projection(index):
    record = index.records[position(index, "QN97430I")]  # La Source Bellepierre, Saint-Denis (La Réunion)
    inside = record.geometry.representative_point()
    assert index.locate_one(inside.x, inside.y).qpv.code == "QN97430I"
    location = index.locate_one(55.45, -20.9)  # near Saint-Denis, outside the QPVs
    assert location.qpv is None and location.nearest.code.startswith("QN974")
    assert locate.territory_epsg(location.nearest.code) == 2975  # RGR92 / UTM 40S
    assert location.distance_m == pytest.approx(brute_force(index, 55.45, -20.9)[2], rel=1e-9)
    pointe_a_pitre = index.locate_one(-61.5318, 16.2456)
    assert pointe_a_pitre.qpv is not None and pointe_a_pitre.qpv.code.startswith("QN971")


def test_a_point_at_a_self_intersection_of_a_repaired_contour_is_inside(index):
    published = raw_shape("QN03108M")  # Arènes, Toulouse: published with a self-intersecting ring
    reason = shapely.is_valid_reason(published)
    assert not published.is_valid and "Self-intersection" in reason
    lon, lat = (float(value) for value in reason.split("[")[1].rstrip("]").split())
    repaired = index.records[position(index, "QN03108M")].geometry
    assert repaired.is_valid
    assert index.locate_one(lon, lat).qpv.code == "QN03108M"
    inner = repaired.representative_point()
    assert index.locate_one(inner.x, inner.y).qpv.code == "QN03108M"


def test_vectorised_answers_match_a_one_by_one_brute_force(index):
    rng = np.random.default_rng(20240101)
    bounds = shapely.bounds(index.geoms)
    chosen = rng.integers(0, len(index), 240)
    pad = 0.01
    lon = rng.uniform(bounds[chosen, 0] - pad, bounds[chosen, 2] + pad)
    lat = rng.uniform(bounds[chosen, 1] - pad, bounds[chosen, 3] + pad)
    wide = rng.uniform([-1.0, 42.5], [6.0, 47.0], size=(60, 2))  # southern France, far from most QPVs
    lon, lat = np.r_[lon, wide[:, 0]], np.r_[lat, wide[:, 1]]
    found = index.locate(lon, lat)
    assert (found.qpv >= 0).sum() > 20 and (found.qpv < 0).sum() > 100
    for i in range(len(lon)):
        qpv, nearest, distance = brute_force(index, lon[i], lat[i])
        assert found.qpv[i] == qpv
        assert found.nearest[i] == nearest
        assert found.distance_m[i] == pytest.approx(distance, rel=1e-9, abs=1e-6)


def test_nan_coordinates_give_no_answer_instead_of_failing(index):
    found = index.locate(np.array([np.nan, BARRADELS[0]]), np.array([43.6, BARRADELS[1]]))
    assert found.qpv.tolist()[0] == -1 and found.nearest.tolist()[0] == -1 and math.isnan(found.distance_m[0])
    assert index.records[found.qpv[1]].code == "QN03104M"


def test_a_shared_boundary_and_equal_distances_resolve_to_the_smallest_code():
    square = lambda x0: MultiPolygon([box(x0, 45.0, x0 + 0.01, 45.01)])  # noqa: E731
    index = locate.QpvIndex(
        [
            locate.QpvRecord("QN06902M", "B", (), square(4.01)),
            locate.QpvRecord("QN06901M", "A", (), square(4.0)),
        ]
    )
    assert index.locate_one(4.01, 45.005).qpv.code == "QN06901M"  # on the shared edge
    assert index.locate_one(4.005, 45.005).qpv.code == "QN06901M"
    assert index.locate_one(4.015, 45.005).qpv.code == "QN06902M"
    above = index.locate_one(4.01, 45.02)  # as far from both squares
    assert above.qpv is None and above.nearest.code == "QN06901M"
    expected = geo.to_metric(shapely.Point(4.01, 45.02), 2154).distance(geo.to_metric(square(4.0), 2154))
    assert above.distance_m == pytest.approx(expected)


@pytest.mark.parametrize(
    ("lon", "lat", "expected"),
    [
        ("1.3819", "43.6397", (1.3819, 43.6397)),
        (" 1,5 ", "-20,9", (1.5, -20.9)),
        ("-180", "90", (-180.0, 90.0)),
    ],
)
def test_coordinates_are_read_from_text(lon, lat, expected):
    assert locate.parse_lon_lat(lon, lat) == expected


@pytest.mark.parametrize(
    ("lon", "lat", "field", "words"),
    [
        (None, "43.6", "lon", "lon is missing"),
        ("1.4", "", "lat", "lat is empty"),
        ("abc", "43.6", "lon", "'abc' is not a number"),
        ("nan", "43.6", "lon", "'nan' is not a finite number"),
        ("1.4", "inf", "lat", "'inf' is not a finite number"),
        ("180.5", "43.6", "lon", "lon 180.5 is outside -180..180"),
        ("1.4", "-91", "lat", "lat -91 is outside -90..90"),
    ],
)
def test_bad_coordinates_are_refused_with_a_message_naming_the_field(lon, lat, field, words):
    with pytest.raises(locate.InvalidCoordinates) as caught:
        locate.parse_lon_lat(lon, lat)
    assert [error["field"] for error in caught.value.errors] == [field]
    assert words in str(caught.value)


def test_a_maximum_distance_limits_the_nearest_search(index):
    found = index.locate(np.array([1.45]), np.array([43.70]))
    distance = found.distance_m[0]
    within = index.locate(np.array([1.45]), np.array([43.70]), max_distance_m=distance + 1)
    assert within.nearest[0] == found.nearest[0] and within.distance_m[0] == pytest.approx(distance)
    beyond = index.locate(
        np.array([1.45, BARRADELS[0]]), np.array([43.70, BARRADELS[1]]), max_distance_m=distance - 1
    )
    assert beyond.nearest[0] == -1 and math.isnan(beyond.distance_m[0])
    assert index.records[beyond.qpv[1]].code == "QN03104M"  # containment is not limited


@pytest.mark.parametrize("limit", [300, 2_000])
def test_a_limited_search_agrees_with_the_full_one(index, limit):
    rng = np.random.default_rng(limit)
    bounds = shapely.bounds(index.geoms)
    chosen = rng.integers(0, len(index), 3_000)
    lon = rng.uniform(bounds[chosen, 0] - 0.03, bounds[chosen, 2] + 0.03)
    lat = rng.uniform(bounds[chosen, 1] - 0.03, bounds[chosen, 3] + 0.03)
    full = index.locate(lon, lat)
    limited = index.locate(lon, lat, max_distance_m=limit)
    close = full.distance_m <= limit
    assert 0 < close.sum() < len(lon)
    assert (limited.qpv == full.qpv).all()
    assert (limited.nearest[close] == full.nearest[close]).all()
    np.testing.assert_allclose(limited.distance_m[close], full.distance_m[close])
    assert (limited.nearest[~close] == -1).all() and np.isnan(limited.distance_m[~close]).all()


@given(
    lon=st.floats(min_value=-180, max_value=180, allow_nan=False),
    lat=st.floats(min_value=-90, max_value=90, allow_nan=False),
)
def test_any_coordinate_in_range_reads_back_exactly(lon, lat):
    assert locate.parse_lon_lat(repr(lon), repr(lat)) == (lon, lat)
    assert locate.parse_lon_lat(repr(lon).replace(".", ","), str(lat)) == (lon, lat)


@given(lon=st.one_of(st.none(), st.text(max_size=12)), lat=st.one_of(st.none(), st.text(max_size=12)))
def test_any_text_gives_coordinates_in_range_or_a_clear_refusal(lon, lat):
    try:
        x, y = locate.parse_lon_lat(lon, lat)
    except locate.InvalidCoordinates as refused:
        assert refused.errors and all(error["field"] in ("lon", "lat") for error in refused.errors)
    else:
        assert -180 <= x <= 180 and -90 <= y <= 90 and math.isfinite(x) and math.isfinite(y)


def test_the_territories_rasters_do_not_overlap_even_widened():
    """The containment rasters assume the territories are apart (see QpvIndex._in_masks)."""
    import gzip
    import json

    from shapely.geometry import shape

    with gzip.open(locate.QPV_2024_GEOJSON, "rt", encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    extents = {}
    for feature in features:
        epsg = locate.territory_epsg(feature["properties"]["code_qp"])
        x0, y0, x1, y1 = shape(feature["geometry"]).bounds
        a = extents.get(epsg, (x0, y0, x1, y1))
        extents[epsg] = (min(a[0], x0), min(a[1], y0), max(a[2], x1), max(a[3], y1))
    pad_lat = locate.NEAR_MASK_MAX_M * 1.01 / 110_500 + 2 * locate.MASK_CELL_DEG
    boxes = []
    for x0, y0, x1, y1 in extents.values():
        pad_lon = pad_lat / math.cos(math.radians(max(abs(y0), abs(y1)) + pad_lat))
        boxes.append(box(x0 - pad_lon, y0 - pad_lat, x1 + pad_lon, y1 + pad_lat))
    assert len(boxes) == 6
    for i, first in enumerate(boxes):
        for second in boxes[i + 1 :]:
            assert not first.intersects(second)
