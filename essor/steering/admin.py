"""Back office for programme steering: programme admins edit (steering.permissions), every change is audited."""

from django import forms
from django.contrib import admin

from essor.steering import metrics, models, permissions
from essor.steering.audit import acting_as


class SteeringAdmin(admin.ModelAdmin):
    """Programme admins edit; the rest of the programme team and the board read; every change names its author."""

    def has_module_permission(self, request):
        return permissions.sees_everything(request.user) and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, *args):
        return permissions.can_edit(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.can_edit(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_edit(request.user)

    def changeform_view(self, request, *args, **kwargs):
        with acting_as(request.user, "admin"):
            return super().changeform_view(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        with acting_as(request.user, "admin"):
            return super().changelist_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        with acting_as(request.user, "admin"):
            return super().delete_view(request, *args, **kwargs)


class SteeringInline(admin.TabularInline):
    """Inlines follow the same rules as their page (the admin checks them separately)."""

    extra = 0

    def has_view_permission(self, request, obj=None):
        return permissions.sees_everything(request.user) and request.user.is_staff

    def has_add_permission(self, request, obj=None):
        return permissions.can_edit(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.can_edit(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_edit(request.user)


class StepInline(SteeringInline):
    model = models.Step
    fields = ["position", "kind", "text_fr", "text_en", "when", "starts_on", "ends_on", "status", "progress"]
    extra = 0


class ActionInline(SteeringInline):
    model = models.Action
    fields = ["position", "title_fr", "title_en", "status", "progress"]
    extra = 0
    show_change_link = True


class ParticipantInline(SteeringInline):
    model = models.Participant
    fields = ["role", "name", "note", "user"]
    raw_id_fields = ["user"]
    extra = 0


@admin.register(models.Axis)
class AxisAdmin(SteeringAdmin):
    list_display = ["number", "title_fr", "title_en"]


@admin.register(models.ActionSheet)
class ActionSheetAdmin(SteeringAdmin):
    list_display = ["number", "title_fr", "axis", "is_published", "imported_at"]
    list_filter = ["axis", "is_published"]
    search_fields = ["title_fr", "title_en", "context"]
    filter_horizontal = ["partners"]
    readonly_fields = ["source_file", "source_sha256", "source_lines", "imported_at"]
    inlines = [ParticipantInline, ActionInline]


@admin.register(models.Action)
class ActionAdmin(SteeringAdmin):
    list_display = ["title_fr", "sheet", "position", "status", "progress"]
    list_filter = ["sheet", "status"]
    list_editable = ["status", "progress"]
    search_fields = ["title_fr", "title_en", "text"]
    inlines = [StepInline]


class AmountInline(SteeringInline):
    model = models.ConventionAmount
    extra = 0


class DeliverableInline(SteeringInline):
    model = models.Deliverable
    extra = 0


class IndicatorForm(forms.ModelForm):
    """The metric is chosen among those this version of essor computes (steering.metrics)."""

    metric = forms.ChoiceField(
        label=models.ConventionIndicator._meta.get_field("metric").verbose_name, choices=()
    )

    class Meta:
        model = models.ConventionIndicator
        fields = ["position", "metric", "label_fr", "label_en", "baseline", "target"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = metrics.choices()


class IndicatorInline(SteeringInline):
    model = models.ConventionIndicator
    form = IndicatorForm
    fields = ["position", "metric", "label_fr", "label_en", "baseline", "target"]
    extra = 0


class CommitteeInline(SteeringInline):
    model = models.Committee
    fields = ["kind", "title_fr", "when", "date"]
    extra = 0
    show_change_link = True


@admin.register(models.Convention)
class ConventionAdmin(SteeringAdmin):
    list_display = ["title_fr", "funder", "starts_on", "ends_on", "is_published", "is_demo"]
    list_filter = ["funder", "is_published", "is_demo"]
    filter_horizontal = ["parties", "action_sheets"]
    inlines = [AmountInline, DeliverableInline, IndicatorInline, CommitteeInline]


class AttendanceInline(SteeringInline):
    model = models.Attendance
    extra = 0


class DecisionInline(SteeringInline):
    model = models.Decision
    extra = 0


class FollowUpInline(SteeringInline):
    model = models.FollowUp
    fields = ["text_fr", "text_en", "decision", "owner", "due_on", "status", "done_on"]
    extra = 0


@admin.register(models.Committee)
class CommitteeAdmin(SteeringAdmin):
    list_display = ["title_fr", "convention", "kind", "date", "is_demo"]
    list_filter = ["convention", "kind"]
    inlines = [AttendanceInline, DecisionInline, FollowUpInline]


@admin.register(models.SteeringReader)
class SteeringReaderAdmin(SteeringAdmin):
    list_display = ["user", "role", "organisation"]
    list_filter = ["role"]
    raw_id_fields = ["user"]


@admin.register(models.AuditEntry)
class AuditEntryAdmin(SteeringAdmin):
    list_display = ["at", "actor", "source", "action", "object_repr"]
    list_filter = ["action", "source", "content_type"]
    search_fields = ["object_repr", "actor"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
