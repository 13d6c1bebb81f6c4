"""Prefill: the respondent's territory figures from the one indicators function, or last wave's answers; the
prefilled value, the answer, the source and the vintage are all kept."""

import pytest

from essor.observatory.indicators import territory_indicators as core_indicators
from essor.observatory.tests.conftest import build_release, build_territories
from essor.surveys.answering import invitation_path, open_response, save_page, submit
from essor.surveys.models import Answer
from essor.surveys.tests.factories import POLICIES_FILE, make_campaign, make_invitation, questionnaire_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def release():
    build_territories()
    return build_release(synthetic=False)


def test_indicator_prefill_matches_the_indicators_document(client, release):
    invitation = make_invitation(make_campaign())
    response = open_response(invitation, "fr")
    answers = {a.code: a for a in Answer.objects.filter(response=response)}
    whole = core_indicators("epci", "243100518", "all")
    inside = core_indicators("epci", "243100518", "qpv")
    assert answers["ess_establishments"].prefilled_value == whole["establishments"]["ess"] == 10
    assert (
        answers["ess_share_qpv"].prefilled_value
        == round(inside["establishments"]["ess_share"] * 100, 1)
        == 28.6
    )
    assert answers["ess_employees"].prefilled_value == whole["employees_estimate"]["ess"]["low"]
    first = answers["ess_establishments"]
    assert first.value is None  # waiting for the respondent to confirm
    assert first.prefill_source == "indicator:establishments.ess@all (sirene)"
    assert first.prefill_vintage == whole["release"]["vintage"]
    page = client.get("/fr" + invitation_path(invitation)[3:] + "page/p_collectivite/").content.decode()
    assert 'value="10"' in page and "Prérempli par l'observatoire essor : 10" in page
    # The respondent corrects one figure and confirms another: all four facts stay.
    client.post(
        "/fr" + invitation_path(invitation)[3:] + "page/p_collectivite/",
        {"ess_establishments": "12", "ess_share_qpv": "28,6", "action": "later"},
    )
    corrected = Answer.objects.get(response=response, code="ess_establishments")
    assert (corrected.prefilled_value, corrected.value, corrected.corrected) == (10, 12, True)
    confirmed = Answer.objects.get(response=response, code="ess_share_qpv")
    assert (confirmed.prefilled_value, confirmed.value, confirmed.corrected) == (28.6, 28.6, False)


def test_no_release_no_prefill(db):
    invitation = make_invitation(make_campaign())
    response = open_response(invitation, "fr")
    assert not Answer.objects.filter(response=response).exists()


def test_previous_wave_prefills_the_same_question():
    version = questionnaire_version(POLICIES_FILE)
    first = make_campaign("politiques-2025", version, open_=True)
    invitation = make_invitation(first)
    response = open_response(invitation, "fr")
    sections = {s.code: s for s in version.parsed.sections}
    save_page(response, sections["p_elu"], {"elected_official": "non"})
    save_page(response, sections["p_moyens"], {"staff_fte": 3.5, "budget": 800.0})
    save_page(response, sections["p_cadre"], {"framework_document": "non"})
    submit(response)
    second = make_campaign("politiques-2026", version, previous=first)
    again = open_response(make_invitation(second), "fr")
    staff = Answer.objects.get(response=again, code="staff_fte")
    assert (staff.prefilled_value, staff.prefill_source) == (3.5, "previous:politiques-2025")
    assert staff.prefill_vintage == first.closes_at.date().isoformat()
    other = make_invitation(second, territory="epci:200046977", name="Métropole de Lyon")
    assert not Answer.objects.filter(response=open_response(other, "fr"), code="staff_fte").exists()
