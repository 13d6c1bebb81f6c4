"""Registration rules: capacity, waiting list, cancellation with promotion, attendance.

Every change runs in a transaction that first locks the session row (select_for_update on PostgreSQL; SQLite's
IMMEDIATE transactions serialise writers), so two people cannot take the last place at the same time.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from essor.trainings.emails import enqueue_registration_email
from essor.trainings.models import Registration, RegistrationStatus, Session


class RegistrationRefused(Exception):
    """A registration the rules refuse; str(exc) is a message for the person."""


def confirmed_count(session) -> int:
    return session.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def places_left(session) -> int:
    return max(session.capacity - confirmed_count(session), 0)


def active_registration(session, user):
    if not user.is_authenticated:
        return None
    return session.registrations.filter(user=user).exclude(status=RegistrationStatus.CANCELLED).first()


def _locked(session) -> Session:
    return Session.objects.select_for_update().select_related("module__path").get(pk=session.pk)


def register(session, user, *, join_waiting_list: bool = True, now=None) -> Registration:
    """Register `user`: confirmed while places remain, else on the waiting list (if allowed and wanted)."""
    now = now or timezone.now()
    with transaction.atomic():
        session = _locked(session)
        if not session.module.path.is_published:
            # Unpublished paths are drafts: nobody may join them (nor receive a webinar's link) by posting an id.
            raise RegistrationRefused(_("This session is not open for registration."))
        if session.is_cancelled:
            raise RegistrationRefused(_("This session has been cancelled."))
        if session.starts_at <= now:
            raise RegistrationRefused(
                _("This session has already started or is over: registration is closed.")
            )
        if active_registration(session, user):
            raise RegistrationRefused(_("You are already registered for this session."))
        if places_left(session) > 0:
            status = RegistrationStatus.CONFIRMED
        elif session.waiting_list and join_waiting_list:
            status = RegistrationStatus.WAITING
        elif session.waiting_list:
            raise RegistrationRefused(_("This session is full. You can join its waiting list."))
        else:
            raise RegistrationRefused(_("This session is full and has no waiting list."))
        profile = getattr(user, "profile", None)
        registration = Registration.objects.create(
            session=session,
            user=user,
            status=status,
            audience=profile.audience if profile else "other",
            organisation_kind=profile.organisation.kind if profile and profile.organisation_id else "",
        )
        enqueue_registration_email(
            registration, "confirmed" if status == RegistrationStatus.CONFIRMED else "waiting"
        )
    return registration


def cancel(registration, *, now=None) -> Registration | None:
    """Cancel a registration; if it held a place, promote the first person waiting. Returns the promoted one."""
    now = now or timezone.now()
    with transaction.atomic():
        session = _locked(registration.session)
        registration.refresh_from_db()
        if registration.status == RegistrationStatus.CANCELLED:
            raise RegistrationRefused(_("This registration is already cancelled."))
        if session.ends_at <= now:
            raise RegistrationRefused(_("This session is over: the registration can no longer be cancelled."))
        held_a_place = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        return promote_waiting(session, now=now) if held_a_place else None


def promote_waiting(session, *, now=None) -> Registration | None:
    """Give a free place to the first person on the waiting list (first come, first served) and email them."""
    now = now or timezone.now()
    if session.starts_at <= now or places_left(session) == 0:
        return None
    first = (
        session.registrations.filter(status=RegistrationStatus.WAITING).order_by("created_at", "pk").first()
    )
    if first is None:
        return None
    first.status = RegistrationStatus.CONFIRMED
    first.promoted_at = now
    first.save(update_fields=["status", "promoted_at"])
    enqueue_registration_email(first, "promoted")
    return first


def mark_attendance(session, attended_ids, *, now=None) -> int:
    """Record who attended among the confirmed registrations (the others are marked absent). Returns the count."""
    now = now or timezone.now()
    if session.starts_at > now:
        raise RegistrationRefused(_("Attendance can be marked once the session has started."))
    attended_ids = {int(pk) for pk in attended_ids}
    confirmed = session.registrations.filter(status=RegistrationStatus.CONFIRMED)
    unknown = attended_ids - set(confirmed.values_list("pk", flat=True))
    if unknown:
        raise RegistrationRefused(_("Some of the people marked present are not registered for this session."))
    with transaction.atomic():
        confirmed.filter(pk__in=attended_ids).update(attended=True)
        confirmed.exclude(pk__in=attended_ids).update(attended=False)
    return len(attended_ids)


def cancel_session(session) -> int:
    """Cancel a whole session and tell everyone registered or waiting. Returns how many people were emailed."""
    with transaction.atomic():
        session = _locked(session)
        if session.is_cancelled:
            return 0
        session.is_cancelled = True
        session.save(update_fields=["is_cancelled", "updated_at"])
        concerned = list(
            session.registrations.exclude(status=RegistrationStatus.CANCELLED).filter(user__isnull=False)
        )
        for registration in concerned:
            enqueue_registration_email(registration, "session_cancelled")
    return len(concerned)
