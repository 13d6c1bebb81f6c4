"""The metrics essor computes for the programme's conventions: a small registry of functions over a period.

Each metric reads the domain apps' own tables (trainings, resources, sirene releases, …) live; a convention
indicator names one by its key and sets a baseline and a target. A metric whose app is not part of this version of
essor is simply not registered: an indicator naming it shows "not available", never a made-up value. The method
of each metric is written in docs/steering.md.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Avg, Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included."""

    start: date
    end: date

    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes: the start of the first day, the start of the day after the last."""
        zone = timezone.get_current_timezone()
        start = timezone.make_aware(datetime.combine(self.start, time.min), zone)
        end = timezone.make_aware(datetime.combine(self.end, time.max), zone)
        return start, end


@dataclass
class MetricValue:
    value: float | None
    # {"audience": [{"key": ..., "label": ..., "value": ...}, ...], "region": [...]}
    breakdowns: dict[str, list[dict]] = field(default_factory=dict)
    available: bool = True


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str  # "count", "score" (mean on 1–5), "points" (difference of means on 1–5)
    source: str  # the app it reads
    compute: Callable[[Period], MetricValue]


REGISTRY: dict[str, Metric] = {}


def metric(key: str, label, *, unit: str = "count", source: str):
    def register(function):
        REGISTRY[key] = Metric(key=key, label=label, unit=unit, source=source, compute=function)
        return function

    return register


def choices() -> list[tuple[str, str]]:
    return [(key, f"{item.label} ({key})") for key, item in REGISTRY.items()]


def label_of(key: str) -> str:
    return str(REGISTRY[key].label) if key in REGISTRY else key


def compute(key: str, period: Period) -> MetricValue:
    if key not in REGISTRY:
        return MetricValue(value=None, available=False)
    return REGISTRY[key].compute(period)


# --- trainings -----------------------------------------------------------------------------------------------------


def _held_sessions(period: Period):
    from essor.trainings.models import Session

    start, end = period.bounds()
    end = min(end, timezone.now())  # a session is held once it is over
    return Session.objects.filter(is_cancelled=False, ends_at__gte=start, ends_at__lte=end)


def _audience_rows(counter: Counter) -> list[dict]:
    from essor.accounts.models import Audience

    labels = dict(Audience.choices)
    return [
        {"key": key, "label": str(labels.get(key, key)), "value": value}
        for key, value in sorted(counter.items(), key=lambda item: str(labels.get(item[0], item[0])))
    ]


def _region_rows(counter: Counter) -> list[dict]:
    from essor.territories.models import Region

    names = dict(
        Region.objects.filter(code__in=[code for code in counter if code]).values_list("code", "name")
    )
    rows = [
        {
            "key": code,
            "label": names.get(code, code) if code else str(_("National or online")),
            "value": value,
        }
        for code, value in counter.items()
    ]
    return sorted(rows, key=lambda row: (row["key"] == "", row["label"]))


@metric("sessions_held", _("Training sessions held"), source="trainings")
def sessions_held(period: Period) -> MetricValue:
    sessions = list(_held_sessions(period).values("audiences", "cress_region"))
    audiences = Counter(audience for session in sessions for audience in session["audiences"])
    regions = Counter(session["cress_region"] for session in sessions)
    return MetricValue(
        value=len(sessions),
        breakdowns={"audience": _audience_rows(audiences), "region": _region_rows(regions)},
    )


@metric("people_trained", _("People trained"), source="trainings")
def people_trained(period: Period) -> MetricValue:
    """People who attended at least one session held in the period (an anonymised registration counts as one)."""
    from essor.trainings.models import Registration, RegistrationStatus

    attended = Registration.objects.filter(
        session__in=_held_sessions(period), status=RegistrationStatus.CONFIRMED, attended=True
    )
    rows = list(attended.values("pk", "user_id", "audience", "session__cress_region"))

    def person(row):
        return ("user", row["user_id"]) if row["user_id"] is not None else ("registration", row["pk"])

    people = {person(row) for row in rows}
    audiences = Counter(audience for _who, audience in {(person(r), r["audience"]) for r in rows})
    regions = Counter(region for _who, region in {(person(r), r["session__cress_region"]) for r in rows})
    return MetricValue(
        value=len(people), breakdowns={"audience": _audience_rows(audiences), "region": _region_rows(regions)}
    )


def _evaluations(period: Period):
    from essor.trainings.models import Evaluation

    return Evaluation.objects.filter(session__in=_held_sessions(period))


@metric("evaluations", _("Evaluations received"), source="trainings")
def evaluations(period: Period) -> MetricValue:
    rows = _evaluations(period).values("registration__audience").annotate(n=Count("pk"))
    audiences = Counter({row["registration__audience"]: row["n"] for row in rows})
    return MetricValue(value=sum(audiences.values()), breakdowns={"audience": _audience_rows(audiences)})


@metric("satisfaction", _("Mean satisfaction (1–5)"), unit="score", source="trainings")
def satisfaction(period: Period) -> MetricValue:
    rows = _evaluations(period).values("registration__audience").annotate(mean=Avg("satisfaction"))
    value = _evaluations(period).aggregate(mean=Avg("satisfaction"))["mean"]
    audiences = Counter({row["registration__audience"]: row["mean"] for row in rows})
    return MetricValue(value=value, breakdowns={"audience": _audience_rows(audiences)})


@metric("knowledge_gain", _("Knowledge gained (mean points on 1–5)"), unit="points", source="trainings")
def knowledge_gain(period: Period) -> MetricValue:
    answered = _evaluations(period).filter(knowledge_before__isnull=False, knowledge_after__isnull=False)
    gain = F("knowledge_after") - F("knowledge_before")
    value = answered.aggregate(mean=Avg(gain))["mean"]
    rows = answered.values("registration__audience").annotate(mean=Avg(gain))
    audiences = Counter({row["registration__audience"]: row["mean"] for row in rows})
    return MetricValue(value=value, breakdowns={"audience": _audience_rows(audiences)})


# --- resources -----------------------------------------------------------------------------------------------------


@metric("resources_published", _("Resources published in the bundle"), source="resources")
def resources_published(period: Period) -> MetricValue:
    """Published resources in essor's bundle at the end of the period (the stock, not the additions)."""
    from essor.resources.models import Resource, ResourceKind

    _start, end = period.bounds()
    rows = Resource.objects.filter(published=True, created_at__lte=end).values("kind").annotate(n=Count("pk"))
    labels = dict(ResourceKind.choices)
    kinds = [
        {"key": r["kind"], "label": str(labels.get(r["kind"], r["kind"])), "value": r["n"]} for r in rows
    ]
    return MetricValue(
        value=sum(row["value"] for row in kinds), breakdowns={"kind": sorted(kinds, key=_by_label)}
    )


