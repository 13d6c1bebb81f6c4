"""`essor sirene synth`: write synthetic SIRENE files in INSEE's exact formats (see essor.sirene.synth)."""

import time
from pathlib import Path

from django.core.management.base import CommandError
from rich.console import Console

from essor.sirene.synth import FORMATS, SynthError, SynthOptions, generate

HELP = "Write synthetic StockUniteLegale, StockEtablissement and geolocation files for a territory."


def add_arguments(parser):
    parser.add_argument(
        "--territory", required=True, metavar="KIND:CODE",
        help="e.g. epci:243100518, departement:31, france:FR; several separated by commas",
    )  # fmt: skip
    parser.add_argument("--out", required=True, metavar="DIR", help="Directory to write the files into")
    parser.add_argument(
        "--scale", type=float, default=1.0,
        help="1 = as many establishments as the real stock (~0.64 per inhabitant; 44 M for France)",
    )  # fmt: skip
    parser.add_argument(
        "--establishments", type=int, metavar="N", help="Exact number of establishments to aim for"
    )
    parser.add_argument("--seed", type=int, default=1, help="Same seed, same bytes")
    parser.add_argument(
        "--malformed", action="store_true", help="Add bad, duplicate and unknown-commune rows"
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="csv", help="csv, zip (as downloaded) or parquet"
    )
    parser.add_argument("--threads", type=int, help="DuckDB threads (default: all cores)")
    parser.add_argument("--memory-limit", default="2GB", help="DuckDB memory limit (default 2GB)")


def run(command, **options):
    console = Console(file=command.stdout)
    synth_options = SynthOptions(
        territory=options["territory"],
        out=Path(options["out"]),
        scale=options["scale"],
        seed=options["seed"],
        malformed=options["malformed"],
        format=options["format"],
        establishments=options.get("establishments"),
        threads=options.get("threads"),
        memory_limit=options["memory_limit"],
    )
    started = time.perf_counter()
    try:
        with console.status("Generating synthetic SIRENE files") as status:
            result = generate(synth_options, progress=lambda message: status.update(message))
    except SynthError as exc:
        raise CommandError(str(exc)) from None
    for name, path in result.files.items():
        console.print(f"{path}  [bold]{result.rows[name]:,}[/bold] rows")
    if result.malformed:
        console.print("Malformed rows added: " + "; ".join(result.malformed))
    console.print(
        f"SYNTHETIC data for {options['territory']} ({result.communes} communes) written to {synth_options.out} "
        f"in {time.perf_counter() - started:.1f} s (see README.txt there)."
    )
