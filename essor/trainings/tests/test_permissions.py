"""Permissions matrix: each role x each action, allowed and refused — as rules and as HTTP answers."""

import pytest
from django.contrib.auth.models import AnonymousUser

from essor.accounts import permissions as account_rules
from essor.accounts.models import OrganisationKind, Role
from essor.accounts.tests.factories import OrganisationFactory, make_user
from essor.trainings import permissions as rules
from essor.trainings.models import Registration, RegistrationStatus
from essor.trainings.tests.factories import SessionFactory, past_session

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "registrant", "operator_own", "operator_other", "editor", "admin"]


@pytest.fixture
def world():
    own = OrganisationFactory(kind=OrganisationKind.CRESS, name="CRESS A")
    other = OrganisationFactory(kind=OrganisationKind.CRESS, name="CRESS B")
    session = past_session(operator=own)
    registrant = make_user()
    registration = Registration.objects.create(
        session=session, user=registrant, status=RegistrationStatus.CONFIRMED, attended=True
    )
    people = {
        "anonymous": AnonymousUser(),
        "member": make_user(),
        "registrant": registrant,
        "operator_own": make_user(role=Role.OPERATOR, organisation=own),
        "operator_other": make_user(role=Role.OPERATOR, organisation=other),
        "editor": make_user(role=Role.EDITOR),
        "admin": make_user(role=Role.PROGRAMME_ADMIN),
    }
    return {"session": session, "registration": registration, "own": own, "other": other, "people": people}


# action -> roles allowed (every other role is refused)
MATRIX = {
    "manage_content": {"editor", "admin"},
    "manage_accounts": {"admin"},
    "create_session_for_own_org": {"operator_own", "editor", "admin"},
    "create_session_for_other_org": {"operator_other", "editor", "admin"},
    "edit_session": {"operator_own", "editor", "admin"},
    "mark_attendance": {"operator_own", "editor", "admin"},
    "view_attendees": {"operator_own", "editor", "admin"},
    "view_session_report": {"operator_own", "editor", "admin"},
    "view_path_report": {"editor", "admin"},
    "view_experimentation_report": {"operator_own", "operator_other", "editor", "admin"},
    "register": {"member", "registrant", "operator_own", "operator_other", "editor", "admin"},
    "view_registration": {"registrant", "operator_own", "editor", "admin"},
    "cancel_registration": {"registrant", "operator_own", "editor", "admin"},
    "evaluate": {"registrant"},
}


def check(action, user, w):
    session, registration = w["session"], w["registration"]
    return {
        "manage_content": lambda: account_rules.can_manage_content(user),
        "manage_accounts": lambda: account_rules.can_manage_accounts(user),
        "create_session_for_own_org": lambda: rules.can_create_session(user, w["own"]),
        "create_session_for_other_org": lambda: rules.can_create_session(user, w["other"]),
        "edit_session": lambda: rules.can_edit_session(user, session),
        "mark_attendance": lambda: rules.can_mark_attendance(user, session),
        "view_attendees": lambda: rules.can_view_attendees(user, session),
        "view_session_report": lambda: rules.can_view_session_report(user, session),
        "view_path_report": lambda: rules.can_view_path_report(user, session.module.path),
        "view_experimentation_report": lambda: rules.can_view_experimentation_report(user),
        "register": lambda: rules.can_register(user),
        "view_registration": lambda: rules.can_view_registration(user, registration),
        "cancel_registration": lambda: rules.can_cancel_registration(user, registration),
        "evaluate": lambda: rules.can_evaluate(user, registration),
    }[action]()


@pytest.mark.parametrize("action", sorted(MATRIX))
def test_permission_matrix(world, action):
    outcome = {role: check(action, world["people"][role], world) for role in ROLES}
    expected = {role: role in MATRIX[action] for role in ROLES}
    assert outcome == expected


def test_an_operator_without_organisation_runs_nothing(world):
    orphan = make_user(role=Role.OPERATOR, organisation=None)
    assert not rules.can_edit_session(orphan, world["session"])
    assert not rules.can_view_experimentation_report(orphan)


def test_superuser_counts_as_programme_admin(world):
    superuser = make_user(is_superuser=True)
    assert rules.can_edit_session(superuser, world["session"]) and account_rules.can_manage_accounts(
        superuser
    )


def test_evaluation_refusals_explain_why(world):
    registration = world["registration"]
    registration.attended = False
    registration.save()
    assert "présentes" in rules.evaluation_refusal(world["people"]["registrant"], registration)
    upcoming = SessionFactory()
    future_registration = Registration.objects.create(
        session=upcoming, user=world["people"]["registrant"], status=RegistrationStatus.CONFIRMED
    )
    assert "terminée" in rules.evaluation_refusal(world["people"]["registrant"], future_registration)


# HTTP: the same rules, as a person would meet them (403 refused, 302 to sign in for anonymous, 200 allowed).
PAGES = {
    "session_manage": ("trainings:session_manage", "session", MATRIX["mark_attendance"]),
    "session_report": ("trainings:session_report", "session", MATRIX["view_session_report"]),
    "path_report": ("trainings:path_report", "path", MATRIX["view_path_report"]),
    "experimentation_report": (
        "trainings:experimentation_report",
        None,
        MATRIX["view_experimentation_report"],
    ),
    "operator_dashboard": ("trainings:operator_dashboard", None, MATRIX["view_experimentation_report"]),
    "evaluate": ("trainings:evaluate", "registration", MATRIX["evaluate"]),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_pages_follow_the_matrix(world, client, page):
    from django.urls import reverse

    name, argument, allowed = PAGES[page]
    args = {
        None: [],
        "session": [world["session"].pk],
        "path": [world["session"].module.path.slug],
        "registration": [world["registration"].pk],
    }[argument]
    url = reverse(name, args=args)
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(world["people"][role])
        status = client.get(url).status_code
        if role == "anonymous":
            assert status == 302, (page, role)
        elif role in allowed:
            assert status == 200, (page, role)
        else:
            # someone else's evaluation link is not even revealed to exist
            assert status in (403, 404), (page, role, status)