def _by_label(row: dict) -> str:
    return row["label"]


# --- observatory ---------------------------------------------------------------------------------------------------


@metric("observatory_releases", _("Observatory releases published"), source="sirene")
def observatory_releases(period: Period) -> MetricValue:
    """SIRENE releases built successfully during the period (each one refreshes every figure of the site)."""
    from essor.sirene.models import Release, ReleaseStatus

    start, end = period.bounds()
    releases = Release.objects.filter(
        status=ReleaseStatus.READY, finished_at__gte=start, finished_at__lte=end
    )
    synthetic = releases.filter(synthetic=True).count()
    total = releases.count()
    rows = [
        {"key": "official", "label": str(_("Official files")), "value": total - synthetic},
        {"key": "synthetic", "label": str(_("Synthetic (demonstration)")), "value": synthetic},
    ]
    return MetricValue(value=total, breakdowns={"kind": [row for row in rows if row["value"]]})


# --- surveys -------------------------------------------------------------------------------------------------------


@metric("survey_response_rate", _("Survey response rate"), unit="share", source="surveys")
def survey_response_rate(period: Period) -> MetricValue:
    """Invited authorities of the campaigns open during the period that had submitted their response by its end;
    none when no authority was invited (a rate of nothing is not 0 %)."""
    from essor.surveys.models import Invitation

    start, end = period.bounds()
    invitations = Invitation.objects.filter(campaign__opens_at__lte=end, campaign__closes_at__gte=start)
    rows = list(
        invitations.values("region_code", "region_name", "campaign__slug", "campaign__title_fr").annotate(
            invited=Count("pk"),
            submitted=Count(
                "pk", filter=Q(response__submitted_at__isnull=False, response__submitted_at__lte=end)
            ),
        )
    )
    invited = sum(row["invited"] for row in rows)
    submitted = sum(row["submitted"] for row in rows)

    def rates(key, label):
        totals: dict = {}
        for row in rows:
            entry = totals.setdefault(row[key], {"key": row[key], "label": row[label] or "—", "n": 0, "s": 0})
            entry["n"] += row["invited"]
            entry["s"] += row["submitted"]
        return sorted(
            ({"key": e["key"], "label": e["label"], "value": e["s"] / e["n"]} for e in totals.values()),
            key=_by_label,
        )

    return MetricValue(
        value=submitted / invited if invited else None,
        breakdowns={
            "campaign": rates("campaign__slug", "campaign__title_fr"),
            "region": rates("region_code", "region_name"),
        },
    )


# --- study ---------------------------------------------------------------------------------------------------------


@metric("study_editions", _("Study editions published"), source="study")
def study_editions(period: Period) -> MetricValue:
    """Study editions (each version counts: a correction is a publication too) published during the period."""
    from essor.study.models import Edition, EditionKind

    start, end = period.bounds()
    rows = (
        Edition.objects.published()
        .filter(published_at__gte=start, published_at__lte=end)
        .values("kind")
        .annotate(n=Count("pk"))
    )
    labels = dict(EditionKind.choices)
    kinds = [
        {"key": r["kind"], "label": str(labels.get(r["kind"], r["kind"])), "value": r["n"]} for r in rows
    ]
    return MetricValue(
        value=sum(row["value"] for row in kinds), breakdowns={"kind": sorted(kinds, key=_by_label)}
    )
