"""Who may do what with study editions: editors write, programme admins publish, everyone reads what is published."""

from essor.accounts.permissions import can_manage_content, is_programme_admin


def can_edit(user) -> bool:
    """Write drafts, preview them in both languages, see the differences before publishing."""
    return can_manage_content(user)


def can_publish(user) -> bool:
    return is_programme_admin(user)


def can_view(user, edition) -> bool:
    return edition.is_published or can_edit(user)
