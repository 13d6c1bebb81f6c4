"""`essor hub <subcommand>`: the training hub's operations.

- demo: the real catalogue of resources and experiences, then demonstration organisations, people, a path,
  sessions, registrations and evaluations (idempotent);
- send-reminders: queue reminder emails for sessions starting soon;
- send-evaluations: queue evaluation invitations for sessions that ended.
"""

from essor.core.commands import Subcommand, SubcommandsCommand
from essor.resources.catalogue import load_real_catalogue
from essor.resources.demo import load_demo_content
from essor.trainings import demo, notifications


def reminder_options(parser):
    parser.add_argument("--hours", type=int, default=48, help="Look-ahead window in hours (default 48).")


def evaluation_options(parser):
    parser.add_argument(
        "--within-days",
        type=int,
        default=30,
        help="Only sessions that ended in the last N days (default 30).",
    )


def send_reminders(command, *, hours, **options):
    count = notifications.send_reminders(hours=hours)
    command.stdout.write(f"{count} reminder email(s) queued.")


def send_evaluations(command, *, within_days, **options):
    count = notifications.send_evaluation_invitations(within_days=within_days)
    command.stdout.write(f"{count} evaluation invitation(s) queued.")


def load_demo(command, **options):
    demo.ensure_organisations()
    for label, loader in (
        ("real catalogue", load_real_catalogue),
        ("resources demo content", load_demo_content),
    ):
        report = loader()
        lines = report.lines() if hasattr(report, "lines") else [str(report)]
        for line in lines:
            command.stdout.write(f"{label}: {line}")
    report = demo.load_demo()
    for key, value in report.counts.items():
        command.stdout.write(f"hub demo: {key}: {value}")
    command.stdout.write(
        command.style.SUCCESS("Hub demonstration content ready. Demo accounts (demo only!):")
    )
    for email, password, role in demo.DEMO_ACCOUNTS:
        command.stdout.write(f"  {role:<16} {email:<34} {password}")


class Command(SubcommandsCommand):
    help = "Training hub: demo content, reminder emails, evaluation invitations."
    subcommands = {
        "demo": Subcommand(
            "Load the catalogue and the demonstration hub content (idempotent).", load_demo, writes=True
        ),
        "send-reminders": Subcommand(
            "Queue reminders for sessions starting soon.",
            send_reminders,
            add_arguments=reminder_options,
            writes=True,
        ),
        "send-evaluations": Subcommand(
            "Queue evaluation invitations after sessions.",
            send_evaluations,
            add_arguments=evaluation_options,
            writes=True,
        ),
    }
