"""Release lifecycle: build aside, announce (`release_built`), switch in atomically, prune.

A release is written with status "building" while the previous one keeps serving; only one transaction flips
`is_active`. A failure, Ctrl-C or `kill -9` leaves the previous release active and intact: the half-built rows
are deleted at once (exception, Ctrl-C) or at the next run (kill -9: a "building" release found under the lock
can only be a leftover). The same input files under the same rules version give the same fingerprint, and
re-running on them changes nothing.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import hashlib
import re
import shutil
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from essor.sirene import formats, gate, rules, writer
from essor.sirene.coverage import coverage_of
from essor.sirene.models import Release, ReleaseStatus
from essor.sirene.pipeline import Pipeline, Progress
from essor.sirene.signals import release_built
from essor.territories.models import Commune

KEEP_FAILED = 10
DATE_IN_NAME = re.compile(r"(20\d\d)-?(0[1-9]|1[0-2])(?:-?([0-2]\d|3[01]))?")


class IngestBusy(Exception):
    """Another ingestion holds the lock."""


class DiskFull(Exception):
    """No space left where the ingestion writes; the message names the place and the space needed."""


# Room the work directory needs, as a multiple of the inputs: a zip member is extracted (~4x the zip), CSV is
# staged to Parquet (~0.3x the CSV), DuckDB may spill and the release's Parquet export is written.
SPACE_FACTOR = {"zip": 4.5, "csv": 0.6, "csv.gz": 3.0, "parquet": 0.5}
SPACE_MARGIN = 64 * 1024 * 1024


@dataclass
class IngestOutcome:
    release: Release
    changed: bool
    message: str


def sirene_dir() -> Path:
    path = Path(settings.DATA_DIR) / "sirene"
    path.mkdir(parents=True, exist_ok=True)
    return path


def release_dir(release_id: int) -> Path:
    return Path(settings.DATA_DIR) / "releases" / str(release_id)


@contextmanager
def ingest_lock():
    """One ingestion at a time; the OS releases the lock even after `kill -9`."""
    path = sirene_dir() / "ingest.lock"
    with path.open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IngestBusy(f"Another SIRENE ingestion is running (lock {path}).") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def fingerprint(inputs: list[formats.InputFile]) -> str:
    parts = sorted(f"{item.role}:{item.sha256}" for item in inputs) + [f"rules:{rules.RULES_VERSION}"]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def infer_vintage(inputs: list[formats.InputFile]) -> dt.date:
    """A date in a file name (2026-11-01, 20261101, 2026-11), else the establishments file's modification day."""
    for item in sorted(inputs, key=lambda i: i.role != formats.ETABLISSEMENTS):
        match = DATE_IN_NAME.search(item.path.name)
        if match:
            year, month, day = match.group(1), match.group(2), match.group(3) or "01"
            try:
                return dt.date(int(year), int(month), int(day))
            except ValueError:
                continue
    reference = next((i for i in inputs if i.role == formats.ETABLISSEMENTS), inputs[0])
    return dt.date.fromtimestamp(reference.path.stat().st_mtime)


def clean_stale() -> list[int]:
    """Releases left "building" by a killed run: delete their rows, mark them failed."""
    stale = list(Release.objects.filter(status=ReleaseStatus.BUILDING).values_list("pk", flat=True))
    for pk in stale:
        writer.delete_release_rows(pk)
        shutil.rmtree(release_dir(pk), ignore_errors=True)
        Release.objects.filter(pk=pk).update(
            status=ReleaseStatus.FAILED, is_active=False, finished_at=timezone.now(),
            error="Interrupted (found still building by the next run); its rows were deleted.",
        )  # fmt: skip
    return stale


def switch_to(release: Release) -> None:
    """The one transaction that changes what the site serves."""
    with transaction.atomic():
        now = timezone.now()
        # The release that stops serving records when it last served: pruning keeps it (the way back).
        Release.objects.filter(is_active=True).exclude(pk=release.pk).update(
            is_active=False, last_served_at=now
        )
        release.status = ReleaseStatus.READY
        release.is_active = True
        release.finished_at = release.finished_at or now
        release.last_served_at = now
        release.save(update_fields=["status", "is_active", "finished_at", "last_served_at"])


