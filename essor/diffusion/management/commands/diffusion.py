"""`essor diffusion <subcommand>`: publish open data, the demo step, partner API keys.

- publish [--release ID] [--force] [--dry-run]: write the open-data files of kept releases;
- demo [--dry-run]: the same for the demo (the synthetic release too);
- apikey NAME [--rate 6000/h] [--email E] [--dry-run]: issue a partner API key, printed once (ADR 008).
"""

from django.core.management.base import CommandError

from essor.core import ratelimit
from essor.core.commands import Subcommand, SubcommandsCommand
from essor.diffusion import opendata
from essor.diffusion.models import ApiKey
from essor.diffusion.quota import KEYED
from essor.sirene.models import Release, ReleaseStatus


def publish_options(parser):
    parser.add_argument("--release", type=int, help="Only this release (id); default: every kept release.")
    parser.add_argument("--force", action="store_true", help="Rewrite files already published.")


def apikey_options(parser):
    parser.add_argument("name", help="Who the key is for (shown in the admin).")
    parser.add_argument(
        "--rate", default="", help="Its own quota, e.g. 6000/h (default: ESSOR_API_KEY_RATE_LIMIT)."
    )
    parser.add_argument("--email", default="", help="A contact address for the key's holder.")


def publish(command, *, release=None, force=False, dry_run=False, **options):
    releases = Release.objects.filter(status=ReleaseStatus.READY).order_by("-vintage")
    if release is not None:
        releases = releases.filter(pk=release)
        if not releases.exists():
            raise CommandError(f"No ready release with id {release}.")
    if not releases.exists():
        command.stdout.write("No ready release: nothing to publish.")
        return
    for item in releases:
        label = " (synthetic)" if item.synthetic else ""
        where = opendata.package_dir(item) / opendata.PACKAGE_FILE
        if (
            dry_run
        ):  # files, not rows: the rolled-back transaction would not take them back, so none is written
            current = opendata.is_current(item, opendata.read_package(item)) and not force
            state = "already published" if current else "would be published"
            command.stdout.write(f"Release {item.vintage}{label} [{item.pk}]: {state}.")
            command.stdout.write(f"  {where}")
            continue
        outcome = opendata.publish(item, force=force)
        rows = {r["name"]: r["essor:rows"] for r in outcome["package"]["resources"] if r["format"] == "csv"}
        state = f"published in {outcome['seconds']} s" if outcome["changed"] else "already published"
        counts = ", ".join(f"{name.removesuffix('-csv')} {count}" for name, count in rows.items())
        command.stdout.write(f"Release {item.vintage}{label} [{item.pk}]: {state}; rows: {counts}.")
        command.stdout.write(f"  {where}")


def apikey(command, *, name, rate="", email="", dry_run=False, **options):
    if rate:
        try:
            ratelimit.parse_rate(rate)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
    quota = rate or f"default ({ratelimit.configured_rate(KEYED) or 'no limit'})"
    key, value = ApiKey.issue(name, rate=rate, contact_email=email)
    if dry_run:  # the key is rolled back: printing it would hand out a key that does not exist
        command.stdout.write(f"Would issue an API key for {key.name} (quota {quota}).")
        return
    command.stdout.write(f"API key for {key.name} (quota {quota}); send it in the X-API-Key header:")
    command.stdout.write(value)


class Command(SubcommandsCommand):
    help = "Diffusion: publish the open data of releases; the demo step; API keys for partners."
    subcommands = {
        "publish": Subcommand(
            "Write the open-data files of kept releases (CSV, Parquet, datapackage.json).",
            publish,
            add_arguments=publish_options,
            writes=True,
        ),
        "demo": Subcommand(
            "Publish the open data of the kept releases (the synthetic demo release too).",
            publish,
            writes=True,
        ),
        "apikey": Subcommand(
            "Issue an API key for a partner (printed once; only its hash is kept).",
            apikey,
            add_arguments=apikey_options,
            writes=True,
        ),
    }
