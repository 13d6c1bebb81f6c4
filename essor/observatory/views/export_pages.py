"""A background directory export (export_jobs.py): its page, which says when the file is ready, and the file.

The token in the URL is the only key (unguessable, 256 bits): no list of exports exists anywhere on the site.
The page answers JSON to `Accept: application/json` (observatory/export-status.js asks every few seconds)."""

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from essor.observatory import directory_export, export_jobs
from essor.observatory.models import DirectoryExport
from essor.observatory.views.common import as_attachment, scope_or_404


def _export_or_404(token: str) -> DirectoryExport:
    export = DirectoryExport.objects.select_related("release").filter(token=token).first()
    if export is None or export_jobs.is_expired(export):
        raise Http404("No such export, or expired")
    return export


def _context(export: DirectoryExport) -> dict:
    scope = scope_or_404(export.kind, export.code)
    directory_url = reverse("observatory:directory", kwargs={"kind": export.kind, "code": export.code})
    return {
        "export": export,
        "scope": scope,
        "format": export.fmt.upper(),
        "expires_at": export_jobs.expires_at(export),
        "download_url": reverse("observatory:export_download", kwargs={"token": export.token}),
        "directory_url": directory_url,
    }


@require_GET
def export_status(request, token: str):
    export = _export_or_404(token)
    context = _context(export)
    if "application/json" in request.headers.get("Accept", ""):
        state = render_to_string("observatory/_export_state.html", context, request=request)
        response = JsonResponse({"status": export.status, "html": state})
    else:
        response = render(request, "observatory/export_status.html", context)
    # Personal to whoever holds the link: never kept by a shared cache, never indexed.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def export_download(request, token: str):
    export = _export_or_404(token)
    path = export_jobs.file_path(export)
    if export.status != DirectoryExport.Status.READY or not path.is_file():
        raise Http404("Export not ready")
    scope = scope_or_404(export.kind, export.code)
    response = FileResponse(path.open("rb"))
    response["Cache-Control"] = "private, no-store"
    return as_attachment(response, export.fmt, directory_export.filename(export.release, scope, export.fmt))