def prune() -> list[int]:
    """Keep the serving release and the one that served before it (whatever their dates); delete the other
    ready releases and old failures. A release another app protects (e.g. frozen for a study edition,
    on_delete=PROTECT) is kept whole."""
    ready = list(Release.objects.filter(status=ReleaseStatus.READY).order_by("-finished_at", "-pk"))
    active = [r for r in ready if r.is_active]
    others = [r for r in ready if not r.is_active]
    served = sorted(
        (r for r in others if r.last_served_at), key=lambda r: (r.last_served_at, r.pk), reverse=True
    )
    previous = (served or others)[:1]
    keep = {r.pk for r in active + previous}
    removed = [r.pk for r in ready if r.pk not in keep]
    failed = Release.objects.filter(status=ReleaseStatus.FAILED).order_by("-created_at", "-pk")
    removed += list(failed.values_list("pk", flat=True)[KEEP_FAILED:])
    deleted = []
    for pk in removed:
        if _protected(pk):
            continue
        # The rows go in short transactions (writer.DELETE_BATCH_ROWS): the release is neither serving nor the
        # previous one, so no page reads it while it empties.
        writer.delete_release_rows(pk)
        try:
            Release.objects.filter(pk=pk).delete()
        except ProtectedError:  # protected since the check: kept (without its rows)
            continue
        shutil.rmtree(release_dir(pk), ignore_errors=True)
        deleted.append(pk)
    return deleted


def _protected(pk: int) -> bool:
    """Does another app's row keep this release (a relation with on_delete PROTECT or RESTRICT)?"""
    for relation in Release._meta.related_objects:
        if relation.on_delete in (models.PROTECT, models.RESTRICT):
            related = relation.related_model._base_manager.filter(**{relation.field.name: pk})
            if related.exists():
                return True
    return False


def _fail(release: Release, exc: BaseException, report: dict | None = None) -> None:
    try:
        writer.delete_release_rows(release.pk)
        shutil.rmtree(release_dir(release.pk), ignore_errors=True)
    finally:
        message = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        fields = {"status": ReleaseStatus.FAILED, "is_active": False, "finished_at": timezone.now(),
                  "error": message[:5000]}  # fmt: skip
        if report:
            fields["report"] = report  # the quality report says why (the gate's reasons included)
        Release.objects.filter(pk=release.pk).update(**fields)


def clean_work_dirs() -> list[str]:
    """Work directories left by a killed run (staged files, spill): removed at the start of the next run."""
    work = sirene_dir() / "work"
    left = sorted(p.name for p in work.iterdir()) if work.is_dir() else []
    shutil.rmtree(work, ignore_errors=True)
    return left


def space_needed(inputs: list[formats.InputFile]) -> int:
    total = SPACE_MARGIN
    for item in inputs:
        size = item.size
        if item.format == "zip":
            try:
                with zipfile.ZipFile(item.path) as archive:
                    size = sum(m.file_size for m in archive.infolist())
                total += int(size * 1.2)
                continue
            except (zipfile.BadZipFile, OSError):
                pass
        total += int(size * SPACE_FACTOR[item.format])
    return total


