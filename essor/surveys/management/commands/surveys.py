"""`essor surveys <subcommand>`: questionnaires, campaigns and their answers from the command line.

- list [--json]: questionnaires (versions) and campaigns with their response counts;
- import-xlsform FILE [--slug S] [--dry-run]: store an XLSForm as the next version of its questionnaire;
- export-xlsform SLUG [--version N] --out FILE: write a questionnaire version as XLSForm;
- export-responses CAMPAIGN --out FILE (.csv or .xlsx): one row per authority, one column per question, codebook;
- send-reminders [CAMPAIGN] [--dry-run]: queue reminder emails for authorities that have not submitted;
- demo [--dry-run]: the programme's two questionnaires, a closed campaign with demonstration answers, an open one.
"""

import json
from pathlib import Path

from django.core.management.base import CommandError

from essor.core.commands import Subcommand, SubcommandsCommand, input_error
from essor.surveys.definition import DefinitionError


def list_options(parser):
    parser.add_argument("--json", action="store_true", help="Print JSON.")


def import_options(parser):
    parser.add_argument("file")
    parser.add_argument("--slug", help="Questionnaire code (default: the form_id of the settings sheet).")


def export_form_options(parser):
    parser.add_argument("slug")
    parser.add_argument("--version", type=int, help="Version number (default: the latest).")
    parser.add_argument("--out", required=True)


def export_responses_options(parser):
    parser.add_argument("campaign")
    parser.add_argument("--out", required=True)
    parser.add_argument("--open-data", action="store_true", help="The anonymised open-data export.")
    parser.add_argument(
        "--decimal",
        choices=["comma", "point"],
        default="comma",
        help="CSV: ';' and 0,5 (default) or ',' and 0.5.",
    )


def reminder_options(parser):
    parser.add_argument("campaign", nargs="?")
    parser.add_argument("--days", type=int, default=7, help="At most one reminder every N days (default 7).")


def list_all(command, *, json=False, **options):
    from essor.surveys.reports import catalogue

    rows = catalogue()
    if json:
        command.stdout.write(_json(rows))
        return
    for questionnaire in rows["questionnaires"]:
        versions = ", ".join(
            f"v{v['number']}{' (frozen)' if v['frozen'] else ''}" for v in questionnaire["versions"]
        )
        command.stdout.write(
            f"questionnaire {questionnaire['slug']:<28} {versions}  {questionnaire['title']}"
        )
    for campaign in rows["campaigns"]:
        command.stdout.write(
            f"campaign      {campaign['slug']:<28} {campaign['state']:<8} {campaign['submitted']}/{campaign['invited']} "
            f"submitted  ({campaign['questionnaire']} v{campaign['version']})"
        )


def import_form(command, *, file, slug=None, **options):
    from essor.surveys.questionnaires import import_xlsform

    path = Path(file)
    if not path.exists():
        raise input_error("no such file.", file=file)
    try:
        outcome = import_xlsform(path, slug=slug)
    except DefinitionError as exc:  # the message names the sheet, the row and the column
        raise input_error(str(exc), file=file) from None
    command.stdout.write(outcome.line())


def export_form(command, *, slug, version=None, out, **options):
    from essor.surveys.models import QuestionnaireVersion
    from essor.surveys.questionnaires import export_xlsform

    versions = QuestionnaireVersion.objects.filter(questionnaire__slug=slug).order_by("-number")
    if version:
        versions = versions.filter(number=version)
    chosen = versions.first()
    if chosen is None:
        raise CommandError(f"No questionnaire {slug!r}" + (f" version {version}" if version else "") + ".")
    try:
        Path(out).write_bytes(export_xlsform(chosen))
    except DefinitionError as exc:
        raise CommandError(str(exc)) from None
    command.stdout.write(f"{chosen} written to {out}")


def export_responses(command, *, campaign, out, open_data=False, decimal="comma", **options):
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
        codebook.write_text(exports.to_csv(exports.codebook_table(found.version.parsed)), encoding="utf-8")
        command.stdout.write(f"{len(table.rows)} response(s) written to {out}; codebook in {codebook}")
    else:
        Path(out).write_bytes(exports.to_xlsx(found, table))
        command.stdout.write(f"{len(table.rows)} response(s) written to {out} (sheets: responses, codebook)")


def send_reminders(command, *, campaign=None, days=7, **options):
    from essor.surveys.models import Campaign
    from essor.surveys.notifications import send_reminders as queue_reminders

    campaigns = Campaign.objects.all() if campaign is None else Campaign.objects.filter(slug=campaign)
    total = 0
    for item in campaigns:
        count = queue_reminders(item, min_days_between=days)
        total += count
        if count:
            command.stdout.write(f"{item.slug}: {count} reminder(s) queued")
    command.stdout.write(f"{total} reminder email(s) queued.")


def demo(command, **options):
    from essor.surveys import demo as surveys_demo

    for line in surveys_demo.load_demo():
        command.stdout.write(line)


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


class Command(SubcommandsCommand):
    help = "Surveys: list, import and export XLSForm questionnaires, export responses, reminders, demo."
    subcommands = {
        "list": Subcommand("Questionnaires and campaigns.", list_all, add_arguments=list_options),
        "import-xlsform": Subcommand(
            "Import an XLSForm as the next version of a questionnaire.",
            import_form,
            add_arguments=import_options,
            writes=True,
        ),
        "export-xlsform": Subcommand(
            "Export a questionnaire version as XLSForm.", export_form, add_arguments=export_form_options
        ),
        "export-responses": Subcommand(
            "Export a campaign's responses (.csv or .xlsx).",
            export_responses,
            add_arguments=export_responses_options,
        ),
        "send-reminders": Subcommand(
            "Queue reminders for open campaigns.", send_reminders, add_arguments=reminder_options, writes=True
        ),
        "demo": Subcommand(
            "Load the demonstration questionnaires, campaigns and answers (idempotent).", demo, writes=True
        ),
    }
