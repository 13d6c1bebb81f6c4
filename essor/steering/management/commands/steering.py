"""`essor steering <subcommand>`: programme steering operations.

- import-action-sheet FILE [--dry-run] [--json]: parse an action sheet and import it into the roadmap (idempotent);
  --json prints the parsed sheet; errors name the file and the line;
- snapshot COMMITTEE_ID [--replace] [--dry-run]: freeze the convention's indicators for a committee or review;
- demo [--dry-run]: the real action sheet, the ANCT 2020–2022 convention with its committees (idempotent).
"""

import json

from django.core.management.base import CommandError

from essor.core.commands import Subcommand, SubcommandsCommand, input_error
from essor.steering.sheet_format import SheetFormatError


def sheet_options(parser):
    parser.add_argument("file", metavar="FILE")
    # The importer runs its own rolled-back transaction and says so in its report (on stderr with --json, so
    # that stdout stays the JSON document): hence its own --dry-run rather than the base's.
    parser.add_argument("--dry-run", action="store_true", help="Parse and report, write nothing.")
    parser.add_argument("--json", action="store_true", help="Print the parsed sheet as JSON on stdout.")


def snapshot_options(parser):
    parser.add_argument("committee", type=int, metavar="COMMITTEE_ID")
    parser.add_argument("--replace", action="store_true", help="Replace an existing snapshot.")


def import_sheet(command, *, file, dry_run=False, json=False, **options):
    from essor.steering.importer import import_file

    try:
        parsed, report = import_file(file, dry_run=dry_run)
    except FileNotFoundError:
        raise input_error("no such file", file=file) from None
    except SheetFormatError as error:
        raise input_error(error.message, file=error.path, line=error.line) from None
    out = command.stderr if json else command.stdout
    if json:
        command.stdout.write(_json(parsed.as_json()))
    out.write(f"{file}: axis {parsed.axis_number}, sheet {parsed.number}, {len(parsed.actions)} actions")
    for line in report.lines():
        out.write(f"  {line}")


def snapshot(command, *, committee, replace=False, **options):
    from essor.steering.models import Committee
    from essor.steering.snapshots import SnapshotExists, freeze

    found = Committee.objects.select_related("convention").filter(pk=committee).first()
    if found is None:
        raise CommandError(f"no committee with id {committee}")
    try:
        frozen = freeze(found, replace=replace, source="snapshot-command")
    except SnapshotExists as error:
        raise CommandError(str(error)) from None
    command.stdout.write(f"{found}: {frozen.values.count()} indicator values frozen")


def demo(command, **options):
    from essor.steering import demo as steering_demo

    for line in steering_demo.load_demo():
        command.stdout.write(f"steering demo: {line}")


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


class Command(SubcommandsCommand):
    help = "Programme steering: import action sheets, freeze indicators, demo content."
    subcommands = {
        "import-action-sheet": Subcommand(
            "Import an action sheet (text file) into the roadmap.", import_sheet, add_arguments=sheet_options
        ),
        "snapshot": Subcommand(
            "Freeze the indicators of a committee's convention.",
            snapshot,
            add_arguments=snapshot_options,
            writes=True,
        ),
        "demo": Subcommand("Load the steering demonstration content (idempotent).", demo, writes=True),
    }
