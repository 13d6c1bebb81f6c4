"""The roadmap timeline, laid out on the server as SVG coordinates (no JavaScript); the page puts the same facts
in a table beside it. One row per action: its span (first step start → last step end), each dated step as a
segment, milestones as diamonds; committees and reviews on a lane of their own; a line for today."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format

from essor.core import formatting
from essor.steering.models import Status

WIDTH = 960
LEFT = 8
RIGHT = 8
ROW = 46
TOP = 34


@dataclass
class Mark:
    x: float
    width: float
    status: str
    label: str
    milestone: bool = False


@dataclass
class Row:
    y: float
    label: str
    status: str
    span: Mark | None
    marks: list[Mark] = field(default_factory=list)


@dataclass
class Timeline:
    height: float
    ticks: list[tuple[float, str, bool]]  # x, label, is a year start
    rows: list[Row]
    committees: list[Mark]
    today_x: float | None
    width: int = WIDTH

    @property
    def statuses(self) -> list[str]:
        return list(Status.values)

    @property
    def is_empty(self) -> bool:
        return not any(row.span for row in self.rows) and not self.committees


def build(action_pairs, committees=(), today: date | None = None) -> Timeline:
    """`action_pairs`: (SheetNode, ActionNode) from steering.roadmap; `committees`: Committee rows."""
    today = today or timezone.localdate()
    dates = [d for _s, node in action_pairs for d in (node.starts_on, node.ends_on) if d]
    dates += [committee.date for committee in committees if committee.date]
    first_year = min(dates).year if dates else today.year
    last_year = max(dates).year if dates else today.year
    start, end = date(first_year, 1, 1), date(last_year, 12, 31)
    days = (end - start).days + 1
    inner = WIDTH - LEFT - RIGHT

    def x(day: date) -> float:
        return round(LEFT + inner * (day - start).days / days, 1)

    def width(first: date, last: date) -> float:
        return max(round(inner * ((last - first).days + 1) / days, 1), 3.0)

    ticks = []
    for year in range(first_year, last_year + 1):
        for month in (1, 4, 7, 10):
            tick = date(year, month, 1)
            label = str(year) if month == 1 else date_format(tick, "M")
            ticks.append((x(tick), label, month == 1))

    lane = [
        Mark(x(c.date), 0, "committee", f"{c.title} — {formatting.long_date(c.date)}", milestone=True)
        for c in committees
        if c.date
    ]
    rows = []
    y = TOP + (ROW if lane else 0)
    for sheet_node, node in action_pairs:
        span = None
        if node.starts_on and node.ends_on:
            span = Mark(
                x(node.starts_on), width(node.starts_on, node.ends_on), node.status, node.action.title
            )
        marks = []
        for step_node in node.steps:
            step = step_node.step
            if not (step.starts_on and step.ends_on):
                continue
            label = f"{step.text} — {step.when}" if step.when else step.text
            if step_node.is_milestone:
                marks.append(Mark(x(step.starts_on), 0, step_node.status, label, milestone=True))
            else:
                marks.append(
                    Mark(x(step.starts_on), width(step.starts_on, step.ends_on), step_node.status, label)
                )
        number = sheet_node.sheet.number
        rows.append(
            Row(
                y=y,
                label=f"{number}.{node.action.position} {node.action.title}",
                status=node.status,
                span=span,
                marks=marks,
            )
        )
        y += ROW
    today_x = x(today) if start <= today <= end else None
    return Timeline(height=y + 8, ticks=ticks, rows=rows, committees=lane, today_x=today_x)
