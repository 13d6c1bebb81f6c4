"""The back office: lists with filters and search, bulk actions, CSV export."""

import pytest
from django.urls import reverse

from essor.accounts.models import Profile, Role
from essor.accounts.tests.factories import make_user
from essor.trainings.models import Registration, RegistrationStatus, Session
from essor.trainings.tests.factories import SessionFactory, past_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(role=Role.PROGRAMME_ADMIN, is_staff=True, is_superuser=True))
    return client


def test_admin_lists_and_forms_render(admin_client, django_assert_max_num_queries):
    session = SessionFactory()
    Registration.objects.create(session=session, user=make_user(), status=RegistrationStatus.CONFIRMED)
    for model in ("trainingpath", "module", "session", "registration", "evaluation"):
        with django_assert_max_num_queries(25):
            assert admin_client.get(reverse(f"admin:trainings_{model}_changelist")).status_code == 200
    for model in ("organisation", "profile"):
        assert admin_client.get(reverse(f"admin:accounts_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:auth_user_changelist") + "?q=example").status_code == 200
    change = admin_client.get(reverse("admin:trainings_session_change", args=[session.pk])).content.decode()
    assert 'name="audiences" value="prefect_delegate"' in change and "checked" in change
    searched = admin_client.get(
        reverse("admin:trainings_session_changelist") + "?q=ESS&experimentation__exact=1"
    )
    assert searched.status_code == 200


def test_bulk_actions_flag_cancel_and_export(admin_client):
    sessions = [SessionFactory(experimentation=False), past_session(experimentation=False)]
    url = reverse("admin:trainings_session_changelist")
    ids = [s.pk for s in sessions]
    admin_client.post(url, {"action": "flag_experimentation", "_selected_action": ids})
    assert Session.objects.filter(experimentation=True).count() == 2
    exported = admin_client.post(url, {"action": "export_csv", "_selected_action": ids})
    lines = exported.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("id,module,title,format") and len(lines) == 3
    admin_client.post(url, {"action": "cancel_sessions", "_selected_action": ids[:1]})
    assert Session.objects.get(pk=ids[0]).is_cancelled


def test_roles_are_set_in_bulk(admin_client):
    person = make_user()
    admin_client.post(
        reverse("admin:accounts_profile_changelist"),
        {"action": "make_operator", "_selected_action": [person.profile.pk]},
    )
    assert Profile.objects.get(pk=person.profile.pk).role == Role.OPERATOR


def test_editors_work_in_the_admin_members_and_operators_do_not(client):
    editor, member, operator = make_user(role=Role.EDITOR), make_user(), make_user(role=Role.OPERATOR)
    url = reverse("admin:trainings_session_changelist")
    client.force_login(editor)
    assert client.get(url).status_code == 200
    assert (
        client.get(reverse("admin:accounts_profile_changelist")).status_code == 403
    )  # accounts: admins only
    for person in (member, operator):
        client.force_login(person)
        assert client.get(url).status_code == 302  # to the admin's sign-in page
    profile = editor.profile
    profile.role = Role.MEMBER
    profile.save()
    client.force_login(editor)
    assert client.get(url).status_code == 302
