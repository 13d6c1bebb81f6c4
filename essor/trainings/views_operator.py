"""Operators' and programme team's pages: dashboard, attendance, reports (pages and CSV)."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from essor.accounts.permissions import can_manage_content, organisation_id_of
from essor.core.exports import safe_cell
from essor.trainings import reports
from essor.trainings.forms import AttendanceForm
from essor.trainings.models import RegistrationStatus, Session, TrainingPath
from essor.trainings.permissions import (
    can_mark_attendance,
    can_view_experimentation_report,
    can_view_path_report,
    can_view_session_report,
)
from essor.trainings.registration import RegistrationRefused, mark_attendance


def sessions_for(user):
    """Sessions the user runs: all for the programme team, their organisation's for an operator."""
    # Two relations are counted at once (registrations, evaluations): distinct counts avoid the join's fan-out.
    confirmed = Q(registrations__status=RegistrationStatus.CONFIRMED)
    sessions = (
        Session.objects.run_by(user)
        .select_related("module", "operator")
        .annotate(
            registered=Count("registrations", filter=confirmed, distinct=True),
            waiting=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING), distinct=True
            ),
            attended=Count(
                "registrations", filter=confirmed & Q(registrations__attended=True), distinct=True
            ),
            evaluated=Count("evaluations", distinct=True),
        )
    )
    return sessions


@login_required
def operator_dashboard(request):
    if not can_view_experimentation_report(request.user):
        raise PermissionDenied
    now = timezone.now()
    sessions = sessions_for(request.user)
    return render(
        request,
        "trainings/operator_dashboard.html",
        {
            "upcoming": sessions.filter(ends_at__gt=now).order_by("starts_at"),
            "past": sessions.filter(ends_at__lte=now).order_by("-starts_at")[:50],
            "paths": TrainingPath.objects.all() if can_manage_content(request.user) else [],
        },
    )


@login_required
def session_manage(request, pk):
    session = get_object_or_404(Session.objects.select_related("module", "operator"), pk=pk)
    if not can_mark_attendance(request.user, session):
        raise PermissionDenied
    registrations = list(
        session.registrations.select_related("user")
        .exclude(status=RegistrationStatus.CANCELLED)
        .order_by("status", "created_at")
    )
    if request.GET.get("format") == "csv":  # attendance sheet for the operator (personal data: not public)
        return _csv_response(
            f"essor-session-{session.pk}-registrations.csv",
            ["last_name", "first_name", "email", "audience", "status", "attended"],
            [
                [r.user.last_name, r.user.first_name, r.user.email, r.audience, r.status, r.attended]
                if r.user_id
                else ["", "", "", r.audience, r.status, r.attended]
                for r in registrations
            ],
        )
    confirmed = [r for r in registrations if r.status == RegistrationStatus.CONFIRMED]
    form = AttendanceForm(confirmed, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = mark_attendance(session, form.cleaned_data["present"])
        except RegistrationRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Attendance saved: %(count)s present.") % {"count": count})
        return redirect("trainings:session_manage", pk=session.pk)
    return render(
        request,
        "trainings/session_manage.html",
        {
            "session": session,
            "registrations": registrations,
            "form": form,
            "attendance_open": session.starts_at <= timezone.now(),
        },
    )


def _csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # BOM: spreadsheet software then reads the accents right
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return response


SUMMARY_COLUMNS = [
    "registered",
    "waiting",
    "cancelled",
    "attended",
    "attendance_rate",
    "evaluations",
    "satisfaction",
    "usefulness",
    "knowledge_before",
    "knowledge_after",
    "knowledge_gain",
]


def _rounded(value):
    return round(value, 3) if isinstance(value, float) else value


def _summary_csv(filename: str, report: dict) -> HttpResponse:
    rows = [["total", "", *[_rounded(report["total"].get(c)) for c in SUMMARY_COLUMNS]]]
    for breakdown in ("by_audience", "by_organisation_kind"):
        rows += [
            [breakdown, row["key"], *[_rounded(row.get(c)) for c in SUMMARY_COLUMNS]]
            for row in report[breakdown]
        ]
    return _csv_response(filename, ["breakdown", "value", *SUMMARY_COLUMNS], rows)


@login_required
def session_report(request, pk):
    session = get_object_or_404(Session.objects.select_related("module", "operator"), pk=pk)
    if not can_view_session_report(request.user, session):
        raise PermissionDenied
    report = reports.session_report(session)
    if request.GET.get("format") == "csv":
        return _summary_csv(f"essor-session-{session.pk}-report.csv", report)
    return render(
        request,
        "trainings/report.html",
        {"report": report, "session": session, "title": session.module.title},
    )


@login_required
def path_report(request, slug):
    path = get_object_or_404(TrainingPath, slug=slug)
    if not can_view_path_report(request.user, path):
        raise PermissionDenied
    report = reports.path_report(path)
    if request.GET.get("format") == "csv":
        return _summary_csv(f"essor-path-{path.slug}-report.csv", report)
    return render(request, "trainings/report.html", {"report": report, "path": path, "title": path.title})


EXPERIMENTATION_COLUMNS = ["region_code", "region", "audience", "sessions", *SUMMARY_COLUMNS]


@login_required
def experimentation_report(request):
    if not can_view_experimentation_report(request.user):
        raise PermissionDenied
    rows = reports.experimentation_report(Session.objects.run_by(request.user).filter(experimentation=True))
    if request.GET.get("format") == "csv":
        return _csv_response(
            "essor-experimentation-report.csv",
            EXPERIMENTATION_COLUMNS,
            [[_rounded(row.get(c)) for c in EXPERIMENTATION_COLUMNS] for row in rows],
        )
    return render(request, "trainings/experimentation_report.html", {"rows": rows})


@login_required
def session_edit(request, pk=None):
    """Create (pk None) or edit a session: the programme team for any operator, an operator for their own."""
    from essor.accounts.models import Organisation
    from essor.trainings.forms import SessionForm
    from essor.trainings.permissions import can_create_session, can_edit_session

    session = get_object_or_404(Session, pk=pk) if pk else None
    allowed = can_edit_session(request.user, session) if session else can_create_session(request.user)
    if not allowed:
        raise PermissionDenied
    operator = (
        None
        if can_manage_content(request.user)
        else Organisation.objects.get(pk=organisation_id_of(request.user))
    )
    form = SessionForm(request.POST or None, instance=session, operator=operator)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("The session is saved."))
        return redirect("trainings:session_manage", pk=saved.pk)
    return render(request, "trainings/session_form.html", {"form": form, "session": session})


@login_required
def session_cancel(request, pk):
    """Cancel a session (after a confirmation page); everyone registered or waiting is emailed."""
    from essor.trainings.permissions import can_edit_session
    from essor.trainings.registration import cancel_session

    session = get_object_or_404(Session.objects.select_related("module", "operator"), pk=pk)
    if not can_edit_session(request.user, session):
        raise PermissionDenied
    if request.method == "POST":
        count = cancel_session(session)
        messages.success(
            request, _("The session is cancelled; %(count)s people were told.") % {"count": count}
        )
        return redirect("trainings:session_manage", pk=session.pk)
    return render(request, "trainings/session_cancel.html", {"session": session})
