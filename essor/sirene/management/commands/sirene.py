"""`essor sirene <subcommand>`: the SIRENE pipeline's operations (ingest, releases, and more).

Subcommands live in essor/sirene/cli/<name>.py (see that package's docstring), so each can be added on its own;
they are dispatched like every other command's (essor.core.commands).
"""

from essor.core.commands import Subcommand, SubcommandsCommand
from essor.sirene.cli import subcommands


class Command(SubcommandsCommand):
    help = "SIRENE pipeline: ingest the INSEE files into a release, list releases, and related operations."

    def get_subcommands(self) -> dict[str, Subcommand]:
        return {
            name: Subcommand(getattr(module, "HELP", ""), module.run, add_arguments=module.add_arguments)
            for name, module in subcommands().items()
        }
