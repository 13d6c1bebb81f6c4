"""Administration of the surveys: the programme team creates campaigns here (questionnaires come from XLSForm)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from essor.surveys.models import Campaign, Invitation, Need, Questionnaire, QuestionnaireVersion


class VersionInline(admin.TabularInline):
    model = QuestionnaireVersion
    fields = ["number", "frozen_at", "source", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["slug", "title_fr", "title_en", "is_demo"]
    inlines = [VersionInline]


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(admin.ModelAdmin):
    list_display = ["questionnaire", "number", "frozen_at", "source"]
    list_filter = ["questionnaire"]

    def get_readonly_fields(self, request, obj=None):
        # A frozen version never changes (its answers refer to it): import a new XLSForm instead.
        if obj is not None and obj.is_frozen:
            return ["questionnaire", "number", "definition", "frozen_at", "source"]
        return ["frozen_at"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["slug", "title_fr", "version", "opens_at", "closes_at", "open_data", "is_demo"]
    prepopulated_fields = {"slug": ["title_fr"]}
    exclude = ["created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["authority_name", "campaign", "status", "region_name", "nature"]
    list_filter = ["campaign", "status", "nature"]
    search_fields = ["authority_name", "territory"]
    readonly_fields = ["status", "opened_at", "emailed_at", "reminded_at"]
    actions = ["rotate_key"]

    @admin.action(description=_("Replace the link (the old one stops working)"))
    def rotate_key(self, request, queryset):
        from essor.surveys.models import new_key

        for invitation in queryset:
            invitation.key = new_key()
            invitation.save(update_fields=["key"])


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["title", "invitation", "status", "theme", "is_demo"]
    list_filter = ["status", "theme"]
