"""Steering pages: the dashboard (programme team, board, funders), the roadmap and its timeline (public for
published sheets), conventions, committees, funder reports (HTML, PDF, DOCX) and the audit trail. Thin: the rules
are in steering.permissions, roadmap, targets, reports."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from essor.core.pdf import render_pdf
from essor.steering import audit, docx_report, permissions, reports, roadmap, targets, timeline
from essor.steering.forms import PeriodForm
from essor.steering.metrics import Period
from essor.steering.models import AuditEntry, Committee, Convention, Decision, FollowUp, FollowUpStatus
from essor.steering.snapshots import SnapshotExists, freeze


def _require(request, allowed: bool):
    """Anonymous people are asked to sign in; signed-in people without the right get a 403."""
    if allowed:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def dashboard(request):
    refusal = _require(request, permissions.can_view_dashboard(request.user))
    if refusal:
        return refusal
    today = timezone.localdate()
    conventions = (
        permissions.visible_conventions(request.user).select_related("funder").prefetch_related("indicators")
    )
    boards = [
        {
            "convention": convention,
            "period": targets.default_period(convention, today),
            "rows": targets.live_rows(convention),
        }
        for convention in conventions
    ]
    tree = roadmap.build_tree(permissions.visible_sheets(request.user), today)
    convention_ids = [board["convention"].pk for board in boards]
    upcoming = (
        Committee.objects.filter(convention_id__in=convention_ids)
        .exclude(date__lt=today)
        .select_related("convention")
        .order_by("date")
    )
    open_follow_ups = (
        FollowUp.objects.filter(committee__convention_id__in=convention_ids, status=FollowUpStatus.OPEN)
        .select_related("committee")
        .order_by("due_on")
    )
    recent = (
        AuditEntry.objects.select_related("content_type")[:8]
        if permissions.can_view_audit_trail(request.user)
        else []
    )
    return render(
        request,
        "steering/dashboard.html",
        {
            "boards": boards,
            "tree": tree,
            "upcoming": upcoming,
            "open_follow_ups": open_follow_ups,
            "recent": recent,
            "today": today,
            "can_edit": permissions.can_edit(request.user),
        },
    )


def roadmap_view(request):
    today = timezone.localdate()
    tree = roadmap.build_tree(permissions.visible_sheets(request.user), today)
    pairs = roadmap.action_nodes(tree)
    committees = Committee.objects.filter(
        convention__in=permissions.visible_conventions(request.user)
    ).order_by("date")
    return render(
        request,
        "steering/roadmap.html",
        {"tree": tree, "pairs": pairs, "timeline": timeline.build(pairs, committees, today), "today": today},
    )


def sheet_detail(request, number):
    sheet = get_object_or_404(permissions.visible_sheets(request.user), number=number)
    tree = roadmap.build_tree(type(sheet).objects.filter(pk=sheet.pk))
    sheet_node = tree[0].sheets[0]
    pairs = [(sheet_node, node) for node in sheet_node.actions]
    return render(
        request,
        "steering/sheet_detail.html",
        {
            "sheet": sheet_node.sheet,
            "node": sheet_node,
            "axis": tree[0],
            "timeline": timeline.build(pairs),
            "pairs": pairs,
            "conventions": permissions.visible_conventions(request.user).filter(action_sheets=sheet),
        },
    )


def _convention(request, pk):
    convention = get_object_or_404(Convention.objects.select_related("funder"), pk=pk)
    return convention


def convention_detail(request, pk):
    convention = _convention(request, pk)
    refusal = _require(request, permissions.can_view_convention(request.user, convention))
    if refusal:
        return refusal
    committees = convention.committees.select_related("snapshot").prefetch_related("decisions")
    return render(
        request,
        "steering/convention_detail.html",
        {
            "convention": convention,
            "period": targets.default_period(convention),
            "rows": targets.live_rows(convention),
            "committees": committees,
            "amounts": convention.amounts.all(),
            "deliverables": convention.deliverables.all(),
            "sheets": convention.action_sheets.select_related("axis"),
            "parties": convention.parties.all(),
            "can_edit": permissions.can_edit(request.user),
            "today": timezone.localdate(),
        },
    )


def committee_detail(request, pk):
    committee = get_object_or_404(
        Committee.objects.select_related("convention__funder").prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.order_by("position", "pk")),
            "follow_ups",
            "attendances__organisation",
        ),
        pk=pk,
    )
    refusal = _require(request, permissions.can_view_convention(request.user, committee.convention))
    if refusal:
        return refusal
    snapshot = getattr(committee, "snapshot", None) if hasattr(committee, "snapshot") else None
    return render(
        request,
        "steering/committee_detail.html",
        {
            "committee": committee,
            "convention": committee.convention,
            "snapshot": snapshot,
            "rows": targets.snapshot_rows(snapshot) if snapshot else [],
            "can_edit": permissions.can_edit(request.user),
        },
    )


@require_POST
def freeze_snapshot(request, pk):
    committee = get_object_or_404(Committee.objects.select_related("convention"), pk=pk)
    if not permissions.can_edit(request.user):
        raise PermissionDenied
    try:
        freeze(committee, user=request.user, replace=request.POST.get("replace") == "1", source="web")
    except SnapshotExists:
        messages.error(request, _("This committee's indicators are already frozen."))
    else:
        messages.success(request, _("The indicators are frozen for this committee."))
    return redirect(committee.get_absolute_url())


def report(request, pk):
    convention = _convention(request, pk)
    refusal = _require(request, permissions.can_view_report(request.user, convention))
    if refusal:
        return refusal
    form = PeriodForm(request.GET or None, convention=convention)
    if request.GET and not form.is_valid():
        return render(request, "steering/report.html", {"form": form, "convention": convention}, status=400)
    period = Period(form.cleaned_data["start"], form.cleaned_data["end"]) if request.GET else None
    # A published report shows the public its convention's published sheets only; readers see them all.
    sheets = permissions.visible_sheets(request.user).filter(conventions=convention)
    built = reports.build(convention, period, sheets=sheets)
    output = request.GET.get("format", "html")
    context = {"report": built, "convention": convention, "form": form, "LANGUAGE_CODE": get_language()}
    context["printing"] = output == "pdf"
    if output == "pdf":
        title = _("Activity report — %(convention)s") % {"convention": convention.title}
        pdf = render_pdf(
            "steering/report_print.html",
            context,
            lang=get_language(),
            title=title,
            metadata={"authors": ["essor"], "description": reports.description(built)},
            stylesheets=["steering/report-print.css"],
        )
        return _download(pdf, "application/pdf", reports.file_name(built, "pdf"))
    if output == "docx":
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        return _download(docx_report.render(built), content_type, reports.file_name(built, "docx"))
    if output != "html":
        raise Http404
    return render(request, "steering/report.html", context)


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def audit_trail(request):
    refusal = _require(request, permissions.can_view_audit_trail(request.user))
    if refusal:
        return refusal
    entries = AuditEntry.objects.select_related("content_type")
    kind = request.GET.get("kind", "")
    if kind:
        entries = entries.filter(content_type__model=kind)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    kinds = sorted(
        ((model._meta.model_name, str(model._meta.verbose_name)) for model in audit.tracked_models()),
        key=lambda item: item[1],
    )
    return render(request, "steering/audit.html", {"page": page, "kind": kind, "kinds": kinds})
