"""The headline table compares a territory with its reference territory and France: France once."""

import re

import pytest


def headline_headers(html: str) -> list[str]:
    table = html[html.index('<th scope="col">') :]
    table = table[: table.index("</tr>")]
    return [
        re.sub(r"\s+", " ", cell).strip() for cell in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table)
    ]


@pytest.mark.parametrize(("lang", "indicator"), [("fr", "Indicateur"), ("en", "Indicator")])
def test_a_region_page_shows_france_once_although_it_is_both_reference_and_nation(
    client, precomputed, lang, indicator
):
    html = client.get(f"/{lang}/territoires/region/76/").content.decode()
    assert headline_headers(html) == [indicator, "Occitanie", "France"]


def test_a_commune_page_compares_with_its_epci_and_france(client, precomputed):
    html = client.get("/fr/territoires/commune/31555/").content.decode()
    headers = headline_headers(html)
    assert headers[1] == "Toulouse" and headers[-1] == "France" and len(headers) == 4
