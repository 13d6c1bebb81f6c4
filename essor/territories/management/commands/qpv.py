"""`essor qpv locate LON LAT [--json]` and `essor qpv locate --csv IN --out OUT [...]`: QPV 2024 of points."""

import json
import time
from pathlib import Path

from django.core.management.base import CommandError
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from essor.core.commands import Subcommand, SubcommandsCommand
from essor.territories import locate
from essor.territories.locate_csv import ADDED_COLUMNS, DELIMITERS, BatchError, locate_csv


class Command(SubcommandsCommand):
    help = (
        "QPV 2024 lookup: which QPV holds a point (and the nearest one), for one point or a whole CSV file."
    )

    def get_subcommands(self) -> dict[str, Subcommand]:
        return {
            "locate": Subcommand(
                "QPV of a point (LON LAT, WGS84 decimal degrees) or of every row of a CSV file (--csv).",
                lambda command, **options: self.run_locate(options),
                add_arguments=self.locate_options,
            )
        }

    @staticmethod
    def locate_options(one):
        one.add_argument("lon", nargs="?", help="longitude, WGS84 decimal degrees (e.g. 1.3819)")
        one.add_argument("lat", nargs="?", help="latitude, WGS84 decimal degrees (e.g. 43.6397)")
        one.add_argument("--json", action="store_true", help="print JSON (same as the API) instead of text")
        one.add_argument("--csv", type=Path, help="input CSV file (UTF-8, BOM tolerated)")
        one.add_argument(
            "--out", type=Path, help=f"output CSV: the input rows plus {', '.join(ADDED_COLUMNS)}"
        )
        one.add_argument("--lon-column", default="lon", help="column of longitudes, or x with --crs (lon)")
        one.add_argument("--lat-column", default="lat", help="column of latitudes, or y with --crs (lat)")
        one.add_argument(
            "--crs",
            type=int,
            default=4326,
            help="EPSG code of the CSV coordinates: 4326 (default), 2154 Lambert-93, 5490 Antilles, "
            "2972 Guyane, 2975 La Réunion, 4471 Mayotte...",
        )
        one.add_argument(
            "--max-distance",
            type=float,
            default=None,
            metavar="METRES",
            help="search the nearest QPV only this far (e.g. 300); much faster on large files",
        )
        one.add_argument(
            "--delimiter",
            default="auto",
            choices=sorted(DELIMITERS),
            metavar='{auto,",",;,tab,|}',
            help="CSV delimiter (default auto: the most frequent of ; , and tab in the header)",
        )

    def run_locate(self, options):
        if options["csv"] or options["out"]:
            if options["lon"] is not None:
                raise CommandError("Give either LON LAT or --csv IN --out OUT, not both.")
            if not (options["csv"] and options["out"]):
                raise CommandError("--csv and --out go together: --csv IN --out OUT.")
            if options["max_distance"] is not None and not options["max_distance"] > 0:
                raise CommandError(
                    f"--max-distance must be a positive number of metres, not {options['max_distance']}."
                )
            return self.locate_file(options)
        if options["crs"] != 4326 or options["max_distance"] is not None:
            raise CommandError(
                "--crs and --max-distance apply to --csv files; give LON LAT in WGS84 degrees."
            )
        try:
            lon, lat = locate.parse_lon_lat(options["lon"], options["lat"])
        except locate.InvalidCoordinates as exc:
            raise CommandError(
                f"{exc} Usage: essor qpv locate LON LAT, e.g. essor qpv locate 1.3819 43.6397"
            ) from None
        payload = locate.location_payload(self.index(), lon, lat)
        if options["json"]:
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(self.as_text(payload))

    def index(self) -> locate.QpvIndex:
        try:
            return locate.get_index()
        except locate.ReferenceNotLoaded as exc:
            raise CommandError(str(exc)) from None

    @staticmethod
    def as_text(payload: dict) -> str:
        def describe(qpv):
            communes = ", ".join(
                f"{c['name']} ({c['code']})" if c["name"] else c["code"] for c in qpv["communes"]
            )
            return f"{qpv['code']} {qpv['name']}" + (f" — {communes}" if communes else "")

        point, reference = payload["point"], payload["reference"]
        lines = [f"Point: lon {point['lon']}, lat {point['lat']} (WGS84)"]
        if payload["qpv"]:
            lines.append(f"Inside QPV 2024: {describe(payload['qpv'])}")
        else:
            lines.append("Not inside any QPV 2024.")
            nearest = payload["nearest"]
            lines.append(f"Nearest QPV: {describe(nearest['qpv'])}, {nearest['distance_m']:,.0f} m away")
        version = reference["version"] or "no load recorded"
        lines.append(
            f"Reference: QPV {reference['generation']}, {reference['qpv_count']} QPV, loaded {version}"
        )
        return "\n".join(lines)

    def locate_file(self, options):
        index = self.index()
        console = Console(stderr=True)
        started = time.perf_counter()
        show = not options["json"] and options.get("verbosity", 1) >= 1
        with Progress(
            TextColumn("[bold]locating[/]"),
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=console,
            disable=not show,
            transient=True,
        ) as progress:
            task = progress.add_task(
                "locate", total=options["csv"].stat().st_size if options["csv"].exists() else 0
            )
            try:
                report = locate_csv(
                    index,
                    options["csv"],
                    options["out"],
                    lon_column=options["lon_column"],
                    lat_column=options["lat_column"],
                    crs=options["crs"],
                    delimiter=options["delimiter"],
                    max_distance_m=options["max_distance"],
                    on_progress=lambda done, total: progress.update(task, completed=done, total=total),
                )
            except BatchError as exc:
                raise CommandError(f"{exc} (no output written)") from None
        seconds = time.perf_counter() - started
        if options["json"]:
            self.stdout.write(json.dumps({**report.as_dict(), "seconds": round(seconds, 2)}, indent=2))
            return
        write = self.stdout.write
        write(f"{report.rows:,} rows in {seconds:.1f} s -> {report.output}")
        write(f"  inside a QPV 2024: {report.inside:,}")
        write(f"  outside:           {report.outside:,}")
        write(f"  invalid (kept, see qpv_status): {report.invalid:,}")
        for line, reason in report.samples:
            write(f"    line {line}: {reason}")
        style = self.style.WARNING if report.invalid else self.style.SUCCESS
        write(style(f"Done: {report.rows:,} rows written, {report.invalid:,} with invalid coordinates."))
