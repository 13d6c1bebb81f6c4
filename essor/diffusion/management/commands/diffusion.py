"""`essor diffusion <subcommand>`: publish open data, the demo step, partner API keys."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from essor.core import ratelimit
from essor.diffusion import opendata
from essor.diffusion.models import ApiKey
from essor.diffusion.quota import KEYED
from essor.sirene.models import Release, ReleaseStatus


class Command(BaseCommand):
    help = "Diffusion: publish the open data of releases; the demo step; API keys for partners."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
        sub.required = True
        publish = sub.add_parser(
            "publish", help="Write the open-data files of kept releases (CSV, Parquet, datapackage.json)."
        )
        publish.add_argument(
            "--release", type=int, help="Only this release (id); default: every kept release."
        )
        publish.add_argument("--force", action="store_true", help="Rewrite files already published.")
        sub.add_parser(
            "demo", help="Publish the open data of the kept releases (the synthetic demo release too)."
        )

    def handle(self, *args, subcommand=None, **options):
        if subcommand in ("publish", "demo"):
            return self._publish(options.get("release"), options.get("force", False))
        if subcommand == "apikey":
            return self._apikey(options["name"], options["rate"], options["email"])
        raise CommandError(f"Unknown subcommand {subcommand!r}.")

    def _apikey(self, name, rate, email):
        if rate:
            try:
                ratelimit.parse_rate(rate)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
        key, value = ApiKey.issue(name, rate=rate, contact_email=email)
        quota = rate or f"default ({ratelimit.rate_for(KEYED) and settings.ESSOR_RATE_LIMITS.get(KEYED)})"
        self.stdout.write(f"API key for {key.name} (quota {quota}); send it in the X-API-Key header:")
        self.stdout.write(value)

    def _publish(self, release_id, force):
        releases = Release.objects.filter(status=ReleaseStatus.READY).order_by("-vintage")
        if release_id is not None:
            releases = releases.filter(pk=release_id)
            if not releases.exists():
                raise CommandError(f"No ready release with id {release_id}.")
        if not releases.exists():
            self.stdout.write("No ready release: nothing to publish.")
            return
        for release in releases:
            outcome = opendata.publish(release, force=force)
            rows = {
                r["name"]: r["essor:rows"] for r in outcome["package"]["resources"] if r["format"] == "csv"
            }
            state = f"published in {outcome['seconds']} s" if outcome["changed"] else "already published"
            counts = ", ".join(f"{name.removesuffix('-csv')} {count}" for name, count in rows.items())
            label = " (synthetic)" if release.synthetic else ""
            self.stdout.write(f"Release {release.vintage}{label} [{release.pk}]: {state}; rows: {counts}.")
            self.stdout.write(f"  {opendata.package_dir(release) / opendata.PACKAGE_FILE}")
