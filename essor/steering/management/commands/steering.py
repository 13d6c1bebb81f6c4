"""`essor steering <subcommand>`: programme steering operations.

- import-action-sheet FILE [--dry-run] [--json]: parse an action sheet and import it into the roadmap (idempotent);
  --json prints the parsed sheet; errors name the file and the line;
- snapshot COMMITTEE_ID [--replace]: freeze the convention's indicators for a committee or review;
- demo: the real action sheet, the ANCT 2020–2022 convention with its committees (idempotent).
"""

import json

from django.core.management.base import BaseCommand, CommandError

from essor.steering.sheet_format import SheetFormatError


class Command(BaseCommand):
    help = "Programme steering: import action sheets, freeze indicators, demo content."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
        sub.required = True
        sheet = sub.add_parser(
            "import-action-sheet", help="Import an action sheet (text file) into the roadmap."
        )
        sheet.add_argument("file", metavar="FILE")
        sheet.add_argument("--dry-run", action="store_true", help="Parse and report, write nothing.")
        sheet.add_argument("--json", action="store_true", help="Print the parsed sheet as JSON on stdout.")
        snapshot = sub.add_parser("snapshot", help="Freeze the indicators of a committee's convention.")
        snapshot.add_argument("committee", type=int, metavar="COMMITTEE_ID")
        snapshot.add_argument("--replace", action="store_true", help="Replace an existing snapshot.")
        sub.add_parser("demo", help="Load the steering demonstration content (idempotent).")

    def handle(self, *args, subcommand=None, **options):
        if subcommand == "import-action-sheet":
            return self.import_sheet(options["file"], dry_run=options["dry_run"], as_json=options["json"])
        if subcommand == "snapshot":
            return self.snapshot(options["committee"], replace=options["replace"])
        if subcommand == "demo":
            from essor.steering import demo

            for line in demo.load_demo():
                self.stdout.write(f"steering demo: {line}")

    def import_sheet(self, path, *, dry_run, as_json):
        from essor.steering.importer import import_file

        try:
            parsed, report = import_file(path, dry_run=dry_run)
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        except SheetFormatError as error:
            raise CommandError(str(error)) from None
        out = self.stderr if as_json else self.stdout
        if as_json:
            self.stdout.write(json.dumps(parsed.as_json(), ensure_ascii=False, indent=2))
        out.write(f"{path}: axis {parsed.axis_number}, sheet {parsed.number}, {len(parsed.actions)} actions")
        for line in report.lines():
            out.write(f"  {line}")

    def snapshot(self, committee_id, *, replace):
        from essor.steering.models import Committee
        from essor.steering.snapshots import SnapshotExists, freeze

        committee = Committee.objects.select_related("convention").filter(pk=committee_id).first()
        if committee is None:
            raise CommandError(f"no committee with id {committee_id}")
        try:
            snapshot = freeze(committee, replace=replace, source="snapshot-command")
        except SnapshotExists as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{committee}: {snapshot.values.count()} indicator values frozen")
