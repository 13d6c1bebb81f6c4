"""Freezing an edition: every figure and fact sheet computed once from the edition's inputs and stored with the
inputs' fingerprints. Pages, PDF and CSV downloads of an edition read only this snapshot, so two builds of the
same frozen edition give the same figures, in either language, whatever happens to the live release afterwards.
"""

import hashlib
import json

from django.db import transaction
from django.utils import timezone

from essor.study import factsheets, figures, inputs
from essor.study.models import Block, BlockKind, Edition


class EditionLocked(Exception):
    """A published edition never changes; a correction is a new version."""


def canonical(data) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def fingerprint(data) -> str:
    return hashlib.sha256(canonical(data).encode()).hexdigest()


def campaign_fingerprint(campaign) -> str:
    """The submitted answers of a campaign (authority, question, value): the survey wave's state when frozen."""
    answers = sorted(
        (territory, code, canonical(value))
        for territory, code, value in campaign.invitations.submitted().values_list(
            "territory", "response__answers__code", "response__answers__value"
        )
        if code
    )
    return fingerprint(answers)


def figure_blocks(edition: Edition):
    """The edition's figure blocks in reading order: their position is their number, in both languages."""
    blocks: list[Block] = []
    for chapter in edition.chapters.all():
        blocks.extend(block for block in chapter.blocks.all() if block.kind == BlockKind.FIGURE)
    return blocks


def compute(edition: Edition, release) -> dict:
    campaigns = {campaign.slug: campaign for campaign in edition.campaigns.select_related("version")}
    data = figures.FigureInputs(release, inputs.authority_scopes(edition.authorities), campaigns)
    numbered = {}
    for number, block in enumerate(figure_blocks(edition), start=1):
        try:
            figure = figures.compute(block.figure, data)
        except figures.FigureError as exc:
            raise figures.FigureError(
                f"chapter {block.chapter.code!r}, block {block.code!r}: {exc}"
            ) from None
        numbered[f"{block.chapter.code}/{block.code}"] = {**figure, "number": number}
    return {
        "release": {
            "id": release.pk,
            "vintage": release.vintage.isoformat(),
            "fingerprint": release.fingerprint,
            "synthetic": release.synthetic,
        },
        "campaigns": [
            {
                "slug": slug,
                "title": {"fr": campaign.title_fr, "en": campaign.title_en or campaign.title_fr},
                "closes_at": campaign.closes_at.date().isoformat(),
                "fingerprint": campaign_fingerprint(campaign),
            }
            for slug, campaign in sorted(campaigns.items())
        ],
        "figures": numbered,
        "factsheets": factsheets.build(release, data),
    }


@transaction.atomic
def freeze(edition: Edition) -> Edition:
    """Compute and store the edition's snapshot. A draft's release is pinned the first time (the serving one);
    freezing again recomputes from the same release and campaigns (e.g. after editing figure blocks)."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.is_published:
        raise EditionLocked(f"edition {edition.slug} v{edition.version} is published; make a new version")
    release = edition.release or inputs.serving_release()
    if release is None:
        raise inputs.MissingInput("no SIRENE release is serving: ingest one before freezing an edition")
    snapshot = compute(edition, release)
    edition.release = release
    edition.release_vintage = release.vintage
    edition.release_fingerprint = release.fingerprint
    edition.snapshot = snapshot
    edition.snapshot_fingerprint = fingerprint(snapshot)
    edition.frozen_at = timezone.now()
    edition.save()
    return edition
