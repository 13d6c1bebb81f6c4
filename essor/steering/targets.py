"""A convention's indicators set against their targets: computed live (steering.metrics) or read back from the
snapshot frozen for a committee. Both give the same rows, so pages, reports and exports show them one way."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from essor.core.i18n_fields import pick
from essor.steering import metrics
from essor.steering.metrics import Period

BREAKDOWN_LABELS = {
    "audience": _("By audience"),
    "region": _("By région"),
    "kind": _("By kind"),
    "campaign": _("By campaign"),
}


@dataclass
class IndicatorRow:
    metric: str
    label: str
    unit: str
    value: float | None
    baseline: Decimal | None
    target: Decimal | None
    available: bool = True
    breakdowns: dict = field(default_factory=dict)

    @property
    def achievement(self) -> float | None:
        """Share of the way from the baseline to the target (1 = target reached; may exceed 1)."""
        if self.value is None or self.target is None:
            return None
        start = float(self.baseline or 0)
        span = float(self.target) - start
        if span == 0:
            return None
        return (self.value - start) / span

    @property
    def reached(self) -> bool:
        achievement = self.achievement
        return achievement is not None and achievement >= 1

    @property
    def bar_width(self) -> int:
        """Width of the progress bar in percent (0–100)."""
        achievement = self.achievement or 0
        return max(0, min(100, round(achievement * 100)))

    def breakdown_tables(self):
        return [
            (str(BREAKDOWN_LABELS.get(name, name)), rows) for name, rows in self.breakdowns.items() if rows
        ]


def default_period(convention, today: date | None = None) -> Period:
    """From the convention's start to today (or to its end once it is over)."""
    today = today or timezone.localdate()
    end = max(convention.starts_on, min(convention.ends_on, today))
    return Period(convention.starts_on, end)


def live_rows(convention, period: Period | None = None) -> list[IndicatorRow]:
    period = period or default_period(convention)
    rows = []
    for indicator in convention.indicators.all():
        computed = metrics.compute(indicator.metric, period)
        rows.append(
            IndicatorRow(
                metric=indicator.metric,
                label=indicator.label or metrics.label_of(indicator.metric),
                unit=metrics.REGISTRY[indicator.metric].unit
                if indicator.metric in metrics.REGISTRY
                else "count",
                value=computed.value,
                baseline=indicator.baseline,
                target=indicator.target,
                available=computed.available,
                breakdowns=computed.breakdowns,
            )
        )
    return rows


def snapshot_rows(snapshot) -> list[IndicatorRow]:
    return [
        IndicatorRow(
            metric=value.metric,
            label=pick(value, "label"),
            unit=value.unit,
            value=value.value,
            baseline=value.baseline,
            target=value.target,
            available=value.available,
            breakdowns=value.breakdown,
        )
        for value in snapshot.values.all()
    ]
