"""Completion rolled up, statuses made effective ("late" past the end), the timeline laid out, the audit trail."""

import datetime

import pytest

from essor.accounts.models import Role
from essor.accounts.tests.factories import make_user
from essor.steering import roadmap, timeline
from essor.steering.audit import acting_as
from essor.steering.importer import import_file
from essor.steering.models import Action, ActionSheet, AuditEntry, Status, Step
from essor.steering.tests.factories import CommitteeFactory
from essor.steering.tests.sheets import REAL_SHEET

pytestmark = pytest.mark.django_db
DAY = datetime.date(2021, 6, 1)


@pytest.fixture
def sheet():
    import_file(REAL_SHEET)
    return ActionSheet.objects.get()


def test_completion_rolls_up_from_steps_to_the_axis(sheet):
    first, second, third = sheet.actions.order_by("position")
    steps = list(first.steps.order_by("position"))
    Step.objects.filter(pk=steps[0].pk).update(status=Status.DONE)
    Step.objects.filter(pk=steps[1].pk).update(progress=50)
    Step.objects.filter(pk=steps[2].pk).update(status=Status.DROPPED, progress=0)  # left out of the mean
    Action.objects.filter(pk=second.pk).update(progress=40)  # no steps: its own figure
    Step.objects.filter(action=third).update(progress=10)
    (axis,) = roadmap.build_tree(ActionSheet.objects.all(), DAY)
    (sheet_node,) = axis.sheets
    assert [node.completion for node in sheet_node.actions] == [75.0, 40.0, 10.0]
    assert sheet_node.completion == pytest.approx(125 / 3)
    assert axis.completion == pytest.approx(125 / 3)


def test_open_items_past_their_end_are_late_and_closed_ones_are_not(sheet):
    first = sheet.actions.get(position=1)
    early = first.steps.get(position=1)  # "début 2021": ends 30 April 2021
    assert roadmap.effective_status(early.status, early.ends_on, DAY) == Status.LATE
    assert roadmap.effective_status(Status.DONE, early.ends_on, DAY) == Status.DONE
    assert roadmap.effective_status(Status.DROPPED, early.ends_on, DAY) == Status.DROPPED
    assert roadmap.effective_status(Status.PLANNED, None, DAY) == Status.PLANNED
    (axis,) = roadmap.build_tree(ActionSheet.objects.all(), DAY)
    node = axis.sheets[0].actions[0]
    assert (node.starts_on, node.ends_on) == (datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))
    assert node.status == Status.PLANNED  # ends in December: not late in June
    Step.objects.filter(pk=early.pk).update(status=Status.IN_PROGRESS)
    (axis,) = roadmap.build_tree(ActionSheet.objects.all(), DAY)
    assert axis.sheets[0].actions[0].status == Status.IN_PROGRESS  # a step under way starts the action


def test_the_roadmap_tree_takes_a_constant_number_of_queries(sheet, django_assert_num_queries):
    with django_assert_num_queries(5):
        roadmap.build_tree(ActionSheet.objects.all(), DAY)


def test_the_timeline_places_bars_steps_and_committees_on_the_years(sheet):
    committee = CommitteeFactory(date=datetime.date(2021, 2, 16), title_fr="1er comité de pilotage")
    tree = roadmap.build_tree(ActionSheet.objects.all(), DAY)
    layout = timeline.build(roadmap.action_nodes(tree), [committee], today=DAY)
    assert [label for _x, label, is_year in layout.ticks if is_year] == ["2021"]
    first = layout.rows[0]
    assert first.label.startswith("3.1 Formations")
    assert first.span.x == 8 and first.span.width == pytest.approx(944, abs=1)  # all of 2021
    assert [mark.label for mark in first.marks][0].endswith("— début 2021")
    assert first.marks[0].width == pytest.approx(944 * 120 / 365, abs=1)  # January to April
    assert layout.rows[1].span is None  # action 2 has no dated step
    assert layout.committees[0].label.startswith("1er comité de pilotage")
    assert layout.today_x == pytest.approx(8 + 944 * 151 / 365, abs=1)


def test_changes_are_audited_with_who_and_what(sheet):
    admin = make_user(role=Role.PROGRAMME_ADMIN)
    action = sheet.actions.get(position=2)
    with acting_as(admin, "admin"):
        action.status = Status.IN_PROGRESS
        action.progress = 30
        action.save()
    entry = AuditEntry.objects.filter(action="changed", object_id=str(action.pk)).latest("at")
    assert entry.user == admin and entry.actor == admin.username and entry.source == "admin"
    assert entry.changes == {"status": ["planned", "in_progress"], "progress": [0, 30]}
    action.save()  # nothing changed: no entry
    assert AuditEntry.objects.filter(action="changed", object_id=str(action.pk)).count() == 1
    pk = action.pk
    with acting_as(admin, "admin"):
        action.delete()
    assert AuditEntry.objects.filter(action="deleted", object_id=str(pk), user=admin).exists()
    username = admin.username
    admin.delete()  # the trail still says who it was
    kept = AuditEntry.objects.get(pk=entry.pk)
    assert (kept.user, kept.actor) == (None, username)
