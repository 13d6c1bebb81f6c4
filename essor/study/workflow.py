"""An edition's life: draft → review → published. Editors write and send for review; programme admins publish.
Publishing freezes the edition for good; a correction starts a new version that copies the content and inputs,
says what it corrects in its corrections log, and supersedes the published one when it is published in turn."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from essor.study import freeze as freezing
from essor.study.models import Block, Edition, EditionStatus, Reference
from essor.study.permissions import can_edit, can_publish


def send_for_review(edition: Edition, user) -> Edition:
    if not can_edit(user):
        raise PermissionDenied
    if edition.status != EditionStatus.DRAFT:
        raise ValidationError(_("Only a draft can be sent for review."))
    edition = freezing.freeze(edition)
    edition.status = EditionStatus.REVIEW
    edition.save(update_fields=["status"])
    return edition


def back_to_draft(edition: Edition, user) -> Edition:
    if not can_edit(user):
        raise PermissionDenied
    if edition.status != EditionStatus.REVIEW:
        raise ValidationError(_("Only an edition in review can go back to draft."))
    edition.status = EditionStatus.DRAFT
    edition.save(update_fields=["status"])
    return edition


@transaction.atomic
def publish(edition: Edition, user) -> Edition:
    if not can_publish(user):
        raise PermissionDenied
    if edition.status != EditionStatus.REVIEW:
        raise ValidationError(_("Only an edition in review can be published."))
    if edition.supersedes_id and not (edition.corrections_fr.strip() and edition.corrections_en.strip()):
        raise ValidationError(_("A new version says what it corrects, in French and in English."))
    edition = freezing.freeze(edition)
    edition.status = EditionStatus.PUBLISHED
    edition.published_at = timezone.now()
    edition.published_by = user if getattr(user, "pk", None) else None
    edition.save(update_fields=["status", "published_at", "published_by"])
    return edition


@transaction.atomic
def new_version(edition: Edition, user) -> Edition:
    """A draft copy of a published edition (content, inputs, authorities), numbered after the last version."""
    if not can_edit(user):
        raise PermissionDenied
    if not edition.is_published:
        raise ValidationError(_("Only a published edition gets a new version; edit the draft itself."))
    if hasattr(edition, "superseded_by"):
        raise ValidationError(_("This version already has a newer version."))
    last = Edition.objects.filter(study=edition.study, slug=edition.slug).aggregate(n=Max("version"))["n"]
    campaigns = list(edition.campaigns.all())
    chapters = list(edition.chapters.prefetch_related("blocks"))
    references = list(edition.references.all())
    copy = Edition.objects.get(pk=edition.pk)
    copy.pk = None
    copy.version = last + 1
    copy.status = EditionStatus.DRAFT
    copy.supersedes = edition
    copy.snapshot, copy.snapshot_fingerprint = {}, ""
    copy.frozen_at = copy.published_at = copy.published_by = None
    copy.corrections_fr = copy.corrections_en = ""
    copy.created_at = timezone.now()
    copy.save()
    copy.campaigns.set(campaigns)
    for chapter in chapters:
        blocks = list(chapter.blocks.all())
        chapter.pk, chapter.edition = None, copy
        chapter.save()
        for block in blocks:
            block.pk, block.chapter = None, chapter
        Block.objects.bulk_create(blocks)
    for reference in references:
        reference.pk, reference.edition = None, copy
    Reference.objects.bulk_create(references)
    return copy
