"""`essor territories load [--from DIR]` and `essor territories update [--dest DIR]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from essor.territories.download import DownloadError, update_reference
from essor.territories.loader import KINDS, MAX_REMOVED_SHARE, load_reference
from essor.territories.sources import DATA_DIR, LoadError

ALLOW_REMOVALS_HELP = (
    f"accept a load that removes more than {MAX_REMOVED_SHARE * 100:.0f} %% of the régions, départements, EPCI, "
    "communes or QPV of a generation in the database (refused otherwise: an empty or truncated file)"
)


class Command(BaseCommand):
    help = "Territorial reference: load the vendored (or given) official files, or update them from upstream."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
        sub.required = True
        load = sub.add_parser("load", help="Load régions, départements, EPCI, communes and QPV from DIR.")
        load.add_argument(
            "--from",
            dest="source",
            type=Path,
            default=DATA_DIR,
            help=f"source directory (default: {DATA_DIR})",
        )
        load.add_argument(
            "--departements",
            default="",
            help="only these départements, comma-separated (for tests and demos)",
        )
        load.add_argument("--allow-removals", action="store_true", help=ALLOW_REMOVALS_HELP)
        update = sub.add_parser(
            "update",
            help="Download the newest official files (ESSOR_TERRITORIES_URLS), verify, then load them.",
        )
        update.add_argument("--dest", type=Path, default=None, help="where to keep the downloaded files")
        update.add_argument("--allow-removals", action="store_true", help=ALLOW_REMOVALS_HELP)

    def handle(self, *args, subcommand=None, **options):
        progress = options.get("verbosity", 1) >= 1 and self.stdout.isatty()
        departements = [code.strip() for code in options.get("departements", "").split(",") if code.strip()]
        try:
            if subcommand == "update":
                _fetched, result = update_reference(
                    options["dest"],
                    log=self.stdout.write,
                    progress=progress,
                    allow_removals=options["allow_removals"],
                )
            else:
                result = load_reference(
                    options["source"],
                    departements=departements or None,
                    progress=progress,
                    allow_removals=options["allow_removals"],
                )
        except (DownloadError, LoadError) as exc:
            raise CommandError(f"{exc} (nothing was changed)") from None
        self.report(result)

    def report(self, result):
        write = self.stdout.write
        write(f"{'kind':<12} {'added':>8} {'updated':>8} {'removed':>8} {'total':>8}")
        for kind in KINDS:
            c = result.counts[kind]
            write(f"{kind:<12} {c['added']:>8} {c['updated']:>8} {c['removed']:>8} {c['total']:>8}")
        repaired = result.report.get("qpv2024_repaired", 0) + result.report.get("qpv2015_repaired", 0)
        write(f"QPV contours repaired: {repaired}")
        for line in result.report.get("qpv2024_communes_resolved", []) + result.report.get("warnings", []):
            write(f"note: {line}")
        if result.changed:
            write(
                self.style.SUCCESS(
                    f"Reference loaded in {result.seconds:.1f} s (load #{result.reference_load.pk})."
                )
            )
        else:
            write(
                self.style.SUCCESS(f"No change ({result.seconds:.1f} s, load #{result.reference_load.pk}).")
            )
