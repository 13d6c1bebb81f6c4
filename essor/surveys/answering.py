"""Answering a campaign through an invitation link: open, save a page, resume anywhere, submit with a receipt.

The link is the credential (a signed token: no account needed); every device holding it works on the same
response, stored on the server, so a page saved on one computer is there on another. Conditions (`relevant`) are
evaluated here on the server: a page whose condition fails is skipped, a hidden question's answer is discarded.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from essor.surveys import conditions
from essor.surveys.definition import OTHER_VALUE, Definition, Question, Section, number_text
from essor.surveys.forms import other_field
from essor.surveys.models import Answer, Contribution, Invitation, InvitationStatus, Response, ResponseFile
from essor.surveys.prefill import prefill

TOKEN_SALT = "essor.surveys.invitation"  # noqa: S105 — a signing namespace, not a secret


class InvalidInvitation(Exception):
    """The link was tampered with, revoked (key rotated) or its invitation deleted."""


class Incomplete(Exception):
    def __init__(self, missing: list[tuple[Section, Question]]):
        super().__init__(f"{len(missing)} required question(s) unanswered")
        self.missing = missing


def invitation_token(invitation: Invitation) -> str:
    # Without a timestamp: the same link in the invitation, the reminders and the team's pages.
    return signing.Signer(salt=TOKEN_SALT).sign_object([invitation.pk, invitation.key])


def invitation_path(invitation: Invitation) -> str:
    return reverse("surveys:respond", args=[invitation_token(invitation)])


def invitation_from_token(token: str) -> Invitation:
    try:
        pk, key = signing.Signer(salt=TOKEN_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidInvitation from None
    invitation = Invitation.objects.select_related("campaign__version__questionnaire").filter(pk=pk).first()
    if invitation is None or not secrets.compare_digest(invitation.key, str(key)):
        raise InvalidInvitation
    return invitation


def open_response(invitation: Invitation, language: str) -> Response:
    """The authority's response, created (and prefilled) the first time anyone opens the link."""
    with transaction.atomic():
        response, created = Response.objects.get_or_create(
            invitation=invitation, defaults={"language": language}
        )
        if created:
            found = prefill(invitation, invitation.campaign.version.parsed)
            Answer.objects.bulk_create(
                Answer(
                    response=response,
                    code=code,
                    prefilled_value=item.value,
                    prefill_source=item.source,
                    prefill_vintage=item.vintage,
                )
                for code, item in found.items()
            )
        if invitation.status == InvitationStatus.INVITED:
            Invitation.objects.filter(pk=invitation.pk).update(
                status=InvitationStatus.OPENED, opened_at=timezone.now()
            )
            invitation.status = InvitationStatus.OPENED
    return response


def answers_of(response: Response) -> dict[str, Answer]:
    return {answer.code: answer for answer in response.answers.all()}


def answered_values(answers: dict[str, Answer]) -> dict:
    return {code: a.value for code, a in answers.items() if a.value not in (None, "", [], {})}


def shown_values(answers: dict[str, Answer]) -> dict:
    """What the form shows: the answer, or else the prefilled value waiting for confirmation."""
    values = {code: a.prefilled_value for code, a in answers.items() if a.prefilled_value is not None}
    values.update(answered_values(answers))
    return values


def _condition_values(values: dict) -> dict:
    """Values as the condition language reads them (a grid is not addressable; lists are space-joined)."""
    return {code: value for code, value in values.items() if not isinstance(value, dict)}


def visible_sections(definition: Definition, values: dict) -> list[Section]:
    readable = _condition_values(values)
    return [s for s in definition.sections if conditions.holds(s.relevant, readable)]


def visible_questions(section: Section, values: dict) -> list[Question]:
    readable = _condition_values(values)
    return [q for q in section.questions if conditions.holds(q.relevant, readable)]


def next_section(definition: Definition, values: dict, after: str | None) -> Section | None:
    sections = visible_sections(definition, values)
    if after is None:
        return sections[0] if sections else None
    codes = [s.code for s in sections]
    if after in codes:
        index = codes.index(after) + 1
        return sections[index] if index < len(sections) else None
    # The page we come from is now skipped: go to the first visible page after it in the questionnaire.
    order = [s.code for s in definition.sections]
    position = order.index(after) if after in order else -1
    return next((s for s in sections if order.index(s.code) > position), None)


def previous_section(definition: Definition, values: dict, before: str) -> Section | None:
    order = [s.code for s in definition.sections]
    position = order.index(before)
    earlier = [s for s in visible_sections(definition, values) if order.index(s.code) < position]
    return earlier[-1] if earlier else None


