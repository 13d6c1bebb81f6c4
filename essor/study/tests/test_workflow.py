"""Draft → review → published: editors write, programme admins publish; a published edition never changes and a
correction is a new version with its corrections log."""

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from essor.study import freeze as freezing
from essor.study import workflow
from essor.study.diff import figure_changes, text_changes
from essor.study.models import Block, Edition, EditionStatus

pytestmark = pytest.mark.django_db


def test_editor_sends_for_review_and_only_a_programme_admin_publishes(edition, editor, admin_user, member):
    with pytest.raises(PermissionDenied):
        workflow.send_for_review(edition, member)
    edition = workflow.send_for_review(edition, editor)
    assert edition.status == EditionStatus.REVIEW and edition.snapshot["figures"]
    with pytest.raises(PermissionDenied):
        workflow.publish(edition, editor)
    edition = workflow.publish(edition, admin_user)
    assert edition.is_published and edition.published_by == admin_user
    with pytest.raises(freezing.EditionLocked):
        freezing.freeze(edition)


def test_a_correction_is_a_new_version_with_its_log(edition, editor, admin_user):
    published = workflow.publish(workflow.send_for_review(edition, editor), admin_user)
    correction = workflow.new_version(published, editor)
    assert (correction.version, correction.status, correction.supersedes) == (
        2,
        EditionStatus.DRAFT,
        published,
    )
    assert [c.code for c in correction.chapters.all()] == ["etat", "qpv"]
    assert (
        Block.objects.filter(chapter__edition=correction).count()
        == Block.objects.filter(chapter__edition=published).count()
    )
    with pytest.raises(ValidationError):
        workflow.new_version(published, editor)  # only one newer version per version
    correction = workflow.send_for_review(correction, editor)
    with pytest.raises(ValidationError, match="dit ce qu.elle corrige"):
        workflow.publish(correction, admin_user)
    Edition.objects.filter(pk=correction.pk).update(
        corrections_fr="Chiffre corrigé.", corrections_en="Figure fixed."
    )
    correction.refresh_from_db()
    assert workflow.publish(correction, admin_user).is_published
    published.refresh_from_db()
    assert published.is_published and published.superseded_by == correction  # the old version stays readable


def test_the_admin_refuses_changes_to_a_published_edition(edition, editor, admin_user):
    request = RequestFactory().get("/")
    request.user = editor
    model_admin = site._registry[Edition]
    assert model_admin.has_change_permission(request, edition)
    published = workflow.publish(workflow.send_for_review(edition, editor), admin_user)
    assert not model_admin.has_change_permission(request, published)
    assert not model_admin.has_delete_permission(request, published)


def test_differences_name_changed_figures_and_texts(edition, editor, admin_user, release):
    published = workflow.publish(workflow.send_for_review(edition, editor), admin_user)
    draft = workflow.new_version(published, editor)
    Block.objects.filter(chapter__edition=draft, code="intro").update(
        body_fr="Les **22 métropoles** comptent."
    )
    freezing.freeze(draft)
    draft.refresh_from_db()
    # A figure that moved: pretend the new freeze saw one more ESS establishment in Lyon.
    for figure in draft.snapshot["figures"].values():
        if figure["kind"] == "benchmark_ess_share":
            lyon = next(row for row in figure["rows"] if row["name"] == "Métropole de Lyon")
            lyon["ess"] = 3
    changes = figure_changes(published, draft)
    assert [(c.new_number, cell["row"], cell["old"], cell["new"]) for c in changes for cell in c.cells] == [
        (1, "Métropole de Lyon", 2, 3)
    ]
    texts = text_changes(published, draft)
    assert [(t.key, t.status) for t in texts] == [("etat/intro", "changed")]
    assert "+Les **22 métropoles** comptent." in texts[0].lines
