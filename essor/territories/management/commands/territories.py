"""`essor territories load [--from DIR]` and `essor territories update [--dest DIR]`."""

from pathlib import Path

from essor.core.commands import Subcommand, SubcommandsCommand, input_error
from essor.territories.download import DownloadError, update_reference
from essor.territories.loader import KINDS, MAX_REMOVED_SHARE, load_reference
from essor.territories.sources import DATA_DIR, LoadError

ALLOW_REMOVALS_HELP = (
    f"accept a load that removes more than {MAX_REMOVED_SHARE * 100:.0f} %% of the régions, départements, EPCI, "
    "communes or QPV of a generation in the database (refused otherwise: an empty or truncated file)"
)


def load_options(parser):
    parser.add_argument(
        "--from", dest="source", type=Path, default=DATA_DIR, help=f"source directory (default: {DATA_DIR})"
    )
    parser.add_argument(
        "--departements", default="", help="only these départements, comma-separated (for tests and demos)"
    )
    parser.add_argument("--allow-removals", action="store_true", help=ALLOW_REMOVALS_HELP)


def update_options(parser):
    parser.add_argument("--dest", type=Path, default=None, help="where to keep the downloaded files")
    parser.add_argument("--allow-removals", action="store_true", help=ALLOW_REMOVALS_HELP)


def _progress(command, options) -> bool:
    return options.get("verbosity", 1) >= 1 and command.stdout.isatty()


def load(command, *, source, departements="", allow_removals=False, **options):
    codes = [code.strip() for code in departements.split(",") if code.strip()]
    try:
        result = load_reference(
            source,
            departements=codes or None,
            progress=_progress(command, options),
            allow_removals=allow_removals,
        )
    except LoadError as exc:
        raise _load_error(exc) from None
    report(command, result)


def update(command, *, dest, allow_removals=False, dry_run=False, **options):
    try:
        _fetched, result = update_reference(
            dest,
            log=command.stdout.write,
            progress=_progress(command, options),
            allow_removals=allow_removals,
            dry_run=dry_run,
        )
    except LoadError as exc:
        raise _load_error(exc) from None
    except DownloadError as exc:
        raise input_error(f"{exc} (nothing was changed)") from None
    report(command, result)


def _load_error(exc: LoadError):
    # A reference file is JSON or GeoJSON: the record (e.g. "commune 31555") stands where a line number would.
    message = f"{exc.record}: {exc.message}" if exc.record else exc.message
    return input_error(f"{message} (nothing was changed)", file=exc.file)


def report(command, result):
    write = command.stdout.write
    write(f"{'kind':<12} {'added':>8} {'updated':>8} {'removed':>8} {'total':>8}")
    for kind in KINDS:
        c = result.counts[kind]
        write(f"{kind:<12} {c['added']:>8} {c['updated']:>8} {c['removed']:>8} {c['total']:>8}")
    repaired = result.report.get("qpv2024_repaired", 0) + result.report.get("qpv2015_repaired", 0)
    write(f"QPV contours repaired: {repaired}")
    for line in result.report.get("qpv2024_communes_resolved", []) + result.report.get("warnings", []):
        write(f"note: {line}")
    seconds, load_id = result.seconds, result.reference_load.pk
    if result.changed:
        write(command.style.SUCCESS(f"Reference loaded in {seconds:.1f} s (load #{load_id})."))
    else:
        write(command.style.SUCCESS(f"No change ({seconds:.1f} s, load #{load_id})."))


class Command(SubcommandsCommand):
    help = "Territorial reference: load the vendored (or given) official files, or update them from upstream."
    subcommands = {
        "load": Subcommand(
            "Load régions, départements, EPCI, communes and QPV from DIR.",
            load,
            add_arguments=load_options,
            writes=True,
        ),
        "update": Subcommand(
            "Download the newest official files (ESSOR_TERRITORIES_URLS), verify, then load them.",
            update,
            add_arguments=update_options,
            writes=True,
        ),
    }
