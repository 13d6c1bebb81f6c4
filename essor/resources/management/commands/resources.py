"""`essor resources <subcommand>`: load the real catalogue of resources and experiences, and the demo analysis grid."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from essor.resources.catalogue import DEFAULT_DIR, CatalogueError, load_real_catalogue
from essor.resources.demo import load_demo_content


class RichProgress:
    """Adapter from the loader's start/advance calls to a rich progress bar."""

    def __init__(self, progress: Progress):
        self.progress, self.task = progress, None

    def start(self, label: str, total: int):
        self.task = self.progress.add_task(label, total=total)

    def advance(self):
        self.progress.advance(self.task)


class Command(BaseCommand):
    help = "Resource bundle and experiences: load the real catalogue, or the demonstration analysis grid."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
        sub.required = True
        load = sub.add_parser("load-catalogue", help="Load ressources.csv and experiences.csv (idempotent).")
        load.add_argument(
            "--from",
            dest="source_dir",
            type=Path,
            default=DEFAULT_DIR,
            help=f"Folder holding ressources.csv and experiences.csv (default: {DEFAULT_DIR}).",
        )
        load.add_argument(
            "--allow-removals",
            action="store_true",
            help="Accept a load that unpublishes more than 10 %% of the published catalogue rows of a file.",
        )
        sub.add_parser("load-demo", help="Load the demonstration analysis grid, scores and collections.")

    def handle(self, *args, subcommand=None, source_dir=None, **options):
        if subcommand == "load-catalogue":
            try:
                with Progress(
                    TextColumn("{task.description}"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    disable=options.get("verbosity", 1) < 1,
                ) as progress:
                    report = load_real_catalogue(
                        source_dir,
                        progress=RichProgress(progress),
                        allow_removals=options.get("allow_removals", False),
                    )
            except CatalogueError as exc:
                raise CommandError(str(exc)) from exc
            for line in report.lines():
                self.stdout.write(line)
        elif subcommand == "load-demo":
            for line in load_demo_content().lines():
                self.stdout.write(line)
