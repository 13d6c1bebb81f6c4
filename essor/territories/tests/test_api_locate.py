"""GET /api/v1/qpv/locate: answers, the project's error format, the OpenAPI description."""

import pytest
from django.utils import timezone

from essor.territories import locate
from essor.territories.tests.locate_support import BARRADELS, load_lookup_reference


@pytest.fixture(autouse=True)
def _no_api_quota(settings):
    """Query counts measure the lookup; the partner quota, counted in the database cache, is tested by diffusion."""
    settings.ESSOR_RATE_LIMITS = {**settings.ESSOR_RATE_LIMITS, "api": "0", "api-key": "0"}


URL = "/api/v1/qpv/locate"


@pytest.fixture
def reference(db):
    result = load_lookup_reference()
    yield result
    locate.clear_cache()


def test_a_point_inside_answers_the_qpv_its_communes_and_the_reference_version(client, reference):
    response = client.get(URL, {"lon": BARRADELS[0], "lat": BARRADELS[1]})
    assert response.status_code == 200
    body = response.json()
    assert body["inside"] is True
    assert body["qpv"] == {
        "id": "qpv:QN03104M",
        "code": "QN03104M",
        "name": "Barradels",
        "communes": [{"code": "31069", "name": "Blagnac"}],
    }
    assert body["nearest"]["qpv"]["code"] == "QN03104M" and body["nearest"]["distance_m"] == 0
    assert body["point"] == {"lon": BARRADELS[0], "lat": BARRADELS[1], "crs": "EPSG:4326"}
    assert body["reference"]["version"] == timezone.localdate(reference.reference_load.loaded_at).isoformat()


def test_a_point_outside_answers_the_nearest_qpv_and_the_distance(
    client, reference, django_assert_max_num_queries
):
    client.get(URL, {"lon": "1.45", "lat": "43.70"})  # builds the index
    with django_assert_max_num_queries(3):  # then only checks that the reference has not changed
        body = client.get(URL, {"lon": "1.45", "lat": "43.70"}).json()
    assert body["inside"] is False and body["qpv"] is None
    assert body["nearest"]["qpv"]["code"].startswith("QN031") and body["nearest"]["distance_m"] > 500


@pytest.mark.parametrize(
    ("query", "fields", "words"),
    [
        ({"lat": "43.6"}, ["lon"], "lon is missing"),
        ({}, ["lon", "lat"], "lat is missing"),
        ({"lon": "abc", "lat": "43.6"}, ["lon"], "lon 'abc' is not a number."),
        ({"lon": "NaN", "lat": "43.6"}, ["lon"], "lon 'NaN' is not a finite number."),
        ({"lon": "1.4", "lat": "inf"}, ["lat"], "lat 'inf' is not a finite number."),
        ({"lon": "-180.01", "lat": "43.6"}, ["lon"], "lon -180.01 is outside -180..180"),
        ({"lon": "1.4", "lat": "90.5"}, ["lat"], "lat 90.5 is outside -90..90"),
        ({"lon": "", "lat": "43.6"}, ["lon"], "lon is empty"),
    ],
)
def test_bad_coordinates_answer_400_in_the_error_format(client, reference, query, fields, words):
    response = client.get(URL, query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_coordinates" and words in error["message"]
    assert [detail["field"] for detail in error["details"]] == fields


def test_before_any_load_the_api_answers_503(client, db):
    locate.clear_cache()
    response = client.get(URL, {"lon": "1.4", "lat": "43.6"})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "reference_not_loaded"


def test_the_openapi_schema_documents_the_parameters_and_the_answer(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert parameters["lon"]["schema"] == {"type": "number", "minimum": -180, "maximum": 180}
    assert parameters["lat"]["required"] is True and "WGS84" in parameters["lat"]["description"]
    assert {"200", "400", "503"} <= set(operation["responses"])
    answer = schema["components"]["schemas"]["LocateOut"]["properties"]
    assert "boundary" in answer["inside"]["description"]
    assert (
        "metres" in schema["components"]["schemas"]["NearestOut"]["properties"]["distance_m"]["description"]
    )
    assert client.get("/api/v1/docs").status_code == 200
