"""The roadmap as a tree with completion rolled up and statuses made effective (Decidim's accountability rules).

- A step's completion is its own (100 once done); an action's is the mean of its steps' (dropped ones left out),
  or its own figure when it has no steps; a sheet's is the mean of its actions', an axis's of its sheets'.
- "Late" is shown for anything not done nor dropped whose end date has passed, whatever status was set.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from essor.steering.models import Action, Status, Step, StepKind

CLOSED = {Status.DONE, Status.DROPPED}


def effective_status(status: str, ends_on: date | None, today: date) -> str:
    if status not in CLOSED and ends_on is not None and ends_on < today:
        return Status.LATE
    return status


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass
class StepNode:
    step: Step
    status: str
    completion: float

    @property
    def is_milestone(self) -> bool:
        return self.step.kind == StepKind.MILESTONE


@dataclass
class ActionNode:
    action: Action
    steps: list[StepNode]
    status: str
    completion: float
    starts_on: date | None
    ends_on: date | None


@dataclass
class SheetNode:
    sheet: object
    actions: list[ActionNode]
    completion: float | None


@dataclass
class AxisNode:
    axis: object
    sheets: list[SheetNode] = field(default_factory=list)
    completion: float | None = None


def status_label(status: str) -> str:
    return str(Status(status).label)


def _step_node(step: Step, today: date) -> StepNode:
    completion = 100.0 if step.status == Status.DONE else float(step.progress)
    return StepNode(step, effective_status(step.status, step.ends_on, today), completion)


def _action_node(action: Action, today: date) -> ActionNode:
    steps = [_step_node(step, today) for step in action.steps.all()]
    open_steps = [node for node in steps if node.step.status != Status.DROPPED]
    if action.status == Status.DONE:
        completion = 100.0
    elif open_steps:
        completion = _mean([node.completion for node in open_steps])
    else:
        completion = float(action.progress)
    starts = [node.step.starts_on for node in steps if node.step.starts_on]
    ends = [node.step.ends_on for node in steps if node.step.ends_on]
    ends_on = max(ends) if ends else None
    status = action.status
    if status == Status.PLANNED and any(
        node.step.status in {Status.IN_PROGRESS, Status.DONE} for node in steps
    ):
        status = Status.IN_PROGRESS
    return ActionNode(
        action=action,
        steps=steps,
        status=effective_status(status, ends_on, today),
        completion=completion,
        starts_on=min(starts) if starts else None,
        ends_on=ends_on,
    )


def build_tree(sheets, today: date | None = None) -> list[AxisNode]:
    """Axes with their sheets (from the given queryset), actions and steps, in 4 queries."""
    today = today or timezone.localdate()
    sheets = sheets.select_related("axis").prefetch_related(
        Prefetch("actions", queryset=Action.objects.order_by("position").prefetch_related("steps")),
        "participants",
        "partners",
    )
    axes: dict[int, AxisNode] = {}
    for sheet in sheets.order_by("axis__number", "number"):
        actions = [_action_node(action, today) for action in sheet.actions.all()]
        kept = [node.completion for node in actions if node.action.status != Status.DROPPED]
        node = SheetNode(sheet=sheet, actions=actions, completion=_mean(kept))
        axes.setdefault(sheet.axis_id, AxisNode(axis=sheet.axis)).sheets.append(node)
    for axis in axes.values():
        axis.completion = _mean([sheet.completion for sheet in axis.sheets if sheet.completion is not None])
    return list(axes.values())


def action_nodes(tree: list[AxisNode]) -> list[tuple[SheetNode, ActionNode]]:
    return [(sheet, action) for axis in tree for sheet in axis.sheets for action in sheet.actions]
