"""Public pages: paths, modules, sessions (no personal data), registration and evaluation for signed-in people."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from essor.accounts.models import Audience
from essor.core import ratelimit
from essor.trainings import ical
from essor.trainings.evaluation import save_evaluation
from essor.trainings.forms import EvaluationForm
from essor.trainings.models import (
    Module,
    Registration,
    RegistrationStatus,
    Session,
    SessionFormat,
    TrainingPath,
)
from essor.trainings.permissions import can_cancel_registration, can_edit_session, evaluation_refusal
from essor.trainings.registration import RegistrationRefused, active_registration, cancel, register
from essor.trainings.structured_data import event_jsonld

PAGE_SIZE = 20


def path_list(request):
    paths = TrainingPath.objects.filter(is_published=True).annotate(module_count=Count("modules"))
    return render(request, "trainings/path_list.html", {"paths": paths})


def path_detail(request, slug):
    path = get_object_or_404(TrainingPath, slug=slug, is_published=True)
    modules = path.modules.order_by("position")
    upcoming = Session.objects.public().upcoming().filter(module__path=path)
    return render(
        request, "trainings/path_detail.html", {"path": path, "modules": modules, "upcoming": upcoming}
    )


def module_detail(request, slug):
    module = get_object_or_404(
        Module.objects.select_related("path").prefetch_related("resources"),
        slug=slug,
        path__is_published=True,
    )
    upcoming = Session.objects.public().upcoming().filter(module=module)
    return render(request, "trainings/module_detail.html", {"module": module, "upcoming": upcoming})


def session_list(request):
    now = timezone.now()
    past = request.GET.get("when") == "past"
    sessions = Session.objects.public()
    sessions = (
        sessions.filter(ends_at__lte=now).order_by("-starts_at")
        if past
        else sessions.filter(ends_at__gt=now).order_by("starts_at")
    )
    session_format = request.GET.get("format", "")
    if session_format in SessionFormat.values:
        sessions = sessions.filter(format=session_format)
    audience = request.GET.get("audience", "")
    if audience in Audience.values:
        # Audiences are a JSON list; a quoted text match works the same on SQLite and PostgreSQL.
        sessions = sessions.filter(audiences__icontains=f'"{audience}"')
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "trainings/session_list.html",
        {
            "page": page,
            "past": past,
            "formats": SessionFormat.choices,
            "audiences": Audience.choices,
            "selected_format": session_format,
            "selected_audience": audience,
        },
    )


def session_detail(request, pk):
    session = get_object_or_404(Session.objects.public(), pk=pk)
    registration = active_registration(session, request.user)
    now = timezone.now()
    places_left = max(session.capacity - session.confirmed, 0)
    return render(
        request,
        "trainings/session_detail.html",
        {
            "session": session,
            "registration": registration,
            "structured_data": event_jsonld(session, request, places_left),
            "places_left": places_left,
            "is_open": not session.is_cancelled and session.starts_at > now,
            "can_edit": can_edit_session(request.user, session),
        },
    )


@require_POST
@login_required
def session_register(request, pk):
    session = get_object_or_404(
        Session.objects.public(), pk=pk
    )  # an unpublished path's session does not exist here
    if not ratelimit.allow("registration", f"user:{request.user.pk}"):
        messages.error(request, _("Too many registrations in a short time. Please try again later."))
        return redirect(session)
    try:
        registration = register(
            session, request.user, join_waiting_list=request.POST.get("waiting_list") == "1"
        )
    except RegistrationRefused as refusal:
        messages.error(request, str(refusal))
    else:
        if registration.status == RegistrationStatus.CONFIRMED:
            messages.success(request, _("You are registered. A confirmation email is on its way."))
        else:
            messages.success(
                request, _("The session is full: you are on the waiting list. We will email you.")
            )
    return redirect(session)


@require_POST
@login_required
def session_cancel(request, pk):
    session = get_object_or_404(Session, pk=pk)
    registration = active_registration(session, request.user)
    if registration is None or not can_cancel_registration(request.user, registration):
        messages.error(request, _("You have no registration to cancel for this session."))
        return redirect(session)
    try:
        cancel(registration)
    except RegistrationRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(session)


@login_required
def evaluate(request, registration_pk):
    registration = get_object_or_404(
        Registration.objects.select_related("session__module", "session__operator"), pk=registration_pk
    )
    if registration.user_id != request.user.pk:
        raise Http404  # do not reveal other people's registrations
    refusal = evaluation_refusal(request.user, registration)
    if refusal:
        return render(
            request,
            "trainings/evaluation_refused.html",
            {"message": refusal, "session": registration.session},
            status=403,
        )
    form = EvaluationForm(registration.session.module, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            save_evaluation(
                request.user,
                registration,
                satisfaction=form.cleaned_data["satisfaction"],
                usefulness=form.cleaned_data["usefulness"],
                knowledge=form.knowledge(),
                answers=form.answers(),
                comments=form.cleaned_data["comments"],
            )
        except RegistrationRefused as refusal_error:
            messages.error(request, str(refusal_error))
        else:
            messages.success(request, _("Thank you for your evaluation!"))
        return redirect("accounts:dashboard")
    return render(request, "trainings/evaluate.html", {"form": form, "session": registration.session})


def _ics_response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def session_ics(request, pk):
    session = get_object_or_404(Session.objects.public(), pk=pk)
    return _ics_response(
        ical.calendar([session], name=session.module.title, request=request),
        f"essor-session-{session.pk}.ics",
    )


def calendar_ics(request):
    """Every session from 90 days ago onwards (calendar clients keep recent history visible)."""
    since = timezone.now() - timedelta(days=90)
    sessions = Session.objects.public().filter(starts_at__gte=since)
    return _ics_response(
        ical.calendar(sessions, name=_("essor training sessions"), request=request), "essor-sessions.ics"
    )
