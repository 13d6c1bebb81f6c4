"""Out-of-bounds parameters answer the API's JSON 400, and the OpenAPI schema says so.

A 20-digit `page` on /resources and /experiences was a 500 with an HTML page (the offset overflowed SQLite's
integers); /qpv/locate declared `lon` and `lat` twice; the observatory's answers were free-form objects.
"""

import pytest

from essor.observatory.tests.conftest import build_release, build_territories
from essor.resources.tests.conftest import catalogue  # noqa: F401 (a fixture)
from essor.trainings.tests.factories import SessionFactory

HUGE = "99999999999999999999"
PAGINATED = {
    "/api/v1/resources": 100,
    "/api/v1/experiences": 100,
    "/api/v1/territories/epci/243100518/establishments": 200,
}


@pytest.fixture
def dataset(db, catalogue, settings):  # noqa: F811
    settings.ESSOR_RATE_LIMITS = {**settings.ESSOR_RATE_LIMITS, "api": "0", "api-key": "0"}
    build_territories()
    build_release()
    return SessionFactory()


def assert_json_400(response, field):
    assert response.status_code == 400, response.content[:200]
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == "invalid_parameters"
    assert [detail["field"] for detail in error["details"]] == [field]


@pytest.mark.parametrize("url", PAGINATED)
@pytest.mark.parametrize(
    "query", [f"page={HUGE}", "page=100001", "page=0", "page=-1", "page=abc", "page_size=1000", "page_size=0"]
)
def test_pages_out_of_bounds_are_a_json_400_on_every_listing(client, dataset, url, query):
    assert_json_400(client.get(f"{url}?{query}"), query.partition("=")[0])


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (f"/api/v1/experiences?year_from={HUGE}", "year_from"),
        (f"/api/v1/trainings/sessions?limit={HUGE}", "limit"),
        ("/api/v1/trainings/sessions?when=tomorrow", "when"),
        ("/api/v1/trainings/sessions?audience=martians", "audience"),
        (f"/api/v1/trainings/sessions/{HUGE}", "session_id"),
        (f"/api/v1/territories/search?q=lyon&limit={HUGE}", "limit"),
        ("/api/v1/territories/search?q=" + "a" * 201, "q"),
        ("/api/v1/resources?q=" + "a" * 201, "q"),
        ("/api/v1/territories/epci/243100518/indicators?zone=mars", "zone"),
        ("/api/v1/territories/epci/243100518/establishments?sort=color", "sort"),
    ],
)
def test_other_bounds_are_a_json_400(client, dataset, url, field):
    assert_json_400(client.get(url), field)


def test_a_huge_minimum_population_is_a_400_not_a_database_overflow(client, dataset):
    response = client.get(f"/api/v1/benchmark?min_population={HUGE}")
    assert response.status_code == 400
    assert response.json()["error"]["details"] == [{"field": "min_population", "message": HUGE}]


def test_the_last_pages_within_bounds_still_answer(client, dataset):
    assert client.get("/api/v1/resources?page=100000&page_size=100").json()["results"] == []
    far = client.get("/api/v1/territories/epci/243100518/establishments?page=100000")
    assert far.status_code == 404 and far.json()["error"]["code"] == "page_out_of_range"


def test_an_overlong_query_string_is_a_json_414(client, dataset):
    response = client.get("/api/v1/resources?theme=" + "x" * 3000)
    assert response.status_code == 414
    assert response.json()["error"]["code"] == "uri_too_long"
    assert response["Access-Control-Allow-Origin"] == "*"


# ---- the OpenAPI schema


@pytest.fixture
def schema(client, db):
    return client.get("/api/v1/openapi.json").json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_each_parameter_is_declared_once(schema):
    for name, operation in operations(schema):
        declared = [(p["in"], p["name"]) for p in operation.get("parameters", [])]
        assert len(declared) == len(set(declared)), (name, declared)
    locate = schema["paths"]["/api/v1/qpv/locate"]["get"]["parameters"]
    assert [p["name"] for p in locate] == ["lon", "lat"]


def test_every_operation_declares_its_errors_with_the_error_schema(schema):
    error = {"$ref": "#/components/schemas/ErrorOut"}
    for name, operation in operations(schema):
        responses = operation["responses"]
        expected = {"200", "401", "414", "429"}
        if any(p["in"] == "query" for p in operation.get("parameters", [])):
            expected |= {"400"}
        if "{" in name:
            expected |= {"404"}
        assert expected <= set(responses), (name, sorted(responses))
        for status in expected - {"200"}:
            assert responses[status]["content"]["application/json"]["schema"] == error, (name, status)
        assert "Retry-After" in responses["429"]["headers"]
    assert {"error"} == set(schema["components"]["schemas"]["ErrorOut"]["properties"])


def test_bounds_and_choices_are_published(schema):
    def parameter(path, name):
        operation = schema["paths"][path]["get"]
        return next(p for p in operation["parameters"] if p["name"] == name)["schema"]

    for path, maximum in PAGINATED.items():
        path = path.replace("epci/243100518", "{kind}/{code}")
        assert parameter(path, "page").items() >= {"minimum": 1, "maximum": 100_000}.items()
        assert parameter(path, "page_size").items() >= {"minimum": 1, "maximum": maximum}.items()
    indicators = "/api/v1/territories/{kind}/{code}/indicators"
    assert parameter(indicators, "zone")["enum"] == ["all", "qpv", "proximite", "hors_qpv"]
    assert "epci" in parameter(indicators, "kind")["enum"]
    assert parameter("/api/v1/trainings/sessions", "when")["enum"] == ["upcoming", "past", "all"]
    assert parameter("/api/v1/trainings/sessions", "limit")["maximum"] == 500
    assert parameter("/api/v1/benchmark", "nature")["items"]["enum"] == ["METRO", "CU", "CA", "CC"]
    assert parameter("/api/v1/territories/search", "q")["maxLength"] == 200


@pytest.mark.parametrize(
    ("path", "component"),
    [
        ("/api/v1/territories/{kind}/{code}/indicators", "IndicatorsOut"),
        ("/api/v1/territories/{kind}/{code}/establishments", "DirectoryOut"),
        ("/api/v1/establishments/{siret}", "EstablishmentWithReleaseOut"),
        ("/api/v1/benchmark", "BenchmarkOut"),
    ],
)
def test_observatory_answers_have_a_schema(schema, path, component):
    ok = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": f"#/components/schemas/{component}"}
    assert schema["components"]["schemas"][component]["properties"]


def test_observatory_schemas_keep_every_key_of_the_documents(client, dataset):
    """The schemas filter what the API sends: a key they forgot would vanish from the answer."""
    from essor.observatory.indicators import territory_indicators

    document = territory_indicators("epci", "243100518", "qpv")
    answer = client.get("/api/v1/territories/epci/243100518/indicators?zone=qpv").json()
    assert set(answer) == set(document)
    for key in ("establishments", "sectors", "reference", "national", "density"):
        assert answer[key] == document[key], key
    row = client.get("/api/v1/territories/epci/243100518/establishments").json()["results"][0]
    from essor.observatory import directory
    from essor.sirene.models import EssEstablishment

    record = directory.public_records([EssEstablishment.objects.get(siret=row["siret"])])[0]
    assert row == record
