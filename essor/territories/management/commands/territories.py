"""`essor territories load [--from DIR]`, `essor territories update [--dest DIR]` and
`essor territories population --from FILE | --demo`."""

from pathlib import Path

from django.conf import settings

from essor.core.commands import Subcommand, SubcommandsCommand, input_error
from essor.territories import qpv_population, synthetic_population
from essor.territories.download import DownloadError, update_reference
from essor.territories.loader import KINDS, MAX_REMOVED_SHARE, load_reference
from essor.territories.models import Qpv
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


def population_options(parser):
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument(
        "--from", dest="source", type=Path, help="INSEE's QPV 2024 population file (CSV, XLSX or ZIP)"
    )
    group.add_argument(
        "--demo", action="store_true", help="write and load a SYNTHETIC file in the same layout (demo only)"
    )
    parser.add_argument(
        "--vintage",
        default=qpv_population.DEFAULT_VINTAGE,
        help="what the figures are (default: %(default)s)",
    )
    parser.add_argument("--source-url", default="", help="where the file came from, kept as its provenance")
    parser.add_argument(
        "--allow-removals",
        action="store_true",
        help=f"accept a file that takes the population away from more than {MAX_REMOVED_SHARE * 100:.0f} %% "
        "of the QPVs that have one",
    )


def population(command, *, source=None, demo=False, vintage, source_url="", allow_removals=False, **options):
    synthetic = bool(demo)
    if synthetic and not Qpv.objects.filter(generation=2024).exists():
        command.stdout.write(
            "QPV 2024 population: no QPV 2024 loaded (essor territories load), nothing to do."
        )
        return
    if synthetic and Qpv.objects.filter(population_load__synthetic=False).exists():
        command.stdout.write("QPV 2024 population: INSEE's figures are loaded; the demo keeps them.")
        return
    if synthetic:
        source = synthetic_population.write_synthetic_file(Path(settings.DATA_DIR) / "demo")
        vintage = synthetic_population.VINTAGE
        source_url = "essor territories population --demo"
    try:
        record = qpv_population.load_population(
            source,
            source=source_url or None,
            vintage=vintage,
            synthetic=synthetic,
            allow_removals=allow_removals,
        )
    except qpv_population.PopulationFileError as exc:
        raise input_error(
            f"{exc.detail} (nothing was changed)", file=exc.file, line=exc.line, field=exc.field
        ) from None
    except LoadError as exc:
        raise _load_error(exc) from None
    report_population(command, record)


def report_population(command, record):
    write, counts = command.stdout.write, record.counts
    write(
        f"QPV 2024 population ({record.file_name}, {record.vintage}): {counts['added']} added, "
        f"{counts['updated']} updated, {counts['removed']} removed, {counts['unchanged']} unchanged; "
        f"{counts['rows']} rows, {counts['without_population']} without a figure, "
        f"{counts['unknown']} not QPV 2024 of the reference"
    )
    if counts["unknown_codes"]:
        write(f"note: codes not in the reference: {', '.join(counts['unknown_codes'])}")
    if counts["qpv_2024_without_population"]:
        write(f"note: {counts['qpv_2024_without_population']} QPV 2024 of the reference have no population")
    if record.synthetic:
        write(command.style.WARNING("These populations are SYNTHETIC (demonstration), not INSEE's."))
    done = "Population loaded" if record.changed else "No change"
    write(command.style.SUCCESS(f"{done} (population load #{record.pk})."))


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
    if result.population_load is not None:
        report_population(command, result.population_load)
    else:
        command.stdout.write(
            "QPV 2024 population: no source configured (ESSOR_TERRITORIES_QPV2024_POPULATION_URL); "
            "populations kept as they were."
        )


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
        "population": Subcommand(
            "Load the QPV 2024 population from INSEE's file (--from FILE), or a synthetic one (--demo).",
            population,
            add_arguments=population_options,
            writes=True,
        ),
    }
