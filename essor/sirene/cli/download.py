"""`essor sirene download`: fetch the three current SIRENE files from data.gouv.fr (see essor.sirene.download)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from essor.sirene.download import DownloadError, describe_choice, download, ingest_command_line

HELP = "Download StockUniteLegale, StockEtablissement and the geolocation file (resumable, verified)."


def add_arguments(parser):
    parser.add_argument(
        "--dest", metavar="DIR", help="Where to put the files (default: DATA_DIR/sirene/downloads)"
    )
    parser.add_argument(
        "--format", choices=("parquet", "csv"), default="parquet",
        help="preferred format: parquet (smaller, default) or csv (zipped); the other one when it is missing",
    )  # fmt: skip


def run(command, **options):
    dest = Path(options.get("dest") or Path(settings.DATA_DIR) / "sirene" / "downloads")
    console = Console(file=command.stdout)
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
               TimeRemainingColumn())  # fmt: skip
    with Progress(*columns, console=console) as bar:
        tasks = {}

        def report(name, done, total):
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=total)
            bar.update(tasks[name], completed=done, total=total)

        try:
            results = download(dest, fmt=options["format"], progress=report)
        except DownloadError as exc:
            raise CommandError(str(exc)) from None
    for resource, path, fetched in results:
        state = "downloaded and verified" if fetched else "already there, unchanged"
        command.stdout.write(f"{describe_choice(resource)}\n  -> {path} ({state})")
    # Plain output, never wrapped: the line is meant to be copied into a shell.
    command.stdout.write("Next: " + ingest_command_line(dest))
