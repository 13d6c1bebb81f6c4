"""Pages of the study publisher: the list of studies, an edition (web, PDF, figure CSV), its fact sheets, the
differences with the previous edition, and the workflow buttons. Thin: the rules are in workflow.py, freeze.py,
render.py and permissions.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from essor.core import formatting
from essor.study import diff, workflow
from essor.study import render as rendering
from essor.study.figures import FigureError
from essor.study.freeze import EditionLocked
from essor.study.inputs import MissingInput
from essor.study.models import Edition, Study
from essor.study.permissions import can_edit, can_publish, can_view


def _lang() -> str:
    return formatting.language(get_language())


def _edition(request, study, edition, version) -> Edition:
    found = get_object_or_404(
        Edition.objects.select_related("study", "release"), study__slug=study, slug=edition, version=version
    )
    if not can_view(request.user, found):
        raise Http404
    return found


def index(request):
    editions = (
        Edition.objects.visible_to(request.user).select_related("study").order_by("study", "-created_at")
    )
    studies = []
    for study in Study.objects.filter(editions__in=editions).distinct():
        studies.append((study, [e for e in editions if e.study_id == study.pk]))
    return render(
        request, "study/index.html", {"studies": studies, "lang": _lang(), "can_edit": can_edit(request.user)}
    )


def edition_page(request, study, edition, version):
    found = _edition(request, study, edition, version)
    lang = _lang()
    context = rendering.document(found, lang)
    newer = getattr(found, "superseded_by", None)
    context.update(
        {
            "newer": newer if newer and can_view(request.user, newer) else None,
            "can_edit": can_edit(request.user),
            "can_publish": can_publish(request.user),
        }
    )
    return render(request, "study/edition.html", context)


def edition_pdf(request, study, edition, version, lang):
    found = _edition(request, study, edition, version)
    if lang not in ("fr", "en"):
        raise Http404
    if not found.snapshot:
        raise Http404(_("The figures of this draft are not frozen yet."))
    pdf = rendering.build_pdf(found, lang)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{found.study.slug}-{found.slug}-v{found.version}-{lang}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def figure_csv(request, study, edition, version, number):
    found = _edition(request, study, edition, version)
    figure = next((f for f in found.snapshot.get("figures", {}).values() if f["number"] == number), None)
    if figure is None:
        raise Http404
    lang = _lang()
    text = rendering.figure_csv(figure, lang, found.snapshot["release"]["vintage"])
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    filename = f"{found.study.slug}-{found.slug}-v{found.version}-figure-{number}-{lang}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def factsheet(request, study, edition, version, territory):
    found = _edition(request, study, edition, version)
    lang = _lang()
    sheet = next((s for s in found.snapshot.get("factsheets", []) if s["identifier"] == territory), None)
    if sheet is None:
        raise Http404
    return render(
        request,
        "study/factsheet.html",
        {
            "edition": found,
            "title": found.title(lang),
            "sheet": rendering.factsheet_view(sheet, lang),
            "release": found.snapshot.get("release", {}),
            "lang": lang,
        },
    )


def edition_diff(request, study, edition, version):
    if not can_edit(request.user):
        raise Http404
    found = _edition(request, study, edition, version)
    previous = found.supersedes or (
        Edition.objects.filter(study=found.study, created_at__lt=found.created_at).exclude(pk=found.pk).last()
    )
    lang = _lang()
    context = {"edition": found, "previous": previous, "title": found.title(lang), "lang": lang}
    if previous is not None:
        context["figures"] = diff.figure_changes(previous, found, lang)
        context["texts"] = diff.text_changes(previous, found, lang)
    return render(request, "study/diff.html", context)


@require_POST
def workflow_action(request, study, edition, version):
    found = _edition(request, study, edition, version)
    action = request.POST.get("action")
    steps = {
        "review": workflow.send_for_review,
        "draft": workflow.back_to_draft,
        "publish": workflow.publish,
        "new_version": workflow.new_version,
    }
    if action not in steps:
        raise Http404
    try:
        result = steps[action](found, request.user)
    except PermissionDenied:
        raise
    except (ValidationError, EditionLocked, MissingInput, FigureError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(found.get_absolute_url())
    done = {
        "review": _("The figures are frozen and the edition is in review."),
        "draft": _("The edition is a draft again."),
        "publish": _("The edition is published; it will never change."),
        "new_version": _("A new version was started as a draft: write its corrections log."),
    }
    messages.success(request, done[action])
    return redirect(result.get_absolute_url())
