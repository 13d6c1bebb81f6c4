"""`essor indicators KIND:CODE --json [--zone all|qpv|proximite|hors_qpv]`: the core indicators of DESIGN §5."""

import json

from django.core.management.base import BaseCommand, CommandError

from essor.sirene.indicators import NoRelease, core_indicators
from essor.sirene.territory_filter import ZONES, UnknownZone
from essor.territories.identifiers import UnknownTerritory, parse_identifier


class Command(BaseCommand):
    help = "Core indicators of a territory (france:FR, region:76, departement:31, epci:…, commune:…, qpv:…)."

    def add_arguments(self, parser):
        parser.add_argument("territory", metavar="KIND:CODE")
        parser.add_argument("--zone", choices=ZONES, default="all")
        parser.add_argument(
            "--json", action="store_true", help="Print the JSON document (the default output)."
        )

    def handle(self, *args, territory, zone, **options):
        try:
            kind, code = parse_identifier(territory)
            document = core_indicators(kind, code, zone)
        except (ValueError, UnknownTerritory, UnknownZone, NoRelease) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
