"""`essor steering demo`: the real sheet, the ANCT 2020–2022 convention with its committees, live indicators."""

import datetime

import pytest
from django.core.management import call_command

from essor.steering import targets
from essor.steering.models import (
    ActionSheet,
    Committee,
    CommitteeKind,
    Convention,
    IndicatorSnapshot,
    SteeringReader,
)
from essor.trainings.tests.factories import past_session

pytestmark = pytest.mark.django_db


def test_the_demo_imports_the_real_sheet_and_the_anct_convention(capsys):
    call_command("steering", "demo")
    call_command("steering", "demo")  # idempotent
    sheet = ActionSheet.objects.get()
    assert (sheet.axis.number, sheet.number, sheet.actions.count()) == (2, 3, 3)
    assert sheet.is_published and sheet.demo_progress
    anct = Convention.objects.get(reference="ANCT 2020/2022")
    assert (anct.starts_on, anct.ends_on, anct.funder.name) == (
        datetime.date(2020, 1, 1),
        datetime.date(2022, 12, 31),
        "ANCT",
    )
    assert list(anct.action_sheets.all()) == [sheet]  # linked from the sheet's means
    committees = {c.title_fr: c for c in anct.committees.all()}
    assert (
        committees["1er comité de pilotage"].date.month == 2
        and committees["1er comité de pilotage"].when == "en février"
    )
    assert committees["2e comité de pilotage"].date is None  # "2ème copil à prévoir"
    review = committees["Point intermédiaire avec l'ANCT"]
    assert (review.kind, review.date.month) == (CommitteeKind.INTERMEDIATE_REVIEW, 6)
    assert IndicatorSnapshot.objects.filter(committee__convention=anct).count() == 2
    assert Committee.objects.count() == 5 and SteeringReader.objects.count() == 2
    out = capsys.readouterr().out
    assert "financeur@example.org" in out and "Convention pluriannuelle ANCT 2020–2022 (3 committees)" in out


def test_the_current_convention_shows_the_trainings_live():
    call_command("steering", "demo")
    current = Convention.objects.get(reference="France urbaine/RTES")
    before = {row.metric: row.value for row in targets.live_rows(current)}
    past_session()
    after = {row.metric: row.value for row in targets.live_rows(current)}
    assert after["sessions_held"] == before["sessions_held"] + 1
    assert after["survey_response_rate"] is None or 0 <= after["survey_response_rate"] <= 1
