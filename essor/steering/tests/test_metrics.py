"""Metrics computed live from the trainings, resources and releases; targets; snapshots frozen for committees."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from essor.accounts.models import Audience
from essor.accounts.tests.factories import make_user
from essor.steering import metrics, targets
from essor.steering.metrics import Period
from essor.steering.snapshots import SnapshotExists, freeze
from essor.steering.tests.factories import CommitteeFactory, ConventionFactory, IndicatorFactory
from essor.trainings.models import Evaluation, Registration, RegistrationStatus
from essor.trainings.tests.factories import SessionFactory, past_session

pytestmark = pytest.mark.django_db
THIS_YEAR = Period(datetime.date(2000, 1, 1), datetime.date(2100, 12, 31))


def attend(session, audience=Audience.PREFECT_DELEGATE, user=None, evaluation=None):
    registration = Registration.objects.create(
        session=session, user=user or make_user(audience=audience), status=RegistrationStatus.CONFIRMED,
        audience=audience, attended=True,
    )  # fmt: skip
    if evaluation:
        satisfaction, before, after = evaluation
        Evaluation.objects.create(
            registration=registration, session=session, satisfaction=satisfaction, usefulness=4,
            knowledge_before=before, knowledge_after=after,
        )  # fmt: skip
    return registration


def test_sessions_held_count_only_sessions_over_and_not_cancelled_by_audience_and_region():
    past_session(audiences=["prefect_delegate", "local_authority"], cress_region="76")
    past_session(audiences=["resource_centre"], cress_region="")
    past_session(is_cancelled=True)
    SessionFactory()  # still to come
    value = metrics.compute("sessions_held", THIS_YEAR)
    assert value.value == 2
    assert {row["key"]: row["value"] for row in value.breakdowns["audience"]} == {
        "prefect_delegate": 1, "local_authority": 1, "resource_centre": 1,
    }  # fmt: skip
    regions = {row["key"]: (row["label"], row["value"]) for row in value.breakdowns["region"]}
    assert regions[""] == ("National ou en ligne", 1)
    assert regions["76"][1] == 1


def test_people_trained_counts_each_person_once_and_only_attendance():
    first, second = past_session(cress_region="76"), past_session(cress_region="32")
    person = make_user(audience=Audience.LOCAL_AUTHORITY)
    attend(first, Audience.LOCAL_AUTHORITY, user=person)
    attend(second, Audience.LOCAL_AUTHORITY, user=person)
    attend(first, Audience.PREFECT_DELEGATE)
    Registration.objects.create(
        session=first, user=make_user(), status=RegistrationStatus.CONFIRMED, attended=False
    )
    anonymised = attend(second, Audience.RESOURCE_CENTRE)
    Registration.objects.filter(pk=anonymised.pk).update(user=None)
    value = metrics.compute("people_trained", THIS_YEAR)
    assert value.value == 3
    assert {row["key"]: row["value"] for row in value.breakdowns["audience"]} == {
        "local_authority": 1, "prefect_delegate": 1, "resource_centre": 1,
    }  # fmt: skip
    assert {row["key"]: row["value"] for row in value.breakdowns["region"]} == {"76": 2, "32": 2}


def test_evaluation_metrics_are_counts_and_means():
    session = past_session()
    attend(session, evaluation=(5, 2.0, 4.0))
    attend(session, evaluation=(4, 3.0, 3.5))
    assert metrics.compute("evaluations", THIS_YEAR).value == 2
    assert metrics.compute("satisfaction", THIS_YEAR).value == pytest.approx(4.5)
    assert metrics.compute("knowledge_gain", THIS_YEAR).value == pytest.approx(1.25)
    nothing = Period(datetime.date(2001, 1, 1), datetime.date(2001, 12, 31))
    assert metrics.compute("satisfaction", nothing).value is None
    assert metrics.compute("evaluations", nothing).value == 0


def test_a_metric_from_an_app_not_in_this_version_is_not_available():
    value = metrics.compute("surveys_response_rate_not_a_metric", THIS_YEAR)
    assert (value.value, value.available) == (None, False)


def test_indicators_against_targets():
    convention = ConventionFactory(starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2099, 12, 31))
    IndicatorFactory(convention=convention, metric="sessions_held", baseline=Decimal(2), target=Decimal(6))
    past_session()
    past_session()
    past_session()
    (row,) = targets.live_rows(convention)
    assert (row.value, row.label) == (3, "Sessions de formation tenues")
    assert row.achievement == pytest.approx(0.25)  # (3 - 2) / (6 - 2)
    assert not row.reached and row.bar_width == 25


def test_a_snapshot_freezes_the_values_of_its_day():
    convention = ConventionFactory(starts_on=datetime.date(2020, 1, 1))
    IndicatorFactory(convention=convention, metric="sessions_held", target=Decimal(10))
    IndicatorFactory(convention=convention, metric="not_in_this_version", target=Decimal(1))
    committee = CommitteeFactory(convention=convention, date=timezone.localdate())
    past_session()
    snapshot = freeze(committee)
    past_session()  # later data do not change what was reported
    frozen = {row.metric: row for row in targets.snapshot_rows(snapshot)}
    assert frozen["sessions_held"].value == 1
    assert frozen["not_in_this_version"].available is False and frozen["not_in_this_version"].value is None
    assert snapshot.values.get(metric="sessions_held").label_en == "Training sessions held"
    assert snapshot.values.get(metric="sessions_held").label_fr == "Sessions de formation tenues"
    with pytest.raises(SnapshotExists):
        freeze(committee)
    again = freeze(committee, replace=True)
    assert again.values.get(metric="sessions_held").value == 2


def test_the_snapshot_of_a_past_committee_stops_at_its_date():
    convention = ConventionFactory(starts_on=datetime.date(2020, 1, 1))
    IndicatorFactory(convention=convention, metric="sessions_held")
    past_session()  # three days ago, after the committee
    snapshot = freeze(CommitteeFactory(convention=convention, date=datetime.date(2021, 2, 16)))
    assert (snapshot.period_start, snapshot.period_end) == (
        datetime.date(2020, 1, 1),
        datetime.date(2021, 2, 16),
    )
    assert snapshot.values.get().value == 0


def test_survey_response_rate_counts_submitted_responses_of_the_period_campaigns():
    from essor.surveys.models import Response
    from essor.surveys.tests.factories import make_campaign, make_invitation

    campaign = make_campaign()
    toulouse = make_invitation(campaign)
    make_invitation(campaign, territory="epci:200046977", name="Métropole de Lyon", region_code="84",
                    region_name="Auvergne-Rhône-Alpes")  # fmt: skip
    make_invitation(
        campaign, territory="epci:200093201", name="MEL", region_code="32", region_name="Hauts-de-France"
    )
    Response.objects.create(invitation=toulouse, submitted_at=timezone.now())
    value = metrics.compute("survey_response_rate", THIS_YEAR)
    assert value.value == pytest.approx(1 / 3)
    assert {row["label"]: row["value"] for row in value.breakdowns["region"]} == {
        "Auvergne-Rhône-Alpes": 0, "Hauts-de-France": 0, "Occitanie": 1,
    }  # fmt: skip
    nobody = Period(datetime.date(2001, 1, 1), datetime.date(2001, 12, 31))
    assert metrics.compute("survey_response_rate", nobody).value is None  # no invitation: no rate, not 0 %


def test_study_editions_count_publications_of_the_period_by_kind():
    from essor.study.models import Edition, EditionStatus, Study

    study = Study.objects.create(slug="etude", title_fr="Étude", title_en="Study")
    when = timezone.make_aware(datetime.datetime(2021, 5, 10, 12))
    for slug, kind, status in (
        ("intermediaire", "intermediate", EditionStatus.PUBLISHED),
        ("finale", "final", EditionStatus.PUBLISHED),
        ("brouillon", "update", EditionStatus.DRAFT),  # not published: not counted
    ):
        Edition.objects.create(
            study=study, slug=slug, kind=kind, status=status, title_fr=slug, title_en=slug,
            published_at=when if status == EditionStatus.PUBLISHED else None,
        )  # fmt: skip
    value = metrics.compute("study_editions", Period(datetime.date(2021, 1, 1), datetime.date(2021, 12, 31)))
    assert value.value == 2 and [row["value"] for row in value.breakdowns["kind"]] == [1, 1]
    assert (
        metrics.compute(
            "study_editions", Period(datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))
        ).value
        == 0
    )
