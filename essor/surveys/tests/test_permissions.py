"""Who may see what, as a matrix: role x page (status codes a person would get), plus what a CRESS sees."""

import pytest

from essor.accounts.models import OrganisationKind, Role
from essor.accounts.tests.factories import OrganisationFactory, make_user
from essor.surveys.answering import open_response, save_page, submit
from essor.surveys.tests.factories import make_campaign, make_invitation

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "toulouse", "lyon", "cress_occitanie", "operator_other", "editor", "admin"]
TEAM = {"editor", "admin"}
# page -> roles that get it (others: 403, or the login page when anonymous)
MATRIX = {
    "campaigns": TEAM | {"cress_occitanie"},
    "campaign": TEAM | {"cress_occitanie"},
    "analysis": TEAM | {"cress_occitanie"},
    "export_csv": TEAM,
    "export_xlsx": TEAM,
    "codebook": TEAM,
    "response_toulouse": TEAM | {"toulouse"},
    "response_lyon": TEAM | {"lyon"},
    "questionnaires": TEAM,
    "preview": TEAM,
    "needs_review": TEAM,
    "needs_board": set(ROLES),
}


@pytest.fixture
def world():
    campaign = make_campaign()
    toulouse = make_invitation(campaign)
    lyon = make_invitation(
        campaign,
        territory="epci:200046977",
        name="Métropole de Lyon",
        region_code="84",
        region_name="Auvergne-Rhône-Alpes",
    )
    users = {
        "anonymous": None,
        "member": make_user(),
        "toulouse": make_user(
            organisation=OrganisationFactory(name="Toulouse Métropole", territory="epci:243100518")
        ),
        "lyon": make_user(
            organisation=OrganisationFactory(name="Métropole de Lyon", territory="epci:200046977")
        ),
        "cress_occitanie": make_user(
            role=Role.OPERATOR,
            organisation=OrganisationFactory(
                name="CRESS Occitanie", kind=OrganisationKind.CRESS, territory="region:76", region_code="76"
            ),
        ),
        "operator_other": make_user(
            role=Role.OPERATOR,
            organisation=OrganisationFactory(
                name="Centre de ressources", kind=OrganisationKind.RESOURCE_CENTRE
            ),
        ),
        "editor": make_user(role=Role.EDITOR),
        "admin": make_user(role=Role.PROGRAMME_ADMIN),
    }
    slug, version = campaign.slug, campaign.version
    urls = {
        "campaigns": "/fr/enquetes/",
        "campaign": f"/fr/enquetes/campagnes/{slug}/",
        "analysis": f"/fr/enquetes/campagnes/{slug}/analyse/",
        "export_csv": f"/fr/enquetes/campagnes/{slug}/export/csv/",
        "export_xlsx": f"/fr/enquetes/campagnes/{slug}/export/xlsx/",
        "codebook": f"/fr/enquetes/campagnes/{slug}/export/codebook/",
        "response_toulouse": f"/fr/enquetes/campagnes/{slug}/invitations/{toulouse.pk}/",
        "response_lyon": f"/fr/enquetes/campagnes/{slug}/invitations/{lyon.pk}/",
        "questionnaires": "/fr/enquetes/questionnaires/",
        "preview": f"/fr/enquetes/questionnaires/{version.questionnaire.slug}/v{version.number}/",
        "needs_review": "/fr/enquetes/besoins/a-valider/",
        "needs_board": "/fr/enquetes/besoins/",
    }
    return campaign, toulouse, lyon, users, urls


@pytest.mark.parametrize("role", ROLES)
def test_matrix(client, world, role):
    _campaign, _toulouse, _lyon, users, urls = world
    if users[role] is not None:
        client.force_login(users[role])
    for page, url in urls.items():
        status = client.get(url).status_code
        if role in MATRIX[page]:
            assert status == 200, (role, page, status)
        elif role == "anonymous":
            assert status == 302, (role, page, status)
        else:
            assert status == 403, (role, page, status)


def test_cress_sees_only_its_region_aggregates_and_no_free_text(client, world):
    campaign, toulouse, lyon, users, _urls = world
    for invitation, service in ((toulouse, "Service ESS de Toulouse"), (lyon, "Service ESS de Lyon")):
        response = open_response(invitation, "fr")
        section = campaign.version.parsed.sections[0]
        save_page(response, section, {"respondent_service": service})
        for code, value in (
            ("p_politique", {"has_policy": "non"}),
            ("p_scic", {"scic_member": "non"}),
            ("p_projet", {"project_wanted": "non"}),
        ):
            save_page(response, next(s for s in campaign.version.parsed.sections if s.code == code), value)
        submit(response)
    client.force_login(users["cress_occitanie"])
    page = client.get(f"/fr/enquetes/campagnes/{campaign.slug}/analyse/").content.decode()
    assert "Occitanie" in page and "Auvergne-Rhône-Alpes" not in page
    assert "Service ESS de Toulouse" not in page  # free text: the programme team only
    assert "Toulouse Métropole" not in page and "Métropole de Lyon" not in page  # no single authority named
    campaign_page = client.get(f"/fr/enquetes/campagnes/{campaign.slug}/").content.decode()
    assert "Toulouse Métropole" not in campaign_page  # nor in the list of invitations
    client.force_login(users["admin"])
    page = client.get(f"/fr/enquetes/campagnes/{campaign.slug}/analyse/").content.decode()
    assert "Service ESS de Toulouse" in page and "Service ESS de Lyon" in page


def test_signed_in_member_finds_only_their_authority(client, world):
    _campaign, toulouse, _lyon, users, _urls = world
    client.force_login(users["toulouse"])
    page = client.get("/fr/enquetes/mes-reponses/").content.decode()
    assert f"/invitations/{toulouse.pk}/" in page and "Lyon" not in page


def test_only_the_team_invites_and_reminds(client, world):
    campaign, _t, _l, users, _urls = world
    client.force_login(users["cress_occitanie"])
    assert client.post(f"/fr/enquetes/campagnes/{campaign.slug}/", {"sirens": "243100773"}).status_code == 403
    assert client.post(f"/fr/enquetes/campagnes/{campaign.slug}/relances/").status_code == 403
