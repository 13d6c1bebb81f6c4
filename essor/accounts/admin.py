"""Back office for the programme team: organisations, people and roles."""

import csv

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from essor.accounts.models import Organisation, Profile, Role
from essor.core.exports import safe_cell


def export_as_csv(modeladmin, request, queryset, fields):
    """CSV of the selected rows (a bulk action); `fields` are (header, getter) pairs."""
    meta = modeladmin.model._meta
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="essor-{meta.model_name}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([header for header, _getter in fields])
    for obj in queryset:
        writer.writerow([safe_cell(getter(obj)) for _header, getter in fields])
    return response


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "territory", "region_code", "member_count", "is_demo"]
    list_filter = ["kind", "region_code", "is_demo"]
    search_fields = ["name", "territory"]
    actions = ["export_csv"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_members=Count("profiles"))

    @admin.display(description=_("members"), ordering="_members")
    def member_count(self, obj):
        return obj._members

    @admin.action(description=_("Export the selected organisations as CSV"))
    def export_csv(self, request, queryset):
        return export_as_csv(
            self,
            request,
            queryset,
            [
                ("name", lambda o: o.name),
                ("kind", lambda o: o.kind),
                ("territory", lambda o: o.territory),
                ("region_code", lambda o: o.region_code),
                ("website", lambda o: o.website),
            ],
        )


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fields = ["organisation", "role", "audience", "language", "email_confirmed_at", "is_demo"]
    autocomplete_fields = ["organisation"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "audience", "language", "email_confirmed_at", "is_demo"]
    list_filter = ["role", "audience", "language", "organisation__kind", "is_demo"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "organisation__name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["organisation"]
    actions = ["make_member", "make_operator", "make_editor", "export_csv"]

    def _set_role(self, request, queryset, role):
        count = 0
        for profile in queryset.select_related("user"):
            profile.role = role
            profile.save(update_fields=["role"])  # the signal syncs the admin access of the role
            count += 1
        self.message_user(
            request,
            _("%(count)d people now have the role %(role)s.") % {"count": count, "role": Role(role).label},
        )

    @admin.action(description=_("Set role: member"))
    def make_member(self, request, queryset):
        self._set_role(request, queryset, Role.MEMBER)

    @admin.action(description=_("Set role: operator"))
    def make_operator(self, request, queryset):
        self._set_role(request, queryset, Role.OPERATOR)

    @admin.action(description=_("Set role: editor"))
    def make_editor(self, request, queryset):
        self._set_role(request, queryset, Role.EDITOR)

    @admin.action(description=_("Export the selected people as CSV"))
    def export_csv(self, request, queryset):
        return export_as_csv(
            self,
            request,
            queryset,
            [
                ("email", lambda p: p.user.email),
                ("first_name", lambda p: p.user.first_name),
                ("last_name", lambda p: p.user.last_name),
                ("organisation", lambda p: p.organisation.name if p.organisation else ""),
                ("role", lambda p: p.role),
                ("audience", lambda p: p.audience),
                ("language", lambda p: p.language),
            ],
        )


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class EssorUserAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ["email", "first_name", "last_name", "role", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff", "profile__role", "profile__audience"]
    list_select_related = ["profile"]

    @admin.display(description=_("role"), ordering="profile__role")
    def role(self, obj):
        profile = getattr(obj, "profile", None)
        return profile.get_role_display() if profile else "—"
