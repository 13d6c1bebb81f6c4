"""`essor sirene releases`: list the releases (vintage, status, serving, counts, duration)."""

from rich.console import Console

from essor.sirene.summary import print_releases

HELP = "List SIRENE releases with their status, vintage, counts and quality headline."


def add_arguments(parser):
    parser.add_argument("--limit", type=int, default=20, help="How many releases to show (latest first).")


def run(command, *, limit=20, **options):
    print_releases(Console(file=command.stdout), limit=limit)
