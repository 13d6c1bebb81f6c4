"""Who may do what in programme steering (one rule book for views, admin and tests).

- programme admins edit everything (roadmap, conventions, committees, indicators, snapshots, readers);
- the programme team's editors, board members (SteeringReader) and funders read the dashboard; a funder reads only
  the conventions its organisation funds;
- everybody else, anonymous included, sees only what is published: published action sheets (the public roadmap)
  and the report of a published convention.
"""

from essor.accounts.models import Role
from essor.accounts.permissions import is_programme_admin, organisation_id_of, role_of
from essor.steering.models import ActionSheet, Convention, ReaderRole


def _reader(user):
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "steering_reader", None)


def can_edit(user) -> bool:
    return is_programme_admin(user)


def is_board_member(user) -> bool:
    reader = _reader(user)
    return reader is not None and reader.role == ReaderRole.BOARD_MEMBER


def funder_organisation_id(user) -> int | None:
    reader = _reader(user)
    if reader is None or reader.role != ReaderRole.FUNDER:
        return None
    return reader.organisation_id or organisation_id_of(user)


def sees_everything(user) -> bool:
    """The programme team and the board read every convention and sheet, published or not."""
    return role_of(user) in {Role.PROGRAMME_ADMIN, Role.EDITOR} or is_board_member(user)


def can_view_dashboard(user) -> bool:
    return sees_everything(user) or funder_organisation_id(user) is not None


def can_view_audit_trail(user) -> bool:
    return sees_everything(user)


def visible_conventions(user):
    if sees_everything(user):
        return Convention.objects.all()
    funder = funder_organisation_id(user)
    if funder is not None:
        return Convention.objects.filter(funder_id=funder)
    return Convention.objects.none()


def can_view_convention(user, convention) -> bool:
    return visible_conventions(user).filter(pk=convention.pk).exists()


def can_view_report(user, convention) -> bool:
    return convention.is_published or can_view_convention(user, convention)


def visible_sheets(user):
    if sees_everything(user):
        return ActionSheet.objects.all()
    if funder_organisation_id(user) is not None:
        # A funder reads the sheets of its conventions, and the published ones.
        from django.db.models import Q

        return ActionSheet.objects.filter(
            Q(is_published=True) | Q(conventions__funder_id=funder_organisation_id(user))
        ).distinct()
    return ActionSheet.objects.filter(is_published=True)
