"""Reports: per session, per path, and the experimentation report per CRESS région x audience.

Only counts and means: no names. Each report is a list of rows (dicts) so pages and CSV exports share it.
"""

from django.db.models import Avg, Count, Q

from essor.accounts.models import Audience, OrganisationKind
from essor.trainings.models import Evaluation, Registration, RegistrationStatus, Session

COUNTS = {
    "registered": Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
    "waiting": Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
    "cancelled": Count("pk", filter=Q(status=RegistrationStatus.CANCELLED)),
    "attended": Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED, attended=True)),
}
MEANS = {
    "evaluations": Count("pk"),
    "satisfaction": Avg("satisfaction"),
    "usefulness": Avg("usefulness"),
    "knowledge_before": Avg("knowledge_before"),
    "knowledge_after": Avg("knowledge_after"),
}
EMPTY_MEANS = {
    "evaluations": 0,
    "satisfaction": None,
    "usefulness": None,
    "knowledge_before": None,
    "knowledge_after": None,
}


def _with_rates(row: dict) -> dict:
    row["attendance_rate"] = row["attended"] / row["registered"] if row.get("registered") else None
    before, after = row.get("knowledge_before"), row.get("knowledge_after")
    row["knowledge_gain"] = after - before if before is not None and after is not None else None
    return row


def _breakdown(registrations, evaluations, field: str, labels: dict) -> list[dict]:
    counts = {r[field]: r for r in registrations.values(field).annotate(**COUNTS)}
    evaluation_field = f"registration__{field}"
    means = {r[evaluation_field]: r for r in evaluations.values(evaluation_field).annotate(**MEANS)}
    rows = []
    for key in sorted(set(counts) | set(means), key=lambda k: str(labels.get(k, k))):
        row = {"key": key, "label": str(labels.get(key, key or "—"))}
        row.update({name: counts.get(key, {}).get(name, 0) for name in COUNTS})
        row.update({name: means.get(key, EMPTY_MEANS).get(name) for name in MEANS})
        rows.append(_with_rates(row))
    return rows


def summary(registrations, evaluations) -> dict:
    """Totals, then breakdowns by audience and by organisation kind."""
    total = registrations.aggregate(**COUNTS)
    total.update(evaluations.aggregate(**MEANS))
    return {
        "total": _with_rates(total),
        "by_audience": _breakdown(registrations, evaluations, "audience", dict(Audience.choices)),
        "by_organisation_kind": _breakdown(
            registrations, evaluations, "organisation_kind", dict(OrganisationKind.choices)
        ),
    }


def session_report(session) -> dict:
    return summary(Registration.objects.filter(session=session), Evaluation.objects.filter(session=session))


def path_report(path) -> dict:
    report = summary(
        Registration.objects.filter(session__module__path=path),
        Evaluation.objects.filter(session__module__path=path),
    )
    sessions = (
        Session.objects.filter(module__path=path)
        .select_related("module", "operator")
        .annotate(
            registered=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
            attended=Count(
                "registrations",
                filter=Q(registrations__status=RegistrationStatus.CONFIRMED, registrations__attended=True),
            ),
        )
        .order_by("module__position", "starts_at")
    )
    report["sessions"] = list(sessions)
    return report


def experimentation_report(sessions=None) -> list[dict]:
    """One row per (CRESS région, audience of the registered people) over the experimentation sessions."""
    sessions = Session.objects.filter(experimentation=True) if sessions is None else sessions
    registrations = Registration.objects.filter(session__in=sessions)
    evaluations = Evaluation.objects.filter(session__in=sessions)
    keys = ("session__cress_region", "audience")
    counts = {
        (r["session__cress_region"], r["audience"]): r
        for r in registrations.values(*keys).annotate(sessions=Count("session", distinct=True), **COUNTS)
    }
    means = {
        (r["session__cress_region"], r["registration__audience"]): r
        for r in evaluations.values("session__cress_region", "registration__audience").annotate(**MEANS)
    }
    region_names = _region_names({region for region, _audience in counts})
    audience_labels = dict(Audience.choices)
    rows = []
    for region, audience in sorted(counts, key=lambda k: (region_names.get(k[0], k[0]), k[1])):
        row = {
            "region_code": region,
            "region": region_names.get(region, region or "—"),
            "audience": audience,
            "audience_label": str(audience_labels.get(audience, audience)),
        }
        row.update({name: counts[(region, audience)][name] for name in ("sessions", *COUNTS)})
        row.update({name: means.get((region, audience), EMPTY_MEANS).get(name) for name in MEANS})
        rows.append(_with_rates(row))
    return rows


def _region_names(codes) -> dict:
    from essor.territories.models import Region

    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