def save_page(response: Response, section: Section, page_values: dict, *, contributor: str = "") -> list[str]:
    """Store a page's answers (files included); hidden questions of the page lose their answer. Returns the
    codes that changed."""
    if response.submitted_at is not None:
        raise ValueError("A submitted response cannot be changed.")
    changed = []
    with transaction.atomic():
        answers = {a.code: a for a in Answer.objects.select_for_update().filter(response=response)}
        merged = answered_values(answers) | {k: v for k, v in page_values.items() if v is not None}
        shown = {q.code for q in visible_questions(section, merged)}
        for question in section.questions:
            codes = [question.code] + ([other_field(question.code)] if question.or_other else [])
            for code in codes:
                value = page_values.get(code) if question.code in shown else None
                if question.type == "file" and code == question.code:
                    value = _store_file(response, question.code, value, answers.get(code))
                answer = answers.get(code)
                if answer is None:
                    if value is None:
                        continue
                    answer = Answer(response=response, code=code)
                if answer.value == value and answer.pk:
                    continue
                answer.value = value
                answer.updated_by = contributor[:120]
                answer.save()
                changed.append(code)
        Contribution.objects.create(
            response=response, contributor=contributor[:120], section=section.code, changed=changed
        )
        Invitation.objects.filter(pk=response.invitation_id).exclude(
            status=InvitationStatus.SUBMITTED
        ).update(status=InvitationStatus.IN_PROGRESS)
        Response.objects.filter(pk=response.pk).update(updated_at=timezone.now())
    return changed


def _store_file(response: Response, code: str, uploaded, current: Answer | None):
    if uploaded is None:  # nothing new uploaded: keep the file already there
        return current.value if current else None
    stored = ResponseFile.objects.create(
        response=response, code=code, file=uploaded, name=uploaded.name[:255], size=uploaded.size
    )
    return {"file": stored.pk, "name": stored.name, "size": stored.size}


def missing_required(definition: Definition, values: dict) -> list[tuple[Section, Question]]:
    missing = []
    for section in visible_sections(definition, values):
        for question in visible_questions(section, values):
            if question.required and question.answers and values.get(question.code) in (None, "", [], {}):
                missing.append((section, question))
            elif question.required and question.type == "grid":
                given = values.get(question.code) or {}
                if any(row.value not in given for row in question.rows):
                    missing.append((section, question))
    return missing


def submit(response: Response) -> Response:
    """Submit the response (all required questions answered) and give it a receipt number."""
    from essor.surveys.needs import needs_from_response
    from essor.surveys.notifications import enqueue_receipt

    with transaction.atomic():
        response = (
            Response.objects.select_for_update()
            .select_related("invitation__campaign__version")
            .get(pk=response.pk)
        )
        if response.submitted_at is not None:
            return response
        definition = response.invitation.campaign.version.parsed
        values = answered_values(answers_of(response))
        missing = missing_required(definition, values)
        if missing:
            raise Incomplete(missing)
        response.submitted_at = timezone.now()
        response.receipt = f"{response.invitation.campaign_id:03d}-{secrets.token_hex(3).upper()}"
        response.save(update_fields=["submitted_at", "receipt"])
        Invitation.objects.filter(pk=response.invitation_id).update(status=InvitationStatus.SUBMITTED)
        response.invitation.status = InvitationStatus.SUBMITTED
        needs_from_response(response, definition, values)
        enqueue_receipt(response)
    return response


@dataclass
class ReceiptLine:
    section: Section
    question: Question
    display: str
    answer: Answer | None


def display_value(question: Question, value, language: str) -> str:
    """An answer as a person reads it (choice labels, not codes)."""
    if value in (None, "", [], {}):
        return ""
    from django.utils.translation import gettext

    labels = {c.value: c.text(language) for c in question.choices}
    if question.or_other:
        labels[OTHER_VALUE] = gettext("Other")
    if question.type == "grid":
        rows = {r.value: r.text(language) for r in question.rows}
        return "; ".join(f"{rows.get(k, k)}: {labels.get(v, v)}" for k, v in value.items())
    if question.type in ("select_multiple", "rank") and isinstance(value, list):
        return "; ".join(labels.get(v, v) for v in value)
    if question.type == "select_one":
        return labels.get(value, value)
    if question.type == "file" and isinstance(value, dict):
        return value.get("name", "")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number_text(value)
    return str(value)


def receipt_lines(response: Response, language: str) -> list[ReceiptLine]:
    definition = response.invitation.campaign.version.parsed
    answers = answers_of(response)
    values = answered_values(answers)
    lines = []
    for section in visible_sections(definition, values):
        for question in visible_questions(section, values):
            if not question.answers:
                continue
            text = display_value(question, values.get(question.code), language)
            other = values.get(other_field(question.code))
            if other:
                text = f"{text} — {other}"
            lines.append(ReceiptLine(section, question, text, answers.get(question.code)))
    return lines
