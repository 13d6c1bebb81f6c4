"""The trainings' part of a person's data: their registrations and evaluations (registered with
essor.accounts.personal_data in TrainingsConfig.ready)."""

from typing import Any

from django.utils import timezone

from essor.trainings.models import Evaluation, Registration, RegistrationStatus
from essor.trainings.registration import cancel


def export_registrations(user) -> list[dict]:
    registrations = Registration.objects.filter(user=user).select_related(
        "session__module", "session__operator", "evaluation"
    )
    entries = []
    for registration in registrations.order_by("created_at"):
        entry: dict[str, Any] = {
            "session": str(registration.session),
            "session_starts_at": registration.session.starts_at.isoformat(),
            "operator": registration.session.operator.name,
            "status": registration.status,
            "attended": registration.attended,
            "registered_at": registration.created_at.isoformat(),
            "cancelled_at": registration.cancelled_at.isoformat() if registration.cancelled_at else None,
            "evaluation": None,
        }
        evaluation = getattr(registration, "evaluation", None)
        if evaluation is not None:
            entry["evaluation"] = {
                "satisfaction": evaluation.satisfaction,
                "usefulness": evaluation.usefulness,
                "knowledge": evaluation.knowledge,
                "answers": evaluation.answers,
                "comments": evaluation.comments,
                "submitted_at": evaluation.submitted_at.isoformat(),
            }
        entries.append(entry)
    return entries


def erase_registrations(user) -> None:
    """Upcoming places are freed first (promoting people on the waiting lists); registrations and evaluation
    scores stay, anonymised; free-text comments are erased because they may identify their author."""
    now = timezone.now()
    upcoming = Registration.objects.filter(user=user, session__ends_at__gt=now).exclude(
        status=RegistrationStatus.CANCELLED
    )
    for registration in upcoming:
        cancel(registration, now=now)
    Evaluation.objects.filter(registration__user=user).update(comments="", answers=[])
    Registration.objects.filter(user=user).update(user=None)
