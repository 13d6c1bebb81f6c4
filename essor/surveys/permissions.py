"""Who may do what with surveys (tested as a matrix, role x action, in tests/test_permissions.py).

- programme admins and editors build questionnaires, run campaigns, read every response and export them;
- a CRESS operator reads the aggregates of the authorities of its région (never a single authority's answers);
- an authority's people — whoever holds its invitation link, or a signed-in member of the organisation whose
  territory is the invited one — see and edit their own response, and nobody else's;
- the public sees the validated needs board and nothing personal.
"""

from essor.accounts.models import OrganisationKind
from essor.accounts.permissions import can_manage_content, is_operator, role_of


def can_manage_surveys(user) -> bool:
    return can_manage_content(user)


def operator_region(user) -> str | None:
    """The région code of a CRESS operator's organisation; None for everybody else."""
    if not is_operator(user):
        return None
    organisation = user.profile.organisation
    if organisation.kind != OrganisationKind.CRESS or not organisation.region_code:
        return None
    return organisation.region_code


def analysis_region(user) -> str | None:
    """The région an analysis is limited to: '' for the whole campaign, a code for an operator.
    Raises PermissionError for anybody else."""
    if can_manage_surveys(user):
        return ""
    region = operator_region(user)
    if region:
        return region
    raise PermissionError


def can_view_analysis(user) -> bool:
    try:
        analysis_region(user)
    except PermissionError:
        return False
    return True


def can_read_free_text(user) -> bool:
    """Free-text answers may name people: the programme team only."""
    return can_manage_surveys(user)


def can_export_responses(user) -> bool:
    return can_manage_surveys(user)


def authority_territory(user) -> str:
    """The territory identifier of a signed-in member's organisation (a local authority), or ''."""
    if role_of(user) is None:
        return ""
    profile = getattr(user, "profile", None)
    organisation = profile.organisation if profile else None
    if organisation is None or organisation.kind != OrganisationKind.LOCAL_AUTHORITY:
        return ""
    return organisation.territory or ""


def can_view_response(user, invitation) -> bool:
    if can_manage_surveys(user):
        return True
    territory = authority_territory(user)
    return bool(territory) and territory == invitation.territory


def can_review_needs(user) -> bool:
    return can_manage_surveys(user)
