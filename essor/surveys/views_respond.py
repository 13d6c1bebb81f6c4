"""Respondent pages, reached through the invitation link (no account): landing, pages, review, receipt.

Every page works without JavaScript: conditions are evaluated on the server after each save; when a saved answer
reveals new questions on the same page, the page comes back with them instead of moving on.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from essor.surveys import answering
from essor.surveys.forms import (
    ContributorForm,
    PageForm,
    check_constraint,
    hint_id,
    initial_for,
    validate_upload,
)

CONTRIBUTOR_KEY = "surveys-contributor-{}"


def _invitation(token):
    try:
        return answering.invitation_from_token(token)
    except answering.InvalidInvitation:
        raise Http404(
            _("This invitation link is not valid (it may have been replaced by a newer one).")
        ) from None


def _private(response):
    """Answers are the authority's own: never cached, never indexed."""
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _context(invitation, token, **extra):
    campaign = invitation.campaign
    return {"invitation": invitation, "campaign": campaign, "token": token, **extra}


def _closed(request, invitation, token, response):
    lines = answering.receipt_lines(response, get_language()) if response and response.submitted_at else []
    context = _context(invitation, token, response=response, lines=lines)
    return _private(render(request, "surveys/respond_closed.html", context, status=200))


@require_http_methods(["GET", "POST"])
def respond(request, token):
    invitation = _invitation(token)
    campaign = invitation.campaign
    response = getattr(invitation, "response", None)
    if not campaign.is_open():
        return _closed(request, invitation, token, response)
    if response is not None and response.submitted_at:
        return redirect("surveys:receipt", token=token)
    response = answering.open_response(invitation, get_language())
    definition = campaign.version.parsed
    session_key = CONTRIBUTOR_KEY.format(invitation.pk)
    form = ContributorForm(
        request.POST or None, initial={"contributor": request.session.get(session_key, "")}
    )
    if request.method == "POST" and form.is_valid():
        request.session[session_key] = form.cleaned_data["contributor"]
        values = answering.answered_values(answering.answers_of(response))
        target = _first_unfinished(definition, values)
        return redirect("surveys:page", token=token, section=target.code)
    answers = answering.answers_of(response)
    values = answering.answered_values(answers)
    sections = answering.visible_sections(definition, values)
    progress = [
        (
            section,
            sum(1 for q in section.questions if q.code in values),
            len([q for q in section.questions if q.answers]),
        )
        for section in sections
    ]
    contributors = sorted({c for c in response.contributions.values_list("contributor", flat=True) if c})
    context = _context(
        invitation,
        token,
        response=response,
        form=form,
        progress=progress,
        contributors=contributors,
        started=bool(values),
        prefilled=sum(1 for a in answers.values() if a.prefill_source),
    )
    return _private(render(request, "surveys/respond_start.html", context))


def _first_unfinished(definition, values):
    sections = answering.visible_sections(definition, values)
    for section in sections:
        questions = [q for q in answering.visible_questions(section, values) if q.answers]
        if any(q.code not in values for q in questions):
            return section
    return sections[0]


@require_http_methods(["GET", "POST"])
def page(request, token, section):
    invitation = _invitation(token)
    campaign = invitation.campaign
    response = getattr(invitation, "response", None)
    if not campaign.is_open():
        return _closed(request, invitation, token, response)
    if response is None:
        return redirect("surveys:respond", token=token)
    if response.submitted_at:
        return redirect("surveys:receipt", token=token)
    definition = campaign.version.parsed
    current = next((s for s in definition.sections if s.code == section), None)
    if current is None:
        raise Http404(_("This page is not part of the questionnaire."))
    language = get_language()
    answers = answering.answers_of(response)
    values = answering.answered_values(answers)
    if current.code not in {s.code for s in answering.visible_sections(definition, values)}:
        following = answering.next_section(definition, values, current.code)
        return (
            redirect("surveys:page", token=token, section=following.code)
            if following
            else redirect("surveys:review", token=token)
        )
    questions = answering.visible_questions(current, answering.shown_values(answers))
    if request.method == "POST":
        action = request.POST.get("action", "next")
        form = PageForm(
            current, questions, language, request.POST, request.FILES, enforce_required=action == "next"
        )
        if form.is_valid() and _extra_checks(form, values, language):
            page_values = form.answer_values()
            contributor = request.session.get(CONTRIBUTOR_KEY.format(invitation.pk), "")
            answering.save_page(response, current, page_values, contributor=contributor)
            answers = answering.answers_of(response)
            values = answering.answered_values(answers)
            now_shown = answering.visible_questions(current, values)
            if {q.code for q in now_shown} - {q.code for q in questions}:
                messages.info(
                    request,
                    _("Your answers are saved. New questions appeared on this page after your answers."),
                )
                return redirect("surveys:page", token=token, section=current.code)
            if action == "later":
                messages.success(
                    request, _("Your answers are saved. Use the same link to resume, on any device.")
                )
                return redirect("surveys:respond", token=token)
            if action == "previous":
                target = answering.previous_section(definition, values, current.code)
            else:
                target = answering.next_section(definition, values, current.code)
            if target is None:
                return redirect("surveys:review", token=token)
            return redirect("surveys:page", token=token, section=target.code)
    else:
        form = PageForm(
            current, questions, language, initial=initial_for(questions, answering.shown_values(answers))
        )
    sections = answering.visible_sections(definition, values)
    codes = [s.code for s in sections]
    context = _context(
        invitation,
        token,
        response=response,
        form=form,
        section=current,
        items=_items(form, questions, answers, language),
        sections=sections,
        position=codes.index(current.code) + 1,
        has_previous=codes.index(current.code) > 0,
    )
    return _private(render(request, "surveys/respond_page.html", context))


