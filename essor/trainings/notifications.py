"""Scheduled emails: reminders before sessions and evaluation invitations after them.

Each registration is emailed at most once per kind (the *_sent_at / *_invited_at stamps), so the commands that call
these functions can run as often as wanted (e.g. hourly from cron).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from essor.trainings.emails import enqueue_registration_email
from essor.trainings.models import Registration, RegistrationStatus


def _enqueue(registrations, kind: str, stamp_field: str, now) -> int:
    count = 0
    with transaction.atomic():
        # Lock only the registration rows: PostgreSQL refuses FOR UPDATE on the nullable side of the outer join
        # that `evaluation__isnull=True` adds.
        for registration in registrations.select_for_update(of=("self",)):
            setattr(registration, stamp_field, now)
            registration.save(update_fields=[stamp_field])
            enqueue_registration_email(registration, kind)
            count += 1
    return count


def send_reminders(*, now=None, hours: int = 48) -> int:
    """Remind confirmed people of sessions starting within `hours`. Returns how many emails were queued."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        user__isnull=False,
        reminder_sent_at__isnull=True,
        session__is_cancelled=False,
        session__starts_at__gt=now,
        session__starts_at__lte=now + timedelta(hours=hours),
    )
    return _enqueue(due, "reminder", "reminder_sent_at", now)


def send_evaluation_invitations(*, now=None, within_days: int = 30) -> int:
    """Invite attendees of sessions that ended (in the last `within_days` days) and that they have not evaluated."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        attended=True,
        user__isnull=False,
        evaluation_invited_at__isnull=True,
        evaluation__isnull=True,
        session__ends_at__lte=now,
        session__ends_at__gte=now - timedelta(days=within_days),
    )
    return _enqueue(due, "evaluation", "evaluation_invited_at", now)
