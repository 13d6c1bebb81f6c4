"""One style for management commands: `essor APP SUBCOMMAND [options]`.

    class Command(SubcommandsCommand):
        help = "Training hub: ..."
        subcommands = {
            "demo": Subcommand("Load the demonstration content.", run_demo, writes=True),
            "send-reminders": Subcommand("Queue reminders.", run_reminders, add_arguments=reminder_options),
        }

A command with no subcommand (`essor indicators KIND:CODE`) derives from `SingleCommand` and declares
`action = Subcommand(help, run, ...)`: the same options, dry run and logging.

`run(command, **options)` does the work through domain modules and prints with `command.stdout` / `command.style`;
it raises CommandError (`input_error` names the file, line and field of a bad input). A subcommand that only
writes to the database says `writes=True` and gets `--dry-run`: it runs in a transaction rolled back at the end,
so the counts it prints are those a real run would write. Every subcommand logs to the `essor` logger at the
level of `-v` (0: warnings, 1: info, 2-3: debug).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

LOG_LEVELS = {0: logging.WARNING, 1: logging.INFO, 2: logging.DEBUG, 3: logging.DEBUG}


@dataclass(frozen=True)
class Subcommand:
    help: str
    run: Callable[..., object]
    add_arguments: Callable[..., None] | None = None
    writes: bool = False  # True: database writes only, offered with --dry-run (rolled back)


class DryRunRollback(Exception):
    """Raised at the end of a dry run to roll its transaction back."""


def input_error(
    message: str, *, file=None, line: int | None = None, field: str | None = None
) -> CommandError:
    """`FILE:LINE: field FIELD: message` (whichever parts are known), the one form of a bad-input error."""
    where = ":".join(str(part) for part in (file, line) if part is not None)
    prefix = f"{where}: " if where else ""
    field_part = f"field {field}: " if field else ""
    return CommandError(f"{prefix}{field_part}{message}")


def _add_options(parser, subcommand: Subcommand) -> None:
    if subcommand.add_arguments is not None:
        subcommand.add_arguments(parser)
    if subcommand.writes:
        parser.add_argument(
            "--dry-run", action="store_true", help="Do everything, report, then write nothing."
        )


def _run(command: BaseCommand, subcommand: Subcommand, options: dict):
    logging.getLogger("essor").setLevel(LOG_LEVELS.get(options.get("verbosity", 1), logging.INFO))
    if not (subcommand.writes and options.get("dry_run")):
        return subcommand.run(command, **options)
    try:
        with transaction.atomic():
            subcommand.run(command, **options)
            raise DryRunRollback
    except DryRunRollback:
        command.stdout.write(command.style.WARNING("Dry run: nothing was written."))


class SubcommandsCommand(BaseCommand):
    subcommands: dict[str, Subcommand] = {}

    def get_subcommands(self) -> dict[str, Subcommand]:
        return self.subcommands

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
        sub.required = True
        for name, subcommand in self.get_subcommands().items():
            _add_options(sub.add_parser(name, help=subcommand.help, description=subcommand.help), subcommand)

    def handle(self, *args, subcommand=None, **options):
        subcommands = self.get_subcommands()
        if subcommand not in subcommands:
            raise CommandError(f"Unknown subcommand {subcommand!r}; choose one of: {', '.join(subcommands)}.")
        return _run(self, subcommands[subcommand], options)


class SingleCommand(BaseCommand):
    action: Subcommand

    @property
    def help(self) -> str:  # type: ignore[override]  # Django reads it to describe the command
        return self.action.help

    def add_arguments(self, parser):
        _add_options(parser, self.action)

    def handle(self, *args, **options):
        return _run(self, self.action, options)
