"""Back office for the programme team: paths and modules, sessions, registrations, evaluations."""

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from essor.accounts.admin import export_as_csv
from essor.accounts.models import Audience
from essor.trainings.models import Evaluation, Module, Registration, RegistrationStatus, Session, TrainingPath


class AudiencesForm(forms.ModelForm):
    """Audiences (a JSON list on the model) as checkboxes; the admin builds the Meta for each model."""

    audiences = forms.MultipleChoiceField(
        label=_("audiences"), choices=Audience.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class ModuleInline(admin.TabularInline):
    model = Module
    fields = ["position", "slug", "title_fr", "title_en", "duration_minutes"]
    extra = 0
    show_change_link = True


@admin.register(TrainingPath)
class TrainingPathAdmin(admin.ModelAdmin):
    form = AudiencesForm
    list_display = ["title_fr", "title_en", "module_count", "is_published", "is_demo"]
    list_filter = ["is_published", "is_demo"]
    search_fields = ["title_fr", "title_en", "summary_fr"]
    prepopulated_fields = {"slug": ["title_fr"]}
    inlines = [ModuleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_modules=Count("modules"))

    @admin.display(description=_("modules"), ordering="_modules")
    def module_count(self, obj):
        return obj._modules


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["title_fr", "path", "position", "duration_minutes", "is_demo"]
    list_filter = ["path", "is_demo"]
    search_fields = ["title_fr", "title_en", "objectives_fr"]
    prepopulated_fields = {"slug": ["title_fr"]}
    filter_horizontal = ["resources"]
    list_select_related = ["path"]


class RegistrationInline(admin.TabularInline):
    model = Registration
    fields = ["user", "status", "audience", "organisation_kind", "attended", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    form = AudiencesForm
    list_display = [
        "module",
        "starts_at",
        "format",
        "operator",
        "cress_region",
        "registered",
        "capacity",
        "experimentation",
        "is_cancelled",
        "is_demo",
    ]
    list_filter = [
        "format",
        "experimentation",
        "is_cancelled",
        "cress_region",
        "operator__kind",
        "module__path",
        "is_demo",
        ("starts_at", admin.DateFieldListFilter),
    ]
    search_fields = ["module__title_fr", "module__title_en", "operator__name", "place"]
    date_hierarchy = "starts_at"
    list_select_related = ["module", "operator"]
    autocomplete_fields = ["operator"]
    inlines = [RegistrationInline]
    actions = ["flag_experimentation", "unflag_experimentation", "cancel_sessions", "export_csv"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _registered=Count(
                    "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
                )
            )
        )

    @admin.display(description=_("registered"), ordering="_registered")
    def registered(self, obj):
        return obj._registered

    @admin.action(description=_("Flag as experimentation"))
    def flag_experimentation(self, request, queryset):
        queryset.update(experimentation=True)

    @admin.action(description=_("Remove the experimentation flag"))
    def unflag_experimentation(self, request, queryset):
        queryset.update(experimentation=False)

    @admin.action(description=_("Cancel the selected sessions (and email the people registered)"))
    def cancel_sessions(self, request, queryset):
        from essor.trainings.registration import cancel_session

        emailed = sum(cancel_session(session) for session in queryset)
        self.message_user(request, _("%(count)d people were told of the cancellation.") % {"count": emailed})

    @admin.action(description=_("Export the selected sessions as CSV"))
    def export_csv(self, request, queryset):
        return export_as_csv(
            self,
            request,
            queryset,
            [
                ("id", lambda s: s.pk),
                ("module", lambda s: s.module.slug),
                ("title", lambda s: s.module.title_fr),
                ("format", lambda s: s.format),
                ("starts_at", lambda s: s.starts_at.isoformat()),
                ("ends_at", lambda s: s.ends_at.isoformat()),
                ("timezone", lambda s: s.timezone),
                ("operator", lambda s: s.operator.name),
                ("cress_region", lambda s: s.cress_region),
                ("capacity", lambda s: s.capacity),
                ("registered", lambda s: s._registered),
                ("audiences", lambda s: ";".join(s.audiences)),
                ("experimentation", lambda s: s.experimentation),
                ("cancelled", lambda s: s.is_cancelled),
            ],
        )


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "session", "status", "audience", "organisation_kind", "attended", "created_at"]
    list_filter = [
        "status",
        "attended",
        "audience",
        "organisation_kind",
        "session__experimentation",
        "session__cress_region",
        "is_demo",
    ]
    search_fields = ["user__email", "user__last_name", "session__module__title_fr"]
    list_select_related = ["user", "session__module"]
    raw_id_fields = ["user", "session"]
    actions = ["mark_present", "mark_absent", "export_csv"]

    @admin.action(description=_("Mark as present"))
    def mark_present(self, request, queryset):
        queryset.filter(status=RegistrationStatus.CONFIRMED).update(attended=True)

    @admin.action(description=_("Mark as absent"))
    def mark_absent(self, request, queryset):
        queryset.filter(status=RegistrationStatus.CONFIRMED).update(attended=False)

    @admin.action(description=_("Export the selected registrations as CSV"))
    def export_csv(self, request, queryset):
        return export_as_csv(
            self,
            request,
            queryset,
            [
                ("session", lambda r: r.session_id),
                ("module", lambda r: r.session.module.title_fr),
                ("email", lambda r: r.user.email if r.user else ""),
                ("status", lambda r: r.status),
                ("audience", lambda r: r.audience),
                ("organisation_kind", lambda r: r.organisation_kind),
                ("attended", lambda r: r.attended),
                ("registered_at", lambda r: r.created_at.isoformat()),
            ],
        )


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = [
        "session",
        "satisfaction",
        "usefulness",
        "knowledge_before",
        "knowledge_after",
        "submitted_at",
    ]
    list_filter = [
        "satisfaction",
        "usefulness",
        "session__experimentation",
        "session__cress_region",
        "is_demo",
    ]
    search_fields = ["session__module__title_fr", "comments"]
    list_select_related = ["session__module"]
    raw_id_fields = ["registration", "session"]
    actions = ["export_csv"]

    @admin.action(description=_("Export the selected evaluations as CSV (anonymous)"))
    def export_csv(self, request, queryset):
        return export_as_csv(
            self,
            request,
            queryset,
            [
                ("session", lambda e: e.session_id),
                ("satisfaction", lambda e: e.satisfaction),
                ("usefulness", lambda e: e.usefulness),
                ("knowledge_before", lambda e: e.knowledge_before),
                ("knowledge_after", lambda e: e.knowledge_after),
                ("comments", lambda e: e.comments),
            ],
        )