def _human(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return str(n)


def check_space(path: Path, needed: int) -> None:
    free = shutil.disk_usage(path).free
    if free < needed:
        raise DiskFull(
            f"Not enough disk space in {path}: {_human(free)} free, about {_human(needed)} needed for these "
            "files (extraction, staging, spill, export). Free some space or set ESSOR_DATA_DIR elsewhere."
        )


def is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return "no space left on device" in str(exc).lower() or "disk quota exceeded" in str(exc).lower()


def serving_real() -> gate.Serving | None:
    release = Release.objects.filter(is_active=True, synthetic=False).first()
    if release is None or not release.summary:
        return None
    summary = release.summary
    return gate.Serving(
        release.pk, f"{release.vintage:%Y-%m-%d}", summary.get("active", 0), summary.get("ess", 0)
    )


def ingest(
    paths: dict[str, str | Path | None],
    vintage: dt.date | None = None,
    synthetic: bool = False,
    force: bool = False,
    progress: Progress | None = None,
    sample_rate: float = 1.0,
    ess_france: str | Path | None = None,
) -> IngestOutcome:
    """Build a release from the files (roles of essor.sirene.formats) and switch it in; see the module doc."""
    progress = progress or Progress()
    if not Commune.objects.exists():
        raise formats.SireneInputError(
            "The territorial reference is empty: run `essor territories load` before ingesting SIRENE files."
        )
    with ingest_lock():
        clean_stale()
        clean_work_dirs()
        started = time.perf_counter()
        progress.step("checksums")
        named = [(role, path) for role, path in paths.items() if path]
        if ess_france:
            named.append((formats.ESS_FRANCE, ess_france))
        # The files are checksummed side by side (hashlib releases the GIL on large buffers).
        with ThreadPoolExecutor(max_workers=max(1, int(settings.SIRENE_THREADS))) as pool:
            inputs = list(pool.map(lambda pair: formats.describe(*pair), named))
        progress.done()
        hashing = round(time.perf_counter() - started, 3)
        print_ = fingerprint(inputs)
        existing = Release.objects.filter(fingerprint=print_, status=ReleaseStatus.READY).first()
        if existing and not force:
            if existing.is_active:
                return IngestOutcome(existing, False, "These files were already ingested: nothing changed.")
            switch_to(existing)
            return IngestOutcome(
                existing, True, "These files were already ingested: that release serves again."
            )
        release = Release.objects.create(
            vintage=vintage or infer_vintage(inputs),
            status=ReleaseStatus.BUILDING,
            synthetic=synthetic,
            fingerprint=print_,
            rules_version=rules.RULES_VERSION,
            inputs=[item.provenance() for item in inputs],
        )
        workdir = sirene_dir() / "work" / str(release.pk)
        pipeline = None
        try:
            workdir.mkdir(parents=True, exist_ok=True)
            check_space(workdir, space_needed(inputs))
            files = [item for item in inputs if item.role != formats.ESS_FRANCE]
            pipeline = Pipeline(files, workdir, progress, ess_france_path=ess_france and Path(ess_france))
            result = pipeline.run()
            refused = gate.reasons(result.report, result.summary, pipeline.inputs, serving_real(), synthetic)
            result.report["gate"] = {
                "passed": not refused,
                "reasons": refused,
                "forced": bool(refused and force),
            }
            if refused and not force:
                raise gate.ReleaseRefused(
                    "Release not switched in (the previous one keeps serving): "
                    + "; ".join(refused)
                    + ". Check the files; `--force` switches it in anyway."
                )
            timings = {"checksums": hashing, **result.timings}
            cpu = dict(result.cpu)
            start, cpu_start = time.perf_counter(), time.process_time()
            total = pipeline.scalar(
                "SELECT (SELECT count(*) FROM out_ess) + (SELECT count(*) FROM out_counts)"
            )
            progress.step("write", total=total)
            written = writer.write_release_rows(pipeline.con, release.pk, progress.advance)
            progress.done()
            timings["write"] = round(time.perf_counter() - start, 3)
            cpu["write"] = round(time.process_time() - cpu_start, 3)
            start, cpu_start = time.perf_counter(), time.process_time()
            export_parquet(pipeline, release.pk)
            timings["export"] = round(time.perf_counter() - start, 3)
            cpu["export"] = round(time.process_time() - cpu_start, 3)
            release.inputs = [item.provenance() for item in inputs]
            release.summary = {**result.summary, "written": written}
            release.report = result.report
            release.timings = {**timings, "total": round(time.perf_counter() - started, 3), "cpu": cpu}
            located = pipeline.con.execute(
                "SELECT DISTINCT departement_code FROM out_counts WHERE departement_code <> ''"
            ).fetchall()
            release.coverage = coverage_of([row[0] for row in located], sample_rate)
            release.save(update_fields=["inputs", "summary", "report", "timings", "coverage"])
            # Receivers may read the release's rows from the pipeline's DuckDB (views of writer.create_views).
            writer.create_views(pipeline.con, release.pk)
            cpu_start = time.process_time()
            release_built.send(sender=Release, release=release, duckdb=pipeline.con)
            cpu["release_built"] = round(time.process_time() - cpu_start, 3)
            # Receivers add their own times (wall, and CPU under "cpu").
            release.timings = {**release.timings, "cpu": {**cpu, **release.timings.get("cpu", {})}}
            release.save(update_fields=["timings"])
            switch_to(release)
        except BaseException as exc:
            report = pipeline.result.report if pipeline is not None else None
            if is_disk_full(exc) and not isinstance(exc, DiskFull):
                needed = _human(space_needed(inputs))
                disk = DiskFull(
                    f"Disk full while ingesting into {workdir} ({_human(shutil.disk_usage(sirene_dir()).free)} "
                    f"free; about {needed} needed): {str(exc).splitlines()[0][:300]}"
                )
                _fail(release, disk, report)
                raise disk from exc
            _fail(release, exc, report)
            raise
        finally:
            if pipeline is not None:
                pipeline.close()
            shutil.rmtree(workdir, ignore_errors=True)
        prune()
        return IngestOutcome(release, True, "New release built and now serving.")


def export_parquet(pipeline: Pipeline, release_id: int) -> None:
    """The release's tables as Parquet, for open-data exports and any SQL engine."""
    target = release_dir(release_id)
    target.mkdir(parents=True, exist_ok=True)
    for table, name in (("out_ess", "ess_establishments"), ("out_counts", "establishment_counts")):
        path = formats.sql_literal(target / f"{name}.parquet")
        pipeline.con.execute(f"COPY {table} TO {path} (FORMAT parquet, COMPRESSION zstd)")
