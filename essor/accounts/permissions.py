"""Who may do what, per role. Plain functions so views, admin, API and tests share one rule book."""

from essor.accounts.models import Role


def role_of(user) -> str | None:
    """The role of a signed-in user (superusers count as programme admins); None when anonymous."""
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.PROGRAMME_ADMIN
    profile = getattr(user, "profile", None)
    return profile.role if profile else Role.MEMBER


def organisation_id_of(user) -> int | None:
    profile = getattr(user, "profile", None) if user and user.is_authenticated else None
    return profile.organisation_id if profile else None


def is_programme_admin(user) -> bool:
    return role_of(user) == Role.PROGRAMME_ADMIN


def can_manage_content(user) -> bool:
    """Paths, modules, resources, experiences: editors and programme admins."""
    return role_of(user) in {Role.PROGRAMME_ADMIN, Role.EDITOR}


def can_manage_accounts(user) -> bool:
    """Organisations, roles, people: programme admins only."""
    return is_programme_admin(user)


def is_operator(user) -> bool:
    return role_of(user) == Role.OPERATOR and organisation_id_of(user) is not None


def can_view_programme_reports(user) -> bool:
    """Cross-organisation reports (paths, experimentation): the programme team."""
    return can_manage_content(user)
