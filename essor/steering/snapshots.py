"""Freeze a convention's indicators for a committee or review: the values reported that day stay as they were,
whatever later data say (a new release, late evaluations). Taking one again needs an explicit replace."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import override

from essor.steering import metrics
from essor.steering.audit import acting_as
from essor.steering.metrics import Period
from essor.steering.models import IndicatorSnapshot, SnapshotValue


class SnapshotExists(Exception):
    pass


def snapshot_period(committee) -> Period:
    """From the convention's start to the committee's date (today for a committee not held yet or undated)."""
    today = timezone.localdate()
    end = committee.date if committee.date and committee.date <= today else today
    return Period(committee.convention.starts_on, max(end, committee.convention.starts_on))


def freeze(committee, *, user=None, replace: bool = False, source: str = "web") -> IndicatorSnapshot:
    with acting_as(user, source), transaction.atomic():
        existing = IndicatorSnapshot.objects.filter(committee=committee).first()
        if existing and not replace:
            raise SnapshotExists(
                f"{committee} already has a snapshot taken on {existing.taken_at:%Y-%m-%d %H:%M}"
            )
        if existing:
            existing.delete()
        period = snapshot_period(committee)
        snapshot = IndicatorSnapshot.objects.create(
            committee=committee, period_start=period.start, period_end=period.end, taken_by=user
        )
        for position, indicator in enumerate(committee.convention.indicators.all(), start=1):
            computed = metrics.compute(indicator.metric, period)
            labels = {}
            for language in ("fr", "en"):
                with override(language):
                    labels[language] = getattr(indicator, f"label_{language}") or metrics.label_of(
                        indicator.metric
                    )
            SnapshotValue.objects.create(
                snapshot=snapshot,
                indicator=indicator,
                metric=indicator.metric,
                label_fr=labels["fr"],
                label_en=labels["en"],
                unit=metrics.REGISTRY[indicator.metric].unit
                if indicator.metric in metrics.REGISTRY
                else "count",
                value=computed.value,
                baseline=indicator.baseline,
                target=indicator.target,
                available=computed.available,
                breakdown=computed.breakdowns,
                position=position,
            )
        return snapshot
