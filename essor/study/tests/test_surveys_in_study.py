"""Survey results in an edition: the distribution of a question of the frozen wave as a numbered figure, and each
authority's closed answers on its fact sheet (never its free text)."""

import pytest
from django.utils import timezone

from essor.study import freeze as freezing
from essor.study import render
from essor.study.tests.conftest import make_edition
from essor.surveys.models import Answer, InvitationStatus, Response
from essor.surveys.tests.factories import POLICIES_FILE, make_campaign, make_invitation, questionnaire_version

pytestmark = pytest.mark.django_db


def answer(invitation, values: dict):
    response = Response.objects.create(invitation=invitation, submitted_at=timezone.now(), receipt="R1")
    for code, value in values.items():
        Answer.objects.create(response=response, code=code, value=value)
    invitation.status = InvitationStatus.SUBMITTED
    invitation.save()


@pytest.fixture
def wave(release):
    campaign = make_campaign("politiques-2025", questionnaire_version(POLICIES_FILE), open_=False)
    toulouse = make_invitation(campaign)
    lyon = make_invitation(campaign, territory="epci:200046977", name="Métropole de Lyon")
    make_invitation(campaign, territory="epci:200054781", name="Métropole du Grand Paris")  # did not answer
    answer(toulouse, {"elected_official": "oui", "staff_fte": 3.5, "comments": "Appeler Mme Dupont au 06…"})
    answer(lyon, {"elected_official": "non"})
    return campaign


def test_a_survey_question_is_a_numbered_figure_of_the_frozen_wave(wave):
    edition = make_edition(figures=["benchmark_ess_share", "survey:politiques-2025:elected_official"])
    edition.campaigns.add(wave)
    frozen = freezing.freeze(edition)
    figure = frozen.snapshot["figures"]["qpv/f2"]
    assert figure["number"] == 2 and figure["respondents"] == 2
    counts = {row["answer"]["fr"]: (row["count"], row["share"]) for row in figure["rows"]}
    assert counts["Oui"] == (1, 0.5) and counts["Non"] == (1, 0.5)
    assert figure["title"]["fr"].startswith("Un·e élu·e") and figure["title"]["en"] != figure["title"]["fr"]
    [campaign] = frozen.snapshot["campaigns"]
    assert campaign["slug"] == "politiques-2025" and len(campaign["fingerprint"]) == 64
    en = render.figure_view(figure, "en", with_chart=False)
    assert en["rows"][0][2] == "50.0%" and "2 authorities answered" in en["source"]


def test_fact_sheets_show_closed_answers_but_never_free_text(wave):
    edition = make_edition()
    edition.campaigns.add(wave)
    frozen = freezing.freeze(edition)
    sheets = {sheet["identifier"]: sheet for sheet in frozen.snapshot["factsheets"]}
    assert set(sheets) == {"epci:243100518", "epci:200046977", "epci:200054781"}  # the métropoles
    toulouse = {a["code"]: a["answer"]["fr"] for a in sheets["epci:243100518"]["answers"]}
    assert toulouse["elected_official"] == "Oui" and toulouse["staff_fte"] == "3.5"
    assert "comments" not in toulouse and "Dupont" not in str(frozen.snapshot)
    assert sheets["epci:200054781"]["answers"] == []
    assert sheets["epci:243100518"]["zones"]["qpv"]["ess"] == 4 and sheets["epci:243100518"]["qpv_count"] == 1


def test_a_wave_answered_after_freezing_does_not_change_the_edition(wave):
    edition = make_edition(figures=["survey:politiques-2025:elected_official", "families"])
    edition.campaigns.add(wave)
    frozen = freezing.freeze(edition)
    before = frozen.snapshot_fingerprint
    paris = wave.invitations.get(territory="epci:200054781")
    answer(paris, {"elected_official": "oui"})
    frozen.refresh_from_db()
    assert frozen.snapshot["figures"]["etat/f2"]["respondents"] == 2
    assert (
        freezing.freeze(frozen).snapshot_fingerprint != before
    )  # a re-freeze (drafts only) sees the new answer
