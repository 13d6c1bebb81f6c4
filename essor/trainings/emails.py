"""Emails about registrations, sent by the tasks framework and written in the recipient's language."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils import translation

from essor.core.emails import recipient_language, render_plain_text
from essor.core.urls_absolute import absolute_url

KINDS = ("confirmed", "waiting", "promoted", "reminder", "evaluation", "session_cancelled")


def render_registration_email(registration, kind: str) -> tuple[str, str, str]:
    """(language, subject, body) of the email of `kind` about `registration`."""
    if kind not in KINDS:
        raise ValueError(f"Unknown registration email kind {kind!r}; expected one of {KINDS}.")
    user = registration.user
    language = recipient_language(user)
    with translation.override(language):
        session = registration.session
        context = {
            "registration": registration,
            "session": session,
            "module": session.module,
            "user": user,
            "session_url": absolute_url(reverse("trainings:session_detail", args=[session.pk])),
            "ics_url": absolute_url(reverse("trainings:session_ics", args=[session.pk])),
            "evaluation_url": absolute_url(reverse("trainings:evaluate", args=[registration.pk])),
            "account_url": absolute_url(reverse("accounts:dashboard")),
            "sessions_url": absolute_url(reverse("trainings:session_list")),
        }
        subject = render_plain_text(f"trainings/email/{kind}_subject.txt", context).strip()
        body = render_plain_text(f"trainings/email/{kind}_body.txt", context)
    return language, " ".join(subject.split()), body


@task
def send_registration_email(registration_id: int, kind: str) -> bool:
    """Send one email; False when the registration or its person is gone (deleted account)."""
    from essor.trainings.models import Registration

    registration = (
        Registration.objects.select_related("session__module", "session__operator", "user__profile")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or registration.user is None or not registration.user.email:
        return False
    _language, subject, body = render_registration_email(registration, kind)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [registration.user.email])
    return True


def enqueue_registration_email(registration, kind: str) -> None:
    """Queue the email once the surrounding transaction commits (no email for a rolled-back registration)."""
    from django.db import transaction

    registration_id = registration.pk
    transaction.on_commit(lambda: send_registration_email.enqueue(registration_id, kind))
