"""The body of `essor sirene ingest`: rich progress bars around essor.sirene.release.ingest, then a summary."""

from __future__ import annotations

import datetime as dt
import signal
from contextlib import contextmanager

from django.core.management.base import CommandError
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from essor.sirene import formats
from essor.sirene.folder import find_inputs
from essor.sirene.pipeline import Progress as PipelineProgress
from essor.sirene.release import DiskFull, IngestBusy, ingest
from essor.sirene.summary import console_for, print_summary

STEP_LABELS = {
    "checksums": "Checksums of the input files",
    "stage": "Reading and checking the input files",
    "reference": "Loading communes and QPV contours",
    "units": "Legal units: ESS classification",
    "establishments": "Active establishments: joins and checks",
    "geolocation": "Geolocation and INSEE QPV codes",
    "geometry": "Point-in-polygon and 300 m band",
    "outputs": "Counts and ESS directory",
    "write": "Writing the release to the database",
}


class RichProgress(PipelineProgress):
    def __init__(self, console: Console):
        self.bar = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=console, transient=False,
        )  # fmt: skip
        self.task = None

    def step(self, name, total=None):
        self.done()
        self.task = self.bar.add_task(STEP_LABELS.get(name, name), total=total)

    def set_total(self, total):
        if self.task is not None:
            self.bar.update(self.task, total=total)

    def advance(self, amount=1):
        if self.task is not None:
            self.bar.advance(self.task, amount)

    def done(self):
        if self.task is not None:
            task = self.bar.tasks[self.task]
            self.bar.update(self.task, total=task.total or 1, completed=task.total or 1)
            self.task = None


def parse_vintage(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--vintage {text!r} is not a date (YYYY-MM-DD).") from None


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C: the release being built is cleaned up and the previous one keeps serving."""


@contextmanager
def sigterm_as_interrupt():
    def handler(signum, frame):
        raise Terminated

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def ingest_command(command, **options):
    console = console_for(command.stdout)
    progress = RichProgress(console)
    paths = {
        formats.UNITES_LEGALES: options.get("unites_legales"),
        formats.ETABLISSEMENTS: options.get("etablissements"),
        formats.GEOLOCALISATION: options.get("geolocalisation"),
    }
    vintage = parse_vintage(options.get("vintage"))
    try:
        if options.get("from_dir"):
            found = find_inputs(options["from_dir"])
            paths = {**found.paths, **{role: path for role, path in paths.items() if path}}
            vintage = vintage or found.vintage
            for role, path in sorted(paths.items()):
                console.print(f"{formats.ROLE_LABELS[role]}: {path}")
        elif not (paths[formats.UNITES_LEGALES] and paths[formats.ETABLISSEMENTS]):
            raise CommandError("Give --from DIR, or --unites-legales FILE and --etablissements FILE.")
        with sigterm_as_interrupt(), progress.bar:
            outcome = ingest(
                paths,
                vintage=vintage,
                synthetic=options.get("synthetic", False),
                force=options.get("force", False),
                progress=progress,
                ess_france=options.get("ess_france"),
            )
    except (formats.SireneInputError, IngestBusy) as exc:
        raise CommandError(str(exc)) from None
    except DiskFull as exc:
        raise CommandError(f"Disk full: {exc}") from None
    except KeyboardInterrupt as exc:
        signal_name = "SIGTERM" if isinstance(exc, Terminated) else "Ctrl-C"
        raise CommandError(
            f"Interrupted ({signal_name}): the release being built was removed; the previous release keeps serving."
        ) from None
    console.print(outcome.message)
    print_summary(console, outcome.release)
