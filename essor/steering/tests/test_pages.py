"""Steering pages per role: programme admins edit, editors / board / funders read, the public sees what is published;
the funder report as HTML, PDF (read back with pikepdf) and DOCX (read back with python-docx), in both languages."""

import datetime
import io
from decimal import Decimal

import pikepdf
import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from essor.accounts.models import Role
from essor.accounts.tests.factories import OrganisationFactory, make_user
from essor.steering.importer import import_file
from essor.steering.models import ActionSheet, AuditEntry, Decision, FollowUp, IndicatorSnapshot, ReaderRole
from essor.steering.tests.factories import CommitteeFactory, ConventionFactory, IndicatorFactory, reader
from essor.steering.tests.sheets import REAL_SHEET
from essor.trainings.tests.factories import past_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Two conventions with two funders, the real sheet (unpublished), a committee with a decision."""
    anct = OrganisationFactory(name="ANCT")
    other_funder = OrganisationFactory(name="Autre financeur")
    convention = ConventionFactory(title_fr="Convention ANCT", title_en="ANCT agreement", funder=anct,
                                   reference="ANCT 2020/2022", starts_on=datetime.date(2020, 1, 1),
                                   ends_on=datetime.date(2099, 12, 31))  # fmt: skip
    other = ConventionFactory(title_fr="Convention secrète", funder=other_funder)
    IndicatorFactory(convention=convention, metric="sessions_held", target=Decimal(4))
    committee = CommitteeFactory(
        convention=convention, title_fr="1er comité de pilotage", date=datetime.date(2021, 2, 16)
    )
    decision = Decision.objects.create(committee=committee, text_fr="La feuille de route est validée.",
                                       text_en="The roadmap is approved.")  # fmt: skip
    FollowUp.objects.create(committee=committee, decision=decision, text_fr="Proposer une date", owner="ANCT",
                            due_on=datetime.date(2021, 9, 30))  # fmt: skip
    import_file(REAL_SHEET)
    sheet = ActionSheet.objects.get()
    convention.action_sheets.add(sheet)
    past_session()
    past_session()
    people = {
        "admin": make_user(role=Role.PROGRAMME_ADMIN),
        "editor": make_user(role=Role.EDITOR),
        "operator": make_user(role=Role.OPERATOR, organisation=OrganisationFactory()),
        "member": make_user(role=Role.MEMBER, organisation=anct),  # works at the funder but holds no grant
        "board": make_user(),
        "funder": make_user(organisation=anct),
    }
    reader(people["board"], ReaderRole.BOARD_MEMBER)
    reader(people["funder"], ReaderRole.FUNDER)
    return {
        "convention": convention,
        "other": other,
        "committee": committee,
        "sheet": sheet,
        "people": people,
    }


def client_for(world, who) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(world["people"][who])
    return client


READS_DASHBOARD = {"admin", "editor", "board", "funder"}


@pytest.mark.parametrize("who", ["anonymous", "member", "operator", "editor", "board", "funder", "admin"])
def test_dashboard_per_role(world, who):
    response = client_for(world, who).get(reverse("steering:dashboard"))
    if who == "anonymous":
        assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
        return
    if who not in READS_DASHBOARD:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    page = response.content.decode()
    assert "Convention ANCT" in page
    assert ("Convention secrète" in page) is (who != "funder")  # a funder reads only its own conventions
    assert "Modifier dans l&#x27;administration" in page or who != "admin" or "admin/steering" in page


@pytest.mark.parametrize("who", ["anonymous", "member", "operator", "editor", "board", "funder", "admin"])
def test_convention_and_committee_pages_per_role(world, who):
    client = client_for(world, who)
    own = client.get(world["convention"].get_absolute_url())
    secret = client.get(world["other"].get_absolute_url())
    committee = client.get(world["committee"].get_absolute_url())
    if who in READS_DASHBOARD:
        assert own.status_code == 200 and committee.status_code == 200
        assert "La feuille de route est validée." in committee.content.decode()
        assert secret.status_code == (403 if who == "funder" else 200)
    else:
        expected = 302 if who == "anonymous" else 403
        assert (own.status_code, secret.status_code, committee.status_code) == (expected,) * 3


def test_the_roadmap_is_public_only_for_published_sheets(world):
    anonymous = Client()
    page = anonymous.get(reverse("steering:roadmap")).content.decode()
    assert "Aucune fiche-action n&#x27;est encore publiée." in page or "Aucune fiche-action" in page
    assert anonymous.get(world["sheet"].get_absolute_url()).status_code == 404
    assert client_for(world, "board").get(world["sheet"].get_absolute_url()).status_code == 200

    ActionSheet.objects.update(is_published=True)
    page = anonymous.get(reverse("steering:roadmap")).content.decode()
    assert "Quartiers prioritaires de la politique de la ville et territoires urbains" in page
    assert "<svg" in page and "début 2021" in page  # the timeline and its table
    detail = anonymous.get(world["sheet"].get_absolute_url()).content.decode()
    assert "Emmanuelle Rousset" in detail and "ESS France" in detail


def test_the_roadmap_page_keeps_a_constant_number_of_queries(world, django_assert_max_num_queries):
    ActionSheet.objects.update(is_published=True)
    with django_assert_max_num_queries(12):
        assert Client().get(reverse("steering:roadmap")).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "member", "funder", "admin"])
def test_report_per_role_and_publication(world, who):
    client = client_for(world, who)
    url = reverse("steering:report", args=[world["convention"].pk])
    expected = {"anonymous": 302, "member": 403, "funder": 200, "admin": 200}[who]
    assert client.get(url).status_code == expected
    world["convention"].is_published = True
    world["convention"].save()
    assert client.get(url).status_code == 200
    assert client.get(reverse("steering:report", args=[world["other"].pk])).status_code in {302, 403, 200}


def test_only_programme_admins_freeze_indicators(world):
    url = reverse("steering:freeze", args=[world["committee"].pk])
    for who in ("board", "funder", "editor"):
        assert client_for(world, who).post(url).status_code == 403
    assert not IndicatorSnapshot.objects.exists()
    response = client_for(world, "admin").post(url, follow=True)
    assert "Les indicateurs sont figés pour ce comité." in response.content.decode()
    snapshot = IndicatorSnapshot.objects.get()
    assert snapshot.taken_by == world["people"]["admin"]
    entry = AuditEntry.objects.get(content_type__model="indicatorsnapshot")
    assert entry.user == world["people"]["admin"] and entry.source == "web"


def test_audit_trail_page_per_role(world):
    url = reverse("steering:audit")
    assert client_for(world, "funder").get(url).status_code == 403
    assert client_for(world, "member").get(url).status_code == 403
    page = client_for(world, "board").get(url).content.decode()
    assert "import-action-sheet" in page and "Emmanuelle Rousset" in page
    filtered = client_for(world, "board").get(url, {"kind": "convention"}).content.decode()
    assert "Emmanuelle Rousset" not in filtered and "Convention ANCT" in filtered


def test_report_html_in_both_languages(world):
    client = client_for(world, "admin")
    url = reverse("steering:report", args=[world["convention"].pk])
    french = client.get(url, {"start": "2021-01-01", "end": "2099-12-31"}).content.decode()
    assert "<h1>Rapport d'activité — Convention ANCT</h1>" in french
    assert "Sessions de formation tenues" in french and "La feuille de route est validée." in french
    english = client.get("/en" + url[3:], {"start": "2021-01-01", "end": "2099-12-31"}).content.decode()
    assert "Activity report — ANCT agreement" in english and "The roadmap is approved." in english
    bad = client.get(url, {"start": "2022-01-01", "end": "2021-01-01"})
    assert bad.status_code == 400 and "La fin de la période doit suivre son début." in bad.content.decode()


def test_report_pdf_reads_back(world):
    response = client_for(world, "admin").get(
        reverse("steering:report", args=[world["convention"].pk]),
        {"start": "2021-01-01", "end": "2099-12-31", "format": "pdf"},
    )
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"] and ".pdf" in response["Content-Disposition"]
    pdf = pikepdf.open(io.BytesIO(response.content))
    assert str(pdf.open_metadata().get("dc:title", "")).startswith(
        "Rapport d'activité — Convention ANCT"
    ) or str(pdf.docinfo.get("/Title")).startswith("Rapport d'activité — Convention ANCT")
    assert str(pdf.Root.Lang) == "fr"
    text = b"".join(
        page.Contents.read_bytes() if not isinstance(page.Contents, pikepdf.Array) else b""
        for page in pdf.pages
    )
    assert len(pdf.pages) >= 1 and text  # drawn pages
    assert "/StructTreeRoot" in pdf.Root  # tagged PDF (screen readers)


def test_report_docx_reads_back_in_english(world):
    response = client_for(world, "admin").get(
        "/en" + reverse("steering:report", args=[world["convention"].pk])[3:],
        {"start": "2021-01-01", "end": "2099-12-31", "format": "docx"},
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    document = Document(io.BytesIO(response.content))
    assert document.core_properties.title == "Activity report — ANCT agreement"
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert "Indicators against targets" in headings and "Committees and decisions" in headings
    indicators = document.tables[0]
    assert [cell.text for cell in indicators.rows[0].cells] == [
        "Indicator",
        "Baseline",
        "Target",
        "Value",
        "Share of target",
    ]
    assert [cell.text for cell in indicators.rows[1].cells] == [
        "Training sessions held",
        "0",
        "4",
        "2",
        "50%",
    ]
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert "The roadmap is approved." in paragraphs
    actions = document.tables[1]
    assert actions.rows[1].cells[0].text == "3.1 Formations / sensibilisations à l'ESS"


def test_a_published_report_shows_the_public_only_published_sheets(world):
    world["convention"].is_published = True
    world["convention"].save()
    url = reverse("steering:report", args=[world["convention"].pk])
    public = Client().get(url).content.decode()
    assert "Rapport d'activité — Convention ANCT" in public
    assert "Formations / sensibilisations" not in public  # the sheet is not published
    assert "Formations / sensibilisations" in client_for(world, "funder").get(url).content.decode()
    ActionSheet.objects.update(is_published=True)
    assert "Formations / sensibilisations" in Client().get(url).content.decode()
