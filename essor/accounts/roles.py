"""Roles -> Django admin access: programme admins and editors work in the admin, with their group's permissions.

Kept in sync whenever a profile is saved (signals.py), so giving someone a role in the admin is enough.
"""

from django.contrib.auth.models import Group, Permission

from essor.accounts.models import Role

ROLE_GROUPS: dict[str, tuple[str, list[str]]] = {
    Role.PROGRAMME_ADMIN: ("Programme admins", ["accounts", "trainings", "resources", "auth"]),
    Role.EDITOR: ("Editors", ["trainings", "resources"]),
}


def group_for(role: str) -> Group | None:
    if role not in ROLE_GROUPS:
        return None
    name, app_labels = ROLE_GROUPS[role]
    group, created = Group.objects.get_or_create(name=name)
    if created or not group.permissions.exists():
        group.permissions.set(Permission.objects.filter(content_type__app_label__in=app_labels))
    return group


def sync_admin_access(profile) -> None:
    user = profile.user
    staff = profile.role in ROLE_GROUPS or user.is_superuser
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])
    managed = Group.objects.filter(name__in=[name for name, _apps in ROLE_GROUPS.values()])
    user.groups.remove(*managed)
    group = group_for(profile.role)
    if group is not None:
        user.groups.add(group)
