"""`essor hub <subcommand>`: the training hub's operations.

- demo: the real catalogue of resources and experiences, then demonstration organisations, people, a path,
  sessions, registrations and evaluations (idempotent);
- send-reminders: queue reminder emails for sessions starting soon;
- send-evaluations: queue evaluation invitations for sessions that ended.
"""

from django.core.management.base import BaseCommand

from essor.trainings import notifications


class Command(BaseCommand):
    help = "Training hub: demo content, reminder emails, evaluation invitations."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
        sub.required = True
        sub.add_parser("demo", help="Load the catalogue and the demonstration hub content (idempotent).")
        reminders = sub.add_parser("send-reminders", help="Queue reminders for sessions starting soon.")
        reminders.add_argument(
            "--hours", type=int, default=48, help="Look-ahead window in hours (default 48)."
        )
        evaluations = sub.add_parser("send-evaluations", help="Queue evaluation invitations after sessions.")
        evaluations.add_argument(
            "--within-days",
            type=int,
            default=30,
            help="Only sessions that ended in the last N days (default 30).",
        )

    def handle(self, *args, subcommand=None, **options):
        if subcommand == "demo":
            return self.demo()
        if subcommand == "send-reminders":
            count = notifications.send_reminders(hours=options["hours"])
            self.stdout.write(f"{count} reminder email(s) queued.")
        elif subcommand == "send-evaluations":
            count = notifications.send_evaluation_invitations(within_days=options["within_days"])
            self.stdout.write(f"{count} evaluation invitation(s) queued.")

    def demo(self):
        from essor.trainings import demo

        demo.ensure_organisations()
        for label, loader in (
            ("real catalogue", "essor.resources.catalogue.load_real_catalogue"),
            ("resources demo content", "essor.resources.demo.load_demo_content"),
        ):
            function = _optional(loader)
            if function is None:
                self.stderr.write(self.style.WARNING(f"Skipped the {label}: {loader} is not available yet."))
                continue
            report = function()
            lines = report.lines() if hasattr(report, "lines") else [str(report)]
            for line in lines:
                self.stdout.write(f"{label}: {line}")
        report = demo.load_demo()
        for key, value in report.counts.items():
            self.stdout.write(f"hub demo: {key}: {value}")
        self.stdout.write(self.style.SUCCESS("Hub demonstration content ready. Demo accounts (demo only!):"))
        for email, password, role in demo.DEMO_ACCOUNTS:
            self.stdout.write(f"  {role:<16} {email:<34} {password}")


def _optional(dotted: str):
    module_name, _, name = dotted.rpartition(".")
    try:
        from importlib import import_module

        return getattr(import_module(module_name), name)
    except (ImportError, AttributeError):
        return None
