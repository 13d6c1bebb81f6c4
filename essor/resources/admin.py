"""Back office of the programme team: filters, search, bulk publish/unpublish, CSV export of the selection."""

import datetime

from django.contrib import admin, messages
from django.db import models
from django.http import HttpResponse
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext_lazy as _

from essor.resources import exports
from essor.resources.models import (
    Assessment,
    Audience,
    CatalogueImport,
    Collection,
    CollectionItem,
    Criterion,
    CriterionOption,
    Experience,
    Resource,
    Theme,
)


def _csv(rows, name):
    response = HttpResponse(exports.to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{datetime.date.today():%Y-%m-%d}.csv"'
    return response


class PublishActions:
    actions = ["publish", "unpublish"]

    @admin.action(description=_("Publish the selected items"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description=_("Unpublish the selected items"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    def _set_published(self, request, queryset, value):
        # save() each row (not update()) so the search column and updated date stay right.
        count = 0
        for obj in queryset:
            if obj.published != value:
                obj.published = value
                obj.save()
                count += 1
        self.message_user(
            request, ngettext("%d item changed.", "%d items changed.", count) % count, messages.SUCCESS
        )


@admin.register(Audience, Theme)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_fr", "name_en", "position"]
    list_editable = ["position"]
    search_fields = ["slug", "name_fr", "name_en"]


def language_name(code: str) -> str:
    """A language code as its name in the page's language ("fr" -> "français"); an unknown code as it is."""
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


class LanguageFilter(admin.SimpleListFilter):
    """The languages of the resources by name (the field holds codes such as "fr,en")."""

    title = _("languages")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        values = model_admin.get_queryset(request).values_list("languages", flat=True).distinct()
        codes = sorted({code for value in values for code in value.split(",") if code})
        return [(code, language_name(code)) for code in codes]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        value = self.value()
        return queryset.filter(
            models.Q(languages=value) | models.Q(languages__startswith=f"{value},")
            | models.Q(languages__endswith=f",{value}") | models.Q(languages__contains=f",{value},")
        )  # fmt: skip


@admin.register(Resource)
class ResourceAdmin(PublishActions, admin.ModelAdmin):
    list_display = ["title_fr", "kind", "author", "year", "language_names", "published", "is_demo", "origin"]
    list_filter = [
        "published",
        "kind",
        "format",
        "level",
        "audiences",
        "themes",
        LanguageFilter,
        "origin",
        "is_demo",
    ]
    search_fields = ["title_fr", "title_en", "summary_fr", "summary_en", "author", "slug"]
    prepopulated_fields = {"slug": ["title_fr"]}
    filter_horizontal = ["audiences", "themes"]
    date_hierarchy = "created_at"
    actions = PublishActions.actions + ["export_csv"]
    readonly_fields = ["origin", "source_file", "source_line", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["slug", "title_fr", "title_en", "summary_fr", "summary_en", "published"]}),
        (
            _("Description"),
            {
                "fields": [
                    "kind",
                    "format",
                    "languages",
                    "level",
                    "duration_minutes",
                    "author",
                    "year",
                    "licence",
                    "audiences",
                    "themes",
                ]
            },
        ),
        (_("Access"), {"fields": ["url", "file"]}),
        (
            _("Provenance"),
            {
                "fields": [
                    "is_demo",
                    "seen_at",
                    "origin",
                    "source_file",
                    "source_line",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    @admin.display(description=_("languages"), ordering="languages")
    def language_names(self, obj):
        return ", ".join(str(language_name(code)) for code in obj.language_list)

    @admin.action(description=_("Export the selected resources as CSV"))
    def export_csv(self, request, queryset):
        return _csv(exports.resource_rows(queryset), "essor-resources")


class AssessmentInline(admin.TabularInline):
    model = Assessment
    extra = 0
    autocomplete_fields = ["option"]
    fields = ["criterion", "score", "option", "comment_fr", "comment_en", "is_demo"]


@admin.register(Experience)
class ExperienceAdmin(PublishActions, admin.ModelAdmin):
    list_display = [
        "title_fr",
        "territory_label",
        "region_code",
        "format",
        "period_label",
        "published",
        "is_demo",
    ]
    list_filter = ["published", "format", "region_code", "audiences", "themes", "origin", "is_demo"]
    search_fields = ["title_fr", "title_en", "summary_fr", "territory_label", "carrier", "partners", "slug"]
    prepopulated_fields = {"slug": ["title_fr"]}
    filter_horizontal = [
        "audiences",
        "themes",
        "resources",
        "carrying_organisations",
        "partner_organisations",
    ]
    inlines = [AssessmentInline]
    actions = PublishActions.actions + ["export_csv"]
    readonly_fields = ["origin", "source_file", "source_line", "created_at", "updated_at"]

    @admin.action(description=_("Export the selected experiences as CSV (with the analysis grid)"))
    def export_csv(self, request, queryset):
        return _csv(exports.experience_rows(queryset), "essor-experiences")


class CriterionOptionInline(admin.TabularInline):
    model = CriterionOption
    extra = 1


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "kind", "scale_max", "position", "is_demo"]
    list_editable = ["position"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["name_fr", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_fr"]}
    inlines = [CriterionOptionInline]


@admin.register(CriterionOption)
class CriterionOptionAdmin(admin.ModelAdmin):
    list_display = ["label_fr", "criterion", "value", "position"]
    list_filter = ["criterion"]
    search_fields = ["label_fr", "label_en", "value", "criterion__name_fr"]


class CollectionItemInline(admin.TabularInline):
    model = CollectionItem
    extra = 1
    autocomplete_fields = ["resource"]
    fields = ["position", "resource", "note_fr", "note_en"]


@admin.register(Collection)
class CollectionAdmin(PublishActions, admin.ModelAdmin):
    list_display = ["title_fr", "position", "published", "is_demo"]
    list_filter = ["published", "is_demo"]
    search_fields = ["title_fr", "title_en", "description_fr"]
    prepopulated_fields = {"slug": ["title_fr"]}
    inlines = [CollectionItemInline]
    readonly_fields = ["origin", "source_file", "source_line"]


@admin.register(CatalogueImport)
class CatalogueImportAdmin(admin.ModelAdmin):
    list_display = ["loaded_at", "source_dir", "changed"]
    readonly_fields = ["loaded_at", "source_dir", "files", "counts", "changed"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
