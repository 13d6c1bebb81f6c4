"""A release that does not cover a territory says so ("not covered by this release"), never shows 0; the sample
rate of a synthetic sample keeps per-inhabitant figures plausible."""

import pytest

from essor.observatory.precompute import precompute_release
from essor.observatory.tests.conftest import build_release

NOT_COVERED = {"fr": "Non couvert par ce millésime.", "en": "Not covered by this release."}


@pytest.fixture
def toulouse_only(territories):
    """The hand-counted release, recorded as covering Haute-Garonne only (Lyon's rows removed)."""
    release = build_release(coverage={"departements": ["31"], "sample_rate": 1.0})
    release.counts.filter(departement_code="69").delete()
    release.ess_establishments.filter(departement_code="69").delete()
    precompute_release(release)
    return release


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_territory_outside_the_coverage_says_not_covered_instead_of_zero(client, toulouse_only, lang):
    html = client.get(f"/{lang}/observatoire/territoires/epci/200046977/").content.decode()
    assert NOT_COVERED[lang] in html
    assert "obs-compare-table" not in html and "graphiques/" not in html
    page = client.get(f"/{lang}/territoires/departement/69/").content.decode()
    assert NOT_COVERED[lang] in page


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_covered_territory_shows_figures_and_marks_an_uncovered_comparison_column(
    client, toulouse_only, lang
):
    html = client.get(f"/{lang}/observatoire/territoires/epci/243100518/").content.decode()
    assert NOT_COVERED[lang] not in html and "obs-compare-table" in html
    # France needs every département (31 and 69 here): its column says so rather than show Toulouse's figures.
    assert (
        "France (non couvert par ce millésime)" if lang == "fr" else "France (not covered by this release)"
    ) in html


def test_the_api_answers_not_covered(client, toulouse_only):
    response = client.get("/api/v1/territories/epci/200046977/indicators")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_covered"
    covered = client.get("/api/v1/territories/epci/243100518/indicators").json()
    assert covered["covered"] is True and covered["national"]["covered"] is False
    assert covered["reference"]["covered"] is True  # Occitanie: Haute-Garonne only in this reference


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_benchmark_rows_outside_the_coverage_are_unknown_not_zero(client, toulouse_only, lang):
    rows = {row["code"]: row for row in client.get("/api/v1/benchmark").json()["results"]}
    assert rows["243100518"]["covered"] and rows["243100518"]["ess"] == 10
    lyon = rows["200046977"]
    assert lyon["covered"] is False and lyon["ess"] is None and lyon["ess_share"] is None
    html = client.get(f"/{lang}/observatoire/metropoles/").content.decode()
    assert NOT_COVERED[lang] in html


def test_per_inhabitant_figures_use_the_sampled_share_of_the_population(client, territories):
    """A 1/200 synthetic sample divided by the whole population showed 0.02 ESS establishments per 1,000."""
    release = build_release(coverage={"departements": ["31", "69"], "sample_rate": 0.5})
    precompute_release(release)
    document = client.get("/api/v1/territories/epci/243100518/indicators").json()
    # 10 ESS establishments, 800,000 inhabitants, half of them sampled: 0.025 per 1,000.
    assert document["density"]["ess_per_1000"] == pytest.approx(0.025)
