"""`essor study list|build|freeze|demo`: the study publisher from the command line.

    essor study list [--json]
    essor study build EDITION --lang fr|en --format html|pdf --out PATH [--version N]
    essor study freeze EDITION [--version N]
    essor study demo

EDITION is an edition's code, or STUDY/EDITION when several studies share it; without --version, the latest
published version (else the latest version).
"""

import json
from pathlib import Path

from django.core.management.base import CommandError

from essor.core.commands import Subcommand, SubcommandsCommand
from essor.study import freeze as freezing
from essor.study import render
from essor.study.demo import load_demo
from essor.study.figures import FigureError
from essor.study.inputs import MissingInput
from essor.study.models import Edition, EditionStatus


def find_edition(name: str, version: int | None) -> Edition:
    study, _sep, slug = name.rpartition("/")
    editions = Edition.objects.select_related("study").filter(slug=slug)
    if study:
        editions = editions.filter(study__slug=study)
    if version is not None:
        editions = editions.filter(version=version)
    studies = set(editions.values_list("study__slug", flat=True))
    if not studies:
        raise CommandError(
            f"No edition {name!r}{f' version {version}' if version else ''}; see `essor study list`."
        )
    if len(studies) > 1:
        raise CommandError(
            f"Edition {slug!r} exists in several studies ({', '.join(sorted(studies))}): name STUDY/{slug}."
        )
    published = editions.filter(status=EditionStatus.PUBLISHED).order_by("-version").first()
    return published or editions.order_by("-version").first()


def edition_options(parser):
    parser.add_argument("edition", metavar="EDITION")
    parser.add_argument("--version", type=int)


def build_options(parser):
    edition_options(parser)
    parser.add_argument("--lang", choices=("fr", "en"), required=True)
    parser.add_argument("--format", choices=("html", "pdf"), required=True, dest="output_format")
    parser.add_argument("--out", required=True, type=Path)


def list_options(parser):
    parser.add_argument("--json", action="store_true", dest="as_json", help="Print a JSON list.")


def run_list(command, as_json=False, **options):
    rows = [
        {
            "study": edition.study.slug,
            "slug": edition.slug,
            "version": edition.version,
            "kind": edition.kind,
            "status": edition.status,
            "languages": ["fr", "en"] if edition.title_en else ["fr"],
            "release_vintage": edition.release_vintage.isoformat() if edition.release_vintage else None,
            "figures": len(edition.snapshot.get("figures", {})),
            "factsheets": len(edition.snapshot.get("factsheets", [])),
            "snapshot_fingerprint": edition.snapshot_fingerprint or None,
            "demo": edition.is_demo,
        }
        for edition in Edition.objects.select_related("study").order_by(
            "study__slug", "created_at", "version"
        )
    ]
    if as_json:
        command.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        command.stdout.write("No study edition yet.")
    for row in rows:
        command.stdout.write(
            f"{row['study']}/{row['slug']} v{row['version']}  {row['status']:<9}  {row['kind']:<12}  "
            f"{'+'.join(row['languages'])}  release {row['release_vintage'] or '—'}  "
            f"{row['figures']} figures, {row['factsheets']} fact sheets"
        )


def run_build(command, edition, version=None, lang="fr", output_format="pdf", out=None, **options):
    found = find_edition(edition, version)
    if not found.snapshot:
        raise CommandError(
            f"Edition {found.slug} v{found.version} is not frozen: run `essor study freeze {found.slug}`."
        )
    data = (
        render.build_pdf(found, lang) if output_format == "pdf" else render.build_html(found, lang).encode()
    )
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as exc:
        raise CommandError(f"{out}: cannot write the {output_format.upper()} file: {exc.strerror}") from None
    command.stdout.write(
        f"{out}: {found.study.slug}/{found.slug} v{found.version} ({lang}, {output_format}), {len(data):,} bytes, "
        f"snapshot {found.snapshot_fingerprint[:12]}, SIRENE {found.release_vintage} {found.release_fingerprint[:12]}"
    )


def run_freeze(command, edition, version=None, **options):
    found = find_edition(edition, version)
    try:
        frozen = freezing.freeze(found)
    except (freezing.EditionLocked, MissingInput, FigureError) as exc:
        raise CommandError(str(exc)) from None
    command.stdout.write(
        f"{frozen.slug} v{frozen.version}: {len(frozen.snapshot['figures'])} figures, "
        f"{len(frozen.snapshot['factsheets'])} fact sheets, snapshot {frozen.snapshot_fingerprint[:12]}"
    )


def run_demo(command, **options):
    for line in load_demo():
        command.stdout.write(line)


class Command(SubcommandsCommand):
    help = "Study publisher: list editions, freeze their figures, build them to HTML or PDF, load the demo."
    subcommands = {
        "list": Subcommand("List studies and editions.", run_list, add_arguments=list_options),
        "build": Subcommand(
            "Build an edition to an HTML or PDF file.", run_build, add_arguments=build_options
        ),
        "freeze": Subcommand(
            "Compute and store an edition's figures.", run_freeze, add_arguments=edition_options, writes=True
        ),
        "demo": Subcommand("Load the demonstration study.", run_demo, writes=True),
    }
