"""`essor sirene demo`: synthesise and ingest the demonstration release (all of France, a 1/200 sample, marked synthetic)."""

from rich.console import Console

from essor.sirene import demo
from essor.sirene.cli._ingest_impl import RichProgress
from essor.sirene.summary import print_summary

HELP = "Load SYNTHETIC establishments for every département (a 1/200 sample of France) as one release (idempotent)."


def add_arguments(parser):
    parser.add_argument("--scale", type=float, default=demo.SCALE, help=f"Size (default {demo.SCALE:g})")
    parser.add_argument(
        "--establishments", type=int, metavar="N", help="Exact number of establishments instead"
    )


class DemoProgress(RichProgress):
    def note(self, message):
        self.bar.console.print(f"  synthetic files: {message}")


def run(command, *, scale=demo.SCALE, establishments=None, **options):
    console = Console(file=command.stdout)
    progress = DemoProgress(console)
    with progress.bar:
        outcome = demo.run_demo(scale=scale, establishments=establishments, progress=progress)
    console.print(outcome.message)
    if outcome.release is not None and outcome.changed:
        print_summary(console, outcome.release)
    console.print(
        "These establishments are SYNTHETIC (invented, in INSEE's formats). To load the real files: "
        "`essor sirene download`, then the `essor sirene ingest ...` command it prints."
    )
