"""`essor resources <subcommand>`: load the real catalogue of resources and experiences, and the demo analysis grid."""

from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from essor.core.commands import Subcommand, SubcommandsCommand, input_error
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


def catalogue_options(parser):
    parser.add_argument(
        "--from",
        dest="source_dir",
        type=Path,
        default=DEFAULT_DIR,
        help=f"Folder holding ressources.csv and experiences.csv (default: {DEFAULT_DIR}).",
    )
    parser.add_argument(
        "--allow-removals",
        action="store_true",
        help="Accept a load that unpublishes more than 10 %% of the published catalogue rows of a file.",
    )


def load_catalogue(command, *, source_dir, allow_removals=False, **options):
    try:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            disable=options.get("verbosity", 1) < 1,
        ) as progress:
            report = load_real_catalogue(
                source_dir, progress=RichProgress(progress), allow_removals=allow_removals
            )
    except CatalogueError as exc:
        raise input_error(exc.message, file=exc.file, line=exc.line, field=exc.column) from None
    for line in report.lines():
        command.stdout.write(line)


def load_demo(command, **options):
    for line in load_demo_content().lines():
        command.stdout.write(line)


class Command(SubcommandsCommand):
    help = "Resource bundle and experiences: load the real catalogue, or the demonstration analysis grid."
    subcommands = {
        "load-catalogue": Subcommand(
            "Load ressources.csv and experiences.csv (idempotent).",
            load_catalogue,
            add_arguments=catalogue_options,
            writes=True,
        ),
        "load-demo": Subcommand(
            "Load the demonstration analysis grid, scores and collections.", load_demo, writes=True
        ),
    }
