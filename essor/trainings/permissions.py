"""Object-level rules for sessions, registrations and evaluations (tested as a matrix, role x action)."""

from django.utils import timezone

from essor.accounts.permissions import (
    can_manage_content,
    can_view_programme_reports,
    is_operator,
    organisation_id_of,
    role_of,
)
from essor.trainings.models import RegistrationStatus


def operates(user, session) -> bool:
    """The user is an operator of the session's operator organisation."""
    return is_operator(user) and organisation_id_of(user) == session.operator_id


def can_create_session(user, organisation=None) -> bool:
    """Programme team for any organisation; an operator only for its own."""
    if can_manage_content(user):
        return True
    return is_operator(user) and (organisation is None or organisation.pk == organisation_id_of(user))


def can_edit_session(user, session) -> bool:
    return can_manage_content(user) or operates(user, session)


def can_mark_attendance(user, session) -> bool:
    return can_edit_session(user, session)


def can_view_attendees(user, session) -> bool:
    """Names of the registered people: the session's operator and the programme team, nobody else."""
    return can_edit_session(user, session)


def can_view_session_report(user, session) -> bool:
    return can_edit_session(user, session)


def can_view_path_report(user, path) -> bool:
    return can_view_programme_reports(user)


def can_view_experimentation_report(user) -> bool:
    """Programme team (all rows) and operators (their organisation's sessions only)."""
    return can_view_programme_reports(user) or is_operator(user)


def can_register(user) -> bool:
    return role_of(user) is not None


def can_view_registration(user, registration) -> bool:
    if registration.user_id is not None and user.is_authenticated and registration.user_id == user.pk:
        return True
    return can_view_attendees(user, registration.session)


def can_cancel_registration(user, registration) -> bool:
    if registration.status == RegistrationStatus.CANCELLED:
        return False
    return can_view_registration(user, registration)


def evaluation_refusal(user, registration, now=None) -> str | None:
    """Why this person may not evaluate (a translated message), or None when they may."""
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    if not user.is_authenticated or registration.user_id != user.pk:
        return _("Only the registered person can evaluate their session.")
    if registration.session.ends_at > now:
        return _("The evaluation opens once the session is over.")
    if registration.status != RegistrationStatus.CONFIRMED or registration.attended is not True:
        return _("Only people who attended the session can evaluate it.")
    if hasattr(registration, "evaluation"):
        return _("You have already evaluated this session. Thank you!")
    return None


def can_evaluate(user, registration, now=None) -> bool:
    return evaluation_refusal(user, registration, now) is None
