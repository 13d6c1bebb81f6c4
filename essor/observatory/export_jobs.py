"""Large directory exports, written by the task worker so that a national export (~40,000 rows) never holds a web
worker: the view records a DirectoryExport and enqueues `write_export`; the visitor gets a page that says when the
file is ready, with its link. The file is the immediate export's (directory_export.chunks), in the visitor's
language. Files live under ESSOR_DATA_DIR/exports (never served as static media): only the unguessable token of
the export reaches them, until ESSOR_DIRECTORY_EXPORT_HOURS have passed; every new export removes expired ones."""

import logging
import os
import secrets
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation

from essor.observatory import directory, directory_export
from essor.observatory.models import DirectoryExport
from essor.observatory.scope import get_scope

logger = logging.getLogger("essor.observatory")


def needs_background(rows: int) -> bool:
    return rows > settings.ESSOR_DIRECTORY_EXPORT_BACKGROUND_ROWS


def exports_dir() -> Path:
    return Path(settings.DATA_DIR) / "exports"


def file_path(export: DirectoryExport) -> Path:
    return exports_dir() / f"{export.token}.{export.fmt}"


def expires_at(export: DirectoryExport):
    return export.created_at + timedelta(hours=settings.ESSOR_DIRECTORY_EXPORT_HOURS)


def is_expired(export: DirectoryExport) -> bool:
    return timezone.now() >= expires_at(export)


def start(release, scope, filters: directory.DirectoryFilters, fmt: str, decimal: str, rows: int):
    """Record the export and have the worker write it (once the row is committed)."""
    remove_expired()
    export = DirectoryExport.objects.create(
        token=secrets.token_urlsafe(32),
        release=release,
        kind=scope.kind,
        code=scope.code,
        fmt=fmt,
        filters=filters.as_params(),
        decimal=decimal,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        rows=rows,
    )
    transaction.on_commit(lambda: write_export.enqueue(export.pk))
    return export


@task
def write_export(export_id: int) -> None:
    export = DirectoryExport.objects.select_related("release").filter(pk=export_id).first()
    if export is None or export.status != DirectoryExport.Status.PENDING:
        return
    target = file_path(export)
    partial = target.with_name(target.name + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with translation.override(export.language):
            scope = get_scope(export.kind, export.code)
            filters = directory.DirectoryFilters.parse(export.filters)
            with partial.open("wb") as out:
                for chunk in directory_export.chunks(
                    export.release, scope, filters, export.fmt, export.decimal
                ):
                    out.write(chunk.encode() if isinstance(chunk, str) else chunk)
        os.replace(partial, target)  # the link never serves a half-written file
    except Exception:
        logger.exception("Directory export %s failed", export.pk)
        partial.unlink(missing_ok=True)
        export.status = DirectoryExport.Status.FAILED
    else:
        export.status = DirectoryExport.Status.READY
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "finished_at"])


def remove_expired() -> int:
    """Delete the exports past their time and their files (and files no export names any more)."""
    limit = timezone.now() - timedelta(hours=settings.ESSOR_DIRECTORY_EXPORT_HOURS)
    expired = list(DirectoryExport.objects.filter(created_at__lte=limit))
    for export in expired:
        file_path(export).unlink(missing_ok=True)
    DirectoryExport.objects.filter(pk__in=[export.pk for export in expired]).delete()
    folder = exports_dir()
    if folder.is_dir():
        known = set(DirectoryExport.objects.values_list("token", flat=True))
        for path in folder.iterdir():
            # Tokens hold no dot: "<token>.csv", "<token>.csv.part".
            if path.name.split(".")[0] not in known and path.stat().st_mtime < limit.timestamp():
                path.unlink(missing_ok=True)
    return len(expired)
