"""`essor sirene <subcommand>`: the SIRENE pipeline's operations (ingest, releases, and more).

Subcommands live in essor/sirene/cli/<name>.py (see that package's docstring), so each can be added on its own.
"""

from django.core.management.base import BaseCommand, CommandError

from essor.sirene.cli import subcommands


class Command(BaseCommand):
    help = "SIRENE pipeline: ingest the INSEE files into a release, list releases, and related operations."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
        sub.required = True
        for name, module in subcommands().items():
            subparser = sub.add_parser(
                name, help=getattr(module, "HELP", ""), description=getattr(module, "HELP", "")
            )
            module.add_arguments(subparser)

    def handle(self, *args, subcommand=None, **options):
        modules = subcommands()
        if subcommand not in modules:
            raise CommandError(f"Unknown subcommand {subcommand!r}; choose one of: {', '.join(modules)}.")
        return modules[subcommand].run(self, **options)
