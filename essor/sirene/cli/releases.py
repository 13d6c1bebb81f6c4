"""`essor sirene releases`: list the releases (vintage, status, serving, counts, duration)."""

from essor.sirene.summary import console_for, print_releases

HELP = "List SIRENE releases with their status, vintage, counts and quality headline."


def add_arguments(parser):
    parser.add_argument("--limit", type=int, default=20, help="How many releases to show (latest first).")


def run(command, *, limit=20, **options):
    print_releases(console_for(command.stdout), limit=limit)
