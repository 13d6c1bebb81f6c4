"""`essor surveys <subcommand>`: questionnaires, campaigns and their answers from the command line.

- list [--json]: questionnaires (versions) and campaigns with their response counts;
- import-xlsform FILE [--slug S]: store an XLSForm as the next version of its questionnaire;
- export-xlsform SLUG [--version N] --out FILE: write a questionnaire version as XLSForm;
- export-responses CAMPAIGN --out FILE (.csv or .xlsx): one row per authority, one column per question, codebook;
- send-reminders [CAMPAIGN]: queue reminder emails for authorities that have not submitted;
- demo: the programme's two questionnaires, a closed campaign with demonstration answers, an open campaign.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from essor.surveys.definition import DefinitionError


class Command(BaseCommand):
    help = "Surveys: list, import and export XLSForm questionnaires, export responses, reminders, demo."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
        sub.required = True
        listing = sub.add_parser("list", help="Questionnaires and campaigns.")
        listing.add_argument("--json", action="store_true", help="Print JSON.")
        importing = sub.add_parser(
            "import-xlsform", help="Import an XLSForm as the next version of a questionnaire."
        )
        importing.add_argument("file")
        importing.add_argument(
            "--slug", help="Questionnaire code (default: the form_id of the settings sheet)."
        )
        exporting = sub.add_parser("export-xlsform", help="Export a questionnaire version as XLSForm.")
        exporting.add_argument("slug")
        exporting.add_argument("--version", type=int, help="Version number (default: the latest).")
        exporting.add_argument("--out", required=True)
        responses = sub.add_parser("export-responses", help="Export a campaign's responses (.csv or .xlsx).")
        responses.add_argument("campaign")
        responses.add_argument("--out", required=True)
        responses.add_argument("--open-data", action="store_true", help="The anonymised open-data export.")
        responses.add_argument(
            "--decimal",
            choices=["comma", "point"],
            default="comma",
            help="CSV: ';' and 0,5 (default) or ',' and 0.5.",
        )
        reminders = sub.add_parser("send-reminders", help="Queue reminders for open campaigns.")
        reminders.add_argument("campaign", nargs="?")
        reminders.add_argument(
            "--days", type=int, default=7, help="At most one reminder every N days (default 7)."
        )
        sub.add_parser(
            "demo", help="Load the demonstration questionnaires, campaigns and answers (idempotent)."
        )

    def handle(self, *args, subcommand=None, **options):
        handler = getattr(self, "do_" + subcommand.replace("-", "_"))
        try:
            return handler(**options)
        except DefinitionError as exc:
            raise CommandError(str(exc)) from None

    def do_list(self, json=False, **options):
        from essor.surveys.reports import catalogue

        rows = catalogue()
        if json:
            self.stdout.write(_json(rows))
            return
        for questionnaire in rows["questionnaires"]:
            versions = ", ".join(
                f"v{v['number']}{' (frozen)' if v['frozen'] else ''}" for v in questionnaire["versions"]
            )
            self.stdout.write(
                f"questionnaire {questionnaire['slug']:<28} {versions}  {questionnaire['title']}"
            )
        for campaign in rows["campaigns"]:
            self.stdout.write(
                f"campaign      {campaign['slug']:<28} {campaign['state']:<8} {campaign['submitted']}/{campaign['invited']} "
                f"submitted  ({campaign['questionnaire']} v{campaign['version']})"
            )

    def do_import_xlsform(self, file, slug=None, **options):
        from essor.surveys.questionnaires import import_xlsform

        path = Path(file)
        if not path.exists():
            raise CommandError(f"{file}: no such file.")
        outcome = import_xlsform(path, slug=slug)
        self.stdout.write(outcome.line())

    def do_export_xlsform(self, slug, version=None, out=None, **options):
        from essor.surveys.models import QuestionnaireVersion
        from essor.surveys.questionnaires import export_xlsform

        versions = QuestionnaireVersion.objects.filter(questionnaire__slug=slug).order_by("-number")
        if version:
            versions = versions.filter(number=version)
        chosen = versions.first()
        if chosen is None:
            raise CommandError(
                f"No questionnaire {slug!r}" + (f" version {version}" if version else "") + "."
            )
        Path(out).write_bytes(export_xlsform(chosen))
        self.stdout.write(f"{chosen} written to {out}")

    def do_export_responses(self, campaign, out=None, open_data=False, decimal="comma", **options):
        from essor.surveys import exports
        from essor.surveys.models import Campaign

        found = Campaign.objects.filter(slug=campaign).first()
        if found is None:
            raise CommandError(f"No campaign {campaign!r}: see `essor surveys list`.")
        if open_data and not found.open_data:
            raise CommandError(f"Campaign {campaign!r} does not allow an open-data export.")
        suffix = Path(out).suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise CommandError("--out must end in .csv or .xlsx.")
        table = exports.response_table(found, anonymised=open_data)
        if suffix == ".csv":
            Path(out).write_text(exports.to_csv(table), encoding="utf-8")
            codebook = Path(out).with_name(Path(out).stem + "-codebook.csv")
            codebook.write_text(
                exports.to_csv(exports.codebook_table(found.version.parsed)), encoding="utf-8"
            )
            self.stdout.write(f"{len(table.rows)} response(s) written to {out}; codebook in {codebook}")
        else:
            Path(out).write_bytes(exports.to_xlsx(found, table))
            self.stdout.write(f"{len(table.rows)} response(s) written to {out} (sheets: responses, codebook)")

    def do_send_reminders(self, campaign=None, days=7, **options):
        from essor.surveys.models import Campaign
        from essor.surveys.notifications import send_reminders

        campaigns = Campaign.objects.all() if campaign is None else Campaign.objects.filter(slug=campaign)
        total = 0
        for item in campaigns:
            count = send_reminders(item, min_days_between=days)
            total += count
            if count:
                self.stdout.write(f"{item.slug}: {count} reminder(s) queued")
        self.stdout.write(f"{total} reminder email(s) queued.")

    def do_demo(self, **options):
        from essor.surveys import demo

        for line in demo.load_demo():
            self.stdout.write(line)


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
