"""The back office shows the loaded reference (search, filters) and refuses edits: data comes from loads."""

import pytest

from essor.territories.tests.fixtures import load_reference

PAGES = [
    ("region", "?q=occitanie"),
    ("departement", "?zone__exact=metro"),
    ("epci", "?nature__exact=METRO&q=toulouse"),
    ("commune", "?q=31555"),
    ("commune", "?kind__exact=arrondissement"),
    ("qpv", "?generation__exact=2024&repaired__exact=1"),
    ("qpvcrosswalk", "?q=QP031007"),
    ("referenceload", ""),
]


@pytest.fixture
def reference(db):
    return load_reference(("31", "69"))


def test_admin_lists_are_searchable(admin_client, reference):
    for model, query in PAGES:  # one test: loading the reference is the slow part
        response = admin_client.get(f"/fr/admin/territories/{model}/{query}")
        assert response.status_code == 200, (model, query)
    assert "Toulouse" in admin_client.get("/fr/admin/territories/commune/?q=31555").content.decode()


def test_admin_detail_pages_are_read_only(admin_client, reference):
    response = admin_client.get("/en/admin/territories/qpv/QP031007/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "WGS84 bounding box" in html and "QN03" in html  # the crosswalk inline lists the 2024 QPV
    assert 'name="_save"' not in html
    assert admin_client.get("/en/admin/territories/commune/add/").status_code == 403
    assert (
        admin_client.post("/en/admin/territories/commune/31555/delete/", {"post": "yes"}).status_code == 403
    )
