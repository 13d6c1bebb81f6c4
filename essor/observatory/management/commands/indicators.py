"""`essor indicators KIND:CODE --json [--zone all|qpv|proximite|hors_qpv]`: the indicators JSON of a territory,
the very document the API returns (essor.observatory.indicators.indicators_document)."""

import json

from django.core.management.base import BaseCommand, CommandError

from essor.observatory.indicators import NotCovered, indicators_document
from essor.observatory.scope import get_scope
from essor.sirene.models import Release
from essor.sirene.territory_filter import ZONES
from essor.territories.identifiers import UnknownTerritory, parse_identifier


class Command(BaseCommand):
    help = "Indicators of a territory (france:FR, region:76, departement:31, epci:…, commune:…, qpv:…)."

    def add_arguments(self, parser):
        parser.add_argument("territory", metavar="KIND:CODE")
        parser.add_argument("--zone", choices=ZONES, default="all")
        parser.add_argument(
            "--json", action="store_true", help="Print the JSON document (the default output)."
        )

    def handle(self, *args, territory, zone, **options):
        try:
            scope = get_scope(*parse_identifier(territory))
        except (ValueError, UnknownTerritory) as exc:
            raise CommandError(str(exc)) from None
        release = Release.objects.active()
        if release is None:
            raise CommandError("No SIRENE release is serving yet: run `essor sirene ingest`.")
        try:
            document = indicators_document(release, scope, zone)
        except NotCovered:
            raise CommandError(
                f"{scope.identifier} is not covered by this release (no figures, not zeros)."
            ) from None
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
