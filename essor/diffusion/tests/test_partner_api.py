"""The API partners build on: CORS, territory search, quotas by address and by key (429 + Retry-After),
validators (ETag / Last-Modified, 304), and answers that say which release answered."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils.http import http_date

from essor.diffusion import quota
from essor.diffusion.models import ApiKey
from essor.observatory.tests.factories import EstablishmentCountFactory

INDICATORS = "/api/v1/territories/epci/243100518/indicators"


@pytest.fixture(autouse=True)
def _still_clock(monkeypatch):
    """Half-way through a minute: a burst never straddles two fixed windows."""
    monkeypatch.setattr(quota, "clock", lambda: 1_800_000_030.0)


@pytest.fixture
def tight_quota(settings):
    settings.ESSOR_RATE_LIMITS = {**settings.ESSOR_RATE_LIMITS, "api": "5/m", "api-key": "100/m"}


def test_public_get_api_allows_any_origin_and_answers_preflight(client, territories):
    response = client.get("/api/v1/territories/search?q=lyon", headers={"Origin": "https://partner.example"})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Retry-After" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/territories/search",
        headers={
            "Origin": "https://partner.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "x-api-key",
        },
    )
    assert preflight.status_code == 204
    assert "X-API-Key" in preflight["Access-Control-Allow-Headers"]
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    # pages are not opened to other origins
    assert not client.get("/fr/").has_header("Access-Control-Allow-Origin")


def test_territory_search_finds_by_name_and_code(client, territories):
    body = client.get("/api/v1/territories/search?q=lyon").json()
    ids = [hit["id"] for hit in body["results"]]
    assert ids[:2] == ["epci:200046977", "commune:69123"]
    assert (
        body["results"][0]["indicators"] == "http://testserver/api/v1/territories/epci/200046977/indicators"
    )
    assert body["results"][1]["url"] == "http://testserver/fr/territoires/commune/69123/"
    only = client.get("/api/v1/territories/search?q=lyon&kind=commune").json()
    assert [hit["id"] for hit in only["results"]] == ["commune:69123"]
    by_code = client.get("/api/v1/territories/search?q=31555").json()
    assert by_code["results"][0]["name"] == "Toulouse"


@pytest.mark.parametrize("query", ["q=", "q=lyon&kind=planet", "q=lyon&limit=500"])
def test_territory_search_errors_use_the_one_format(client, territories, query):
    response = client.get(f"/api/v1/territories/search?{query}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_parameters"


def test_a_bounded_burst_gets_429_with_retry_after_while_keyed_requests_pass(
    client, territories, tight_quota
):
    _key, value = ApiKey.issue("Partner platform")
    statuses = []
    for _ in range(8):
        response = client.get("/api/v1/territories/search?q=lyon")
        statuses.append(response.status_code)
    assert statuses == [200] * 5 + [429] * 3
    assert response["Retry-After"] == "30"
    assert response["RateLimit-Remaining"] == "0"
    error = response.json()["error"]
    assert error["code"] == "rate_limited" and error["details"]["limit"] == 5
    assert response["Access-Control-Allow-Origin"] == "*"  # a browser client can read why
    keyed = [client.get("/api/v1/territories/search?q=lyon", headers={"X-API-Key": value}) for _ in range(10)]
    assert [r.status_code for r in keyed] == [200] * 10
    assert keyed[-1]["RateLimit-Limit"] == "100" and keyed[-1]["RateLimit-Remaining"] == "90"
    # another address has its own quota
    assert client.get("/api/v1/territories/search?q=lyon", REMOTE_ADDR="192.0.2.9").status_code == 200


def test_a_key_with_its_own_quota_and_an_unknown_key(client, territories, tight_quota):
    _key, value = ApiKey.issue("Small partner", rate="2/m")
    statuses = [
        client.get("/api/v1/territories/search?q=lyon", headers={"X-API-Key": value}).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    wrong = client.get("/api/v1/territories/search?q=lyon", headers={"X-API-Key": value[:-2] + "xx"})
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "invalid_api_key"
    ApiKey.objects.update(is_active=False)
    assert client.get("/api/v1/territories/search?q=lyon", headers={"X-API-Key": value}).status_code == 401


def test_the_default_quota_is_on(client, db, settings):
    assert settings.ESSOR_RATE_LIMITS["api"] == "120/m"
    statuses = [client.get("/api/v1/territories/search?q=").status_code for _ in range(121)]
    assert statuses.count(429) == 1 and statuses[-1] == 429


def test_answers_carry_validators_and_revalidate_to_304(client, release):
    response = client.get(INDICATORS)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public, max-age=")
    assert response["Last-Modified"] == http_date(release.finished_at.timestamp())
    assert response["Essor-Release"] == "2026-11-01 synthetic"
    etag = response["ETag"]
    again = client.get(INDICATORS, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    since = client.get(INDICATORS, headers={"If-Modified-Since": response["Last-Modified"]})
    assert since.status_code == 304
    other_zone = client.get(INDICATORS + "?zone=qpv", headers={"If-None-Match": etag})
    assert other_zone.status_code == 200 and other_zone["ETag"] != etag


def test_the_api_says_which_release_answered_with_methodology_and_licence(client, release):
    body = client.get(INDICATORS).json()
    assert body["release"]["vintage"] == "2026-11-01"
    assert body["release"]["current"] is True and body["release"]["synthetic"] is True
    assert body["release"]["methodology"] == "http://testserver/fr/methodologie/"
    assert body["release"]["licence"]["name"] == "Licence Ouverte 2.0"
    directory = client.get("/api/v1/territories/epci/243100518/establishments").json()
    assert directory["release"]["methodology"].endswith("/methodologie/")


def test_release_parameter_answers_with_a_kept_older_release(client, release, older_release):
    EstablishmentCountFactory(
        release=older_release, commune_code="31555", zone="hors_qpv", naf_division="88",
        is_ess=True, family="association", establishments=7,
    )  # fmt: skip
    current = client.get(INDICATORS).json()
    older = client.get(INDICATORS + "?release=2026-10-01")
    assert older.status_code == 200
    assert older["Essor-Release"] == "2026-10-01"
    body = older.json()
    assert body["release"]["vintage"] == "2026-10-01" and body["release"]["current"] is False
    assert body["establishments"]["ess"] == current["establishments"]["ess"] + 7
    missing = client.get(INDICATORS + "?release=2001-01-01")
    assert missing.status_code == 404
    error = missing.json()["error"]
    assert error["code"] == "unknown_release"
    assert error["details"][0]["message"] == "2026-11-01, 2026-10-01"
    assert client.get(INDICATORS + "?release=yesterday").status_code == 404


def test_a_failed_release_is_not_citable(client, release, older_release):
    older_release.status = "failed"
    older_release.save()
    assert client.get(INDICATORS + "?release=2026-10-01").status_code == 404
    assert datetime.date(2026, 10, 1) == older_release.vintage


def test_the_apikey_command_prints_a_working_key_once_and_a_dry_run_issues_none(
    client, territories, tight_quota
):
    out = io.StringIO()
    call_command("diffusion", "apikey", "Plateforme partenaire", "--rate", "3/m", "--dry-run", stdout=out)
    assert "Would issue an API key for Plateforme partenaire (quota 3/m)" in out.getvalue()
    assert not ApiKey.objects.exists()

    out = io.StringIO()
    call_command("diffusion", "apikey", "Plateforme partenaire", "--rate", "3/m", stdout=out)
    value = out.getvalue().splitlines()[-1]
    assert ApiKey.objects.get().name == "Plateforme partenaire"
    statuses = [
        client.get("/api/v1/territories/search?q=lyon", headers={"X-API-Key": value}).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    with pytest.raises(CommandError, match="not of the form"):
        call_command("diffusion", "apikey", "Other", "--rate", "lots", stdout=io.StringIO())
