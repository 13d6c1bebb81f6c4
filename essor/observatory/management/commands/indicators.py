"""`essor indicators KIND:CODE --json [--zone all|qpv|proximite|hors_qpv]`: the indicators JSON of a territory,
the very document the API returns (essor.observatory.indicators.territory_indicators)."""

import json

from django.core.management.base import CommandError

from essor.core.commands import SingleCommand, Subcommand
from essor.observatory.indicators import NoRelease, NotCovered, territory_indicators
from essor.sirene.territory_filter import ZONES
from essor.territories.identifiers import UnknownTerritory, parse_identifier


def add_arguments(parser):
    parser.add_argument("territory", metavar="KIND:CODE")
    parser.add_argument("--zone", choices=ZONES, default="all")
    parser.add_argument("--json", action="store_true", help="Print the JSON document (the default output).")


def indicators(command, *, territory, zone, **options):
    try:
        document = territory_indicators(*parse_identifier(territory), zone)
    except (ValueError, UnknownTerritory, NoRelease) as exc:
        raise CommandError(str(exc)) from None
    except NotCovered:
        raise CommandError(f"{territory} is not covered by this release (no figures, not zeros).") from None
    command.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))


class Command(SingleCommand):
    action = Subcommand(
        "Indicators of a territory (france:FR, region:76, departement:31, epci:…, commune:…, qpv:…).",
        indicators,
        add_arguments=add_arguments,
    )
