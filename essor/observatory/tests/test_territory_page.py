"""The observatory section inside the territory page (territories app): figures, charts, links, no N+1."""

import pytest


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_territory_page_includes_the_observatory_section(
    client, precomputed, lang, django_assert_max_num_queries
):
    with django_assert_max_num_queries(30):
        response = client.get(f"/{lang}/territoires/epci/243100518/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="obs-title"' in html
    assert "/observatoire/territoires/epci/243100518/annuaire/" in html
    assert "graphiques/zones.svg" in html


def test_territory_page_without_release_shows_the_empty_state(client, territories):
    html = client.get("/en/territoires/commune/31555/").content.decode()
    assert "No SIRENE release is loaded yet" in html
