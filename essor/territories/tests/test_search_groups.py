"""Search results grouped by kind, a cap per kind with "N more", the current QPV generation first."""

import pytest

from essor.territories.search import grouped_search
from essor.territories.tests.fixtures import module_reference

loaded = module_reference(("31", "38", "89"))


@pytest.fixture
def reference(loaded, db):
    return loaded


def test_villeneuve_shows_the_qpv_beside_the_many_communes(reference):
    groups = {group.kind: group for group in grouped_search("villeneuve", per_kind=3)}
    assert [result.name for result in groups["qpv"].results] == ["Villeneuve - Village Olympique"]
    communes = groups["commune"]
    assert len(communes.results) == 3 and communes.more == communes.total - 3 > 0


def test_grand_mirail_lists_the_2024_qpv_first(reference):
    (qpvs,) = [group for group in grouped_search("grand mirail") if group.kind == "qpv"]
    codes = [result.code for result in qpvs.results]
    assert codes[0] == "QN03107M" and any(code.startswith("QP") for code in codes[1:])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_search_page_groups_with_a_more_link(client, reference, lang, settings):
    html = client.get(f"/{lang}/territoires/", {"q": "villeneuve"}).content.decode()
    assert "Villeneuve - Village Olympique" in html
    more = "autres résultats de ce type" if lang == "fr" else "more results of this kind"
    assert more in html and "kind=commune" in html
    # The link opens one kind with every match.
    one_kind = client.get(f"/{lang}/territoires/", {"q": "villeneuve", "kind": "commune"}).content.decode()
    assert 'id="results-commune"' in one_kind and 'id="results-qpv"' not in one_kind
    assert one_kind.count('class="result-code"') > 8 and more not in one_kind
