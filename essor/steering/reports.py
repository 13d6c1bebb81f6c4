"""The funder report of a convention for a period (the activity part of the State's yearly report, Cerfa 15059):
indicators against targets, the actions of the convention's sheets and their status, the committees' decisions and
follow-up actions, the deliverables due, the amounts of the years covered. One data structure, three renderings:
HTML page, PDF (WeasyPrint) and DOCX (python-docx) in the active language."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q
from django.utils import timezone

from essor.core import formatting
from essor.steering import roadmap, targets
from essor.steering.metrics import Period
from essor.steering.models import Committee, Decision, FollowUp


@dataclass
class Report:
    convention: object
    period: Period
    indicators: list
    tree: list
    committees: list
    deliverables: list
    amounts: list
    generated_on: date

    @property
    def action_pairs(self):
        return roadmap.action_nodes(self.tree)


def build(convention, period: Period | None = None, sheets=None) -> Report:
    """`sheets`: the action sheets the reader may see (all of the convention's by default)."""
    period = period or targets.default_period(convention)
    sheets = convention.action_sheets.all() if sheets is None else sheets
    committees = (
        Committee.objects.filter(convention=convention)
        .filter(Q(date__gte=period.start, date__lte=period.end))
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.order_by("position", "pk")),
            Prefetch("follow_ups", queryset=FollowUp.objects.order_by("due_on", "pk")),
            "attendances__organisation",
        )
        .order_by("date")
    )
    return Report(
        convention=convention,
        period=period,
        indicators=targets.live_rows(convention, period),
        tree=roadmap.build_tree(sheets, today=min(period.end, timezone.localdate())),
        committees=list(committees),
        deliverables=list(convention.deliverables.filter(due_on__gte=period.start, due_on__lte=period.end)),
        amounts=list(convention.amounts.filter(year__gte=period.start.year, year__lte=period.end.year)),
        generated_on=timezone.localdate(),
    )


def file_name(report: Report, extension: str) -> str:
    slug = (
        (report.convention.reference or f"convention-{report.convention.pk}")
        .replace("/", "-")
        .replace(" ", "-")
    )
    return f"rapport-{slug}-{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}.{extension}".lower()


def description(report: Report) -> str:
    from django.utils.translation import gettext as _

    return _("Period: %(start)s to %(end)s") % {
        "start": formatting.long_date(report.period.start),
        "end": formatting.long_date(report.period.end),
    }
