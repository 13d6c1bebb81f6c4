"""The observatory API: indicators, directory, establishment, benchmark, and the error format."""

import pytest

from essor.observatory.tests.factories import EssEstablishmentFactory


@pytest.fixture(autouse=True)
def _no_api_quota(settings):
    """The query counts below measure the views; the partner quota, counted in the (database) cache by the
    API's middleware, is tested where it is built (essor.diffusion)."""
    settings.ESSOR_RATE_LIMITS = {**settings.ESSOR_RATE_LIMITS, "api": "0", "api-key": "0"}


@pytest.mark.parametrize("precompute", [True, False])
def test_indicators_api(client, release, precompute, django_assert_max_num_queries):
    if precompute:
        from essor.observatory.precompute import precompute_release

        precompute_release(release)
    # Precomputed: the territory, its reference, France's population, the release and one snapshot query.
    with django_assert_max_num_queries(7 if precompute else 18):
        response = client.get("/api/v1/territories/epci/243100518/indicators", {"zone": "qpv"})
    assert response.status_code == 200
    body = response.json()
    assert body["territory"] == {"kind": "epci", "code": "243100518", "name": "Toulouse Métropole"}
    assert body["zone"] == "qpv"
    assert body["establishments"]["ess"] == 4
    assert body["reference"]["territory"]["code"] == "76"
    assert body["national"]["establishments"]["active"] == 61
    assert body["release"]["synthetic"] is True


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/v1/territories/epci/999999999/indicators", 404, "unknown_territory"),
        ("/api/v1/territories/planet/1/indicators", 404, "unknown_territory"),
        ("/api/v1/territories/epci/243100518/indicators?zone=mars", 400, "invalid_parameters"),
        ("/api/v1/territories/epci/243100518/establishments?family=guild", 400, "invalid_parameters"),
        ("/api/v1/territories/epci/243100518/establishments?page=9", 404, "page_out_of_range"),
        ("/api/v1/territories/epci/243100518/establishments?page_size=1000", 400, "invalid_parameters"),
        ("/api/v1/establishments/00000000000000", 404, "unknown_establishment"),
        ("/api/v1/benchmark?sort=color", 400, "invalid_parameters"),
        ("/api/v1/benchmark?nature=XYZ", 400, "invalid_parameters"),
    ],
)
def test_errors_share_one_format(client, release, url, status, code):
    response = client.get(url)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


def test_no_release_is_a_clear_error(client, territories):
    response = client.get("/api/v1/territories/france/FR/indicators")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "no_release"


def test_directory_api_filters_and_pages(client, release, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get(
            "/api/v1/territories/commune/31555/establishments", {"family": "association", "page_size": 3}
        )
    body = response.json()
    assert body["count"] == 7 and body["pages"] == 3 and len(body["results"]) == 3
    assert {row["family"] for row in body["results"]} == {"association"}
    names = [row["name"] for row in body["results"]]
    assert names == sorted(names)
    page3 = client.get(
        "/api/v1/territories/commune/31555/establishments",
        {"family": "association", "page_size": 3, "page": 3},
    ).json()
    assert len(page3["results"]) == 1
    employers = client.get("/api/v1/territories/epci/243100518/establishments", {"employer": "yes"}).json()
    assert employers["count"] == 7  # 4 (a) + 2 (c) + 1 (f)
    qpv = client.get("/api/v1/territories/qpv/QN03104M/establishments").json()
    assert qpv["count"] == 6  # 4 inside + 2 within 300 m
    near = client.get("/api/v1/territories/qpv/QN03104M/establishments", {"zone": "proximite"}).json()
    assert near["count"] == 2


def test_sole_proprietors_are_never_named(client, release, django_assert_max_num_queries):
    EssEstablishmentFactory(
        release=release,
        siret="12345678900011",
        name="Jeanne Martin",
        legal_category="1000",
        family="entreprise_commerciale_ess",
        address="3 impasse des Lilas",
    )
    with django_assert_max_num_queries(3):
        body = client.get("/api/v1/establishments/12345678900011").json()
    assert "Jeanne" not in str(body) and "Lilas" not in str(body)
    assert body["lon"] is None and body["commune_code"] == "31555"
    listing = client.get("/api/v1/territories/commune/31555/establishments", {"page_size": 200}).json()
    assert "Jeanne" not in str(listing)


def test_benchmark_api_defaults_to_the_metropoles(client, precomputed, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/benchmark").json()
    assert [row["code"] for row in body["results"]] == ["243100518", "200046977", "200054781"]  # by ESS, desc
    toulouse = body["results"][0]
    assert toulouse["ess"] == 10 and toulouse["ess_in_qpv"] == 4 and toulouse["qpv_count"] == 1
    assert toulouse["ess_in_qpv_share"] == pytest.approx(0.4)
    picked = client.get("/api/v1/benchmark", {"nature": "CC", "sort": "name", "order": "asc"}).json()
    assert [row["name"] for row in picked["results"]] == ["CC des Coteaux"]
    big = client.get("/api/v1/benchmark", {"min_population": "1000000", "sort": "population"}).json()
    assert [row["code"] for row in big["results"]] == ["200054781", "200046977"]


def test_openapi_documents_the_observatory(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/territories/{kind}/{code}/indicators" in paths
    assert "/api/v1/benchmark" in paths
