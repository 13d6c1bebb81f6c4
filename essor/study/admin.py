"""Editors write editions here (chapters and blocks inline, French and English side by side); a published edition
is read-only — its corrections go into a new version (the edition page's workflow buttons)."""

from django.contrib import admin

from essor.study.models import Block, Chapter, Edition, Reference, Study
from essor.study.permissions import can_edit


class LockedWhenPublished:
    """Inlines and pages of a published edition cannot be changed."""

    def _published(self, obj) -> bool:
        edition = obj if isinstance(obj, Edition) else getattr(obj, "edition", None)
        return bool(edition and edition.is_published)

    def has_change_permission(self, request, obj=None):
        return can_edit(request.user) and not self._published(obj)

    def has_add_permission(self, request, obj=None):
        return can_edit(request.user) and not self._published(obj)

    def has_delete_permission(self, request, obj=None):
        return can_edit(request.user) and not self._published(obj)

    def has_view_permission(self, request, obj=None):
        return can_edit(request.user)


class ChapterInline(LockedWhenPublished, admin.TabularInline):
    model = Chapter
    extra = 0
    fields = ("order", "code", "title_fr", "title_en")
    show_change_link = True


class ReferenceInline(LockedWhenPublished, admin.TabularInline):
    model = Reference
    extra = 0


@admin.register(Study)
class StudyAdmin(admin.ModelAdmin):
    list_display = ("slug", "title_fr", "is_demo")

    def has_module_permission(self, request):
        return can_edit(request.user)

    def has_view_permission(self, request, obj=None):
        return can_edit(request.user)

    has_change_permission = has_add_permission = has_view_permission


@admin.register(Edition)
class EditionAdmin(LockedWhenPublished, admin.ModelAdmin):
    list_display = ("title_fr", "study", "version", "kind", "status", "release_vintage", "is_demo")
    list_filter = ("study", "status", "kind")
    inlines = [ChapterInline, ReferenceInline]
    readonly_fields = (
        "status", "release_vintage", "release_fingerprint", "snapshot_fingerprint", "frozen_at",
        "published_at", "published_by", "supersedes",
    )  # fmt: skip
    exclude = ("snapshot",)
    filter_horizontal = ("campaigns",)

    def has_module_permission(self, request):
        return can_edit(request.user)


class BlockInline(admin.StackedInline):
    model = Block
    extra = 0
    fields = (
        ("order", "code", "kind"), ("title_fr", "title_en"), ("body_fr", "body_en"),
        "attribution", "experience", "figure",
    )  # fmt: skip
    autocomplete_fields = ()
    raw_id_fields = ("experience",)

    def _locked(self, obj):
        return bool(obj and obj.edition.is_published)

    def has_change_permission(self, request, obj=None):
        return can_edit(request.user) and not self._locked(obj)

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(Chapter)
class ChapterAdmin(LockedWhenPublished, admin.ModelAdmin):
    list_display = ("title_fr", "edition", "order")
    list_filter = ("edition",)
    inlines = [BlockInline]

    def has_module_permission(self, request):
        return False  # reached from its edition