def _extra_checks(form, values, language) -> bool:
    """Constraints of the condition language and uploaded files, as errors on their fields."""
    page_values = form.answer_values()
    context = {**values, **{k: v for k, v in page_values.items() if v is not None and not hasattr(v, "read")}}
    for question in form.questions:
        value = page_values.get(question.code)
        if question.type == "file" and value is not None:
            try:
                validate_upload(value)
            except Exception as exc:  # ValidationError
                form.add_error(question.code, exc)
            continue
        message = check_constraint(question, value, context, language)
        if message:
            form.add_error(question.code, message)
    if form.errors:
        form.full_clean_aria()
    return not form.errors


class Item:
    """One question as the template draws it: its bound fields, hint, prefill note, and kind."""

    def __init__(self, question, fields, answer, language):
        self.question = question
        self.code = question.code
        self.kind = question.kind
        self.label = question.text(language)
        self.hint = question.hint and (question.hint.get(language[:2]) or question.hint.get("fr"))
        self.hint_id = hint_id(question.code)
        self.fields = fields
        self.field = fields[0] if fields else None
        self.other = next((f for f in fields if f.name.endswith("_other")), None)
        self.columns = [c.text(language) for c in question.choices]
        self.required = question.required
        self.answer = answer
        self.errors = [e for f in fields for e in f.errors]
        self.current_file = (
            answer.value.get("name")
            if answer and isinstance(answer.value, dict) and question.type == "file"
            else ""
        )

    @property
    def prefill_note(self):
        answer = self.answer
        if answer is None or not answer.prefill_source:
            return None
        return {
            "source": answer.prefill_source,
            "vintage": answer.prefill_vintage,
            "previous": answer.prefill_source.startswith("previous:"),
            "synthetic": "synthetic" in answer.prefill_source,
            "value": answer.prefilled_value,
            "confirmed": answer.value is not None,
        }


def _items(form, questions, answers, language):
    items = []
    for question in questions:
        answer = answers.get(question.code)
        extra = []
        if answer is not None and answer.prefill_source:
            extra.append(f"prefill-{question.code}")  # the prefill note is read with the field
        if question.kind == "territory":
            extra.append(f"hint-{question.code}-territory")
        if extra and question.code in form.fields:
            widget = form.fields[question.code].widget
            described = widget.attrs.get("aria-describedby", "").split()
            widget.attrs["aria-describedby"] = " ".join(described + [e for e in extra if e not in described])
        fields = [form[name] for name in form.field_names(question) if name in form.fields]
        items.append(Item(question, fields, answer, language))
    return items


@require_http_methods(["GET", "POST"])
def review(request, token):
    invitation = _invitation(token)
    campaign = invitation.campaign
    response = getattr(invitation, "response", None)
    if not campaign.is_open():
        return _closed(request, invitation, token, response)
    if response is None:
        return redirect("surveys:respond", token=token)
    if response.submitted_at:
        return redirect("surveys:receipt", token=token)
    definition = campaign.version.parsed
    language = get_language()
    missing = answering.missing_required(
        definition, answering.answered_values(answering.answers_of(response))
    )
    if request.method == "POST" and not missing:
        try:
            response.language = language[:2]
            response.save(update_fields=["language"])
            answering.submit(response)
        except answering.Incomplete as exc:
            missing = exc.missing
        else:
            return redirect("surveys:receipt", token=token)
    lines = answering.receipt_lines(response, language)
    context = _context(invitation, token, response=response, lines=lines, missing=missing)
    return _private(render(request, "surveys/respond_review.html", context))


def receipt(request, token):
    invitation = _invitation(token)
    response = getattr(invitation, "response", None)
    if response is None or not response.submitted_at:
        return redirect("surveys:respond", token=token)
    lines = answering.receipt_lines(response, get_language())
    return _private(
        render(
            request,
            "surveys/respond_receipt.html",
            _context(invitation, token, response=response, lines=lines),
        )
    )
