"""Emails of the surveys, sent through Django's tasks framework in the recipient's language.

- the invitation (the signed link) and reminders to authorities that have not submitted;
- the receipt of a submitted response, to the authority's contact;
- a message about a need, forwarded to the authority without showing its address to the sender (or the sender's
  to anyone but the authority).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation

from essor.surveys.models import Invitation, InvitationStatus, NeedMessage, Response


def _absolute(path: str) -> str:
    from essor.core.urls_absolute import absolute_url

    return absolute_url(path)


def _render(name: str, context: dict) -> tuple[str, str]:
    from essor.core.emails import render_plain_text

    subject = render_plain_text(f"surveys/email/{name}_subject.txt", context).strip()
    body = render_plain_text(f"surveys/email/{name}_body.txt", context)
    return " ".join(subject.split()), body


def render_invitation_email(invitation: Invitation, kind: str = "invitation") -> tuple[str, str]:
    from essor.surveys.answering import invitation_path

    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "campaign": invitation.campaign,
            "url": _absolute(invitation_path(invitation)),
            "closes_at": timezone.localtime(invitation.campaign.closes_at),
        }
        return _render(kind, context)


@task
def send_invitation_email(invitation_id: int, kind: str = "invitation") -> bool:
    invitation = Invitation.objects.select_related("campaign").filter(pk=invitation_id).first()
    if invitation is None or not invitation.contact_email:
        return False
    subject, body = render_invitation_email(invitation, kind)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.contact_email])
    return True


def enqueue_invitations(invitations, kind: str = "invitation") -> int:
    """Queue the invitation (or reminder) emails once the transaction commits; stamps each invitation."""
    now = timezone.now()
    count = 0
    with transaction.atomic():
        for invitation in invitations:
            if not invitation.contact_email:
                continue
            field = "emailed_at" if kind == "invitation" else "reminded_at"
            Invitation.objects.filter(pk=invitation.pk).update(**{field: now})
            pk = invitation.pk
            transaction.on_commit(lambda pk=pk: send_invitation_email.enqueue(pk, kind))
            count += 1
    return count


def send_reminders(campaign, *, min_days_between: int = 7, now=None) -> int:
    """Remind the authorities of an open campaign that have not submitted (at most once every few days)."""
    from datetime import timedelta

    now = now or timezone.now()
    if not campaign.is_open(now):
        return 0
    due = (
        campaign.invitations.exclude(status=InvitationStatus.SUBMITTED)
        .exclude(contact_email="")
        .exclude(reminded_at__gt=now - timedelta(days=min_days_between))
    )
    return enqueue_invitations(list(due), kind="reminder")


@task
def send_receipt_email(response_id: int) -> bool:
    from essor.surveys.answering import invitation_path, receipt_lines

    response = Response.objects.select_related("invitation__campaign__version").filter(pk=response_id).first()
    if response is None or not response.invitation.contact_email:
        return False
    with translation.override(response.language):
        context = {
            "response": response,
            "invitation": response.invitation,
            "campaign": response.invitation.campaign,
            "lines": [
                (line.question.text(response.language), line.display)
                for line in receipt_lines(response, response.language)
            ],
            "url": _absolute(invitation_path(response.invitation)),
        }
        subject, body = _render("receipt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [response.invitation.contact_email])
    return True


def enqueue_receipt(response: Response) -> None:
    pk = response.pk
    transaction.on_commit(lambda: send_receipt_email.enqueue(pk))


@task
def forward_need_message(message_id: int) -> bool:
    message = NeedMessage.objects.select_related("need__invitation__campaign").filter(pk=message_id).first()
    if message is None or message.forwarded_at is not None:
        return False
    invitation = message.need.invitation
    recipient = invitation.contact_email
    if not recipient:
        return False
    with translation.override(invitation.language):
        subject, body = _render("need_message", {"message": message, "need": message.need})
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient], reply_to=[message.email]).send()
    NeedMessage.objects.filter(pk=message.pk).update(forwarded_at=timezone.now())
    return True
