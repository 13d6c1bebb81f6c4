"""Registration, waiting list, cancellation with promotion, attendance — and the emails they send."""

from datetime import timedelta

import pytest
from django.utils import timezone

from essor.accounts.models import Audience, OrganisationKind
from essor.accounts.tests.factories import OrganisationFactory, make_user
from essor.trainings.models import RegistrationStatus
from essor.trainings.registration import RegistrationRefused, cancel, mark_attendance, register
from essor.trainings.tests.factories import SessionFactory, past_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run on_commit callbacks (the emails) as a real commit would."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def test_register_confirms_and_emails_in_the_persons_language(commit, mailoutbox):
    session = SessionFactory(capacity=2)
    french = make_user(language="fr", email="fr@example.org")
    english = make_user(language="en", email="en@example.org")

    first = commit(register, session, french)
    second = commit(register, session, english)

    assert first.status == second.status == RegistrationStatus.CONFIRMED
    assert [m.to for m in mailoutbox] == [["fr@example.org"], ["en@example.org"]]
    assert mailoutbox[0].subject.startswith("Inscription confirmée")
    assert "Les bases de l'ESS" in mailoutbox[0].subject  # apostrophe not HTML-escaped
    assert session.link in mailoutbox[0].body
    assert mailoutbox[1].subject.startswith("Registration confirmed")
    assert session.module.title_en in mailoutbox[1].subject


def test_full_session_puts_people_on_the_waiting_list_and_cancellation_promotes_the_first(commit, mailoutbox):
    session = SessionFactory(capacity=1)
    holder, first_waiting, second_waiting = (make_user(language="fr") for _ in range(3))
    held = commit(register, session, holder)
    waiting_1 = commit(register, session, first_waiting)
    waiting_2 = commit(register, session, second_waiting)
    assert (waiting_1.status, waiting_2.status) == (RegistrationStatus.WAITING, RegistrationStatus.WAITING)
    assert "liste d'attente" in mailoutbox[1].subject
    assert session.link not in mailoutbox[1].body  # the link goes to confirmed people only

    mailoutbox.clear()
    promoted = commit(cancel, held)

    assert promoted.pk == waiting_1.pk
    waiting_1.refresh_from_db()
    waiting_2.refresh_from_db()
    assert waiting_1.status == RegistrationStatus.CONFIRMED and waiting_1.promoted_at is not None
    assert waiting_2.status == RegistrationStatus.WAITING
    assert [m.to for m in mailoutbox] == [[first_waiting.email]]
    assert "place" in mailoutbox[0].subject.lower() and session.link in mailoutbox[0].body


def test_cancelling_a_waiting_registration_promotes_nobody(commit):
    session = SessionFactory(capacity=1)
    commit(register, session, make_user())
    waiting = commit(register, session, make_user())
    assert commit(cancel, waiting) is None


def test_double_registration_is_refused():
    session = SessionFactory()
    person = make_user()
    register(session, person)
    with pytest.raises(RegistrationRefused, match="déjà inscrit"):
        register(session, person)


def test_registration_over_capacity_without_waiting_list_is_refused():
    session = SessionFactory(capacity=1, waiting_list=False)
    register(session, make_user())
    with pytest.raises(RegistrationRefused, match="complète et n'a pas de liste d'attente"):
        register(session, make_user())


def test_declining_the_waiting_list_is_refused_with_a_hint():
    session = SessionFactory(capacity=1)
    register(session, make_user())
    with pytest.raises(RegistrationRefused, match="liste d'attente"):
        register(session, make_user(), join_waiting_list=False)


def test_registration_to_a_past_or_cancelled_session_is_refused():
    with pytest.raises(RegistrationRefused, match="inscription est close"):
        register(past_session(), make_user())
    with pytest.raises(RegistrationRefused, match="annulée"):
        register(SessionFactory(is_cancelled=True), make_user())


def test_a_cancelled_person_can_register_again():
    session = SessionFactory()
    person = make_user()
    cancel(register(session, person))
    assert register(session, person).status == RegistrationStatus.CONFIRMED


def test_registration_keeps_audience_and_organisation_kind_for_reports():
    organisation = OrganisationFactory(kind=OrganisationKind.PREFECTURE)
    person = make_user(organisation=organisation, audience=Audience.PREFECT_DELEGATE)
    registration = register(SessionFactory(), person)
    assert (registration.audience, registration.organisation_kind) == ("prefect_delegate", "prefecture")


def test_attendance_is_marked_after_the_start_for_confirmed_people_only():
    session = SessionFactory()
    present, absent = register(session, make_user()), register(session, make_user())
    with pytest.raises(RegistrationRefused):
        mark_attendance(session, [present.pk])
    session.starts_at = timezone.now() - timedelta(hours=1)
    session.ends_at = timezone.now() + timedelta(hours=1)
    session.save()
    assert mark_attendance(session, [present.pk]) == 1
    present.refresh_from_db()
    absent.refresh_from_db()
    assert (present.attended, absent.attended) == (True, False)
    with pytest.raises(RegistrationRefused, match="pas inscrites"):
        mark_attendance(session, [999999])


def test_cancelling_a_session_tells_everyone_registered_or_waiting(client, commit, mailoutbox):
    from django.urls import reverse

    from essor.accounts.models import Role
    from essor.trainings.registration import cancel_session

    session = SessionFactory(capacity=1)
    english, french = make_user(language="en"), make_user(language="fr")
    commit(register, session, english)
    commit(register, session, french)
    mailoutbox.clear()
    operator = make_user(role=Role.OPERATOR, organisation=session.operator)
    client.force_login(operator)
    assert client.get(reverse("trainings:session_cancel", args=[session.pk])).status_code == 200
    with_callbacks = commit(client.post, reverse("trainings:session_cancel", args=[session.pk]))
    assert with_callbacks.status_code == 302
    session.refresh_from_db()
    assert session.is_cancelled
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects[english.email].startswith("Session cancelled") and subjects[french.email].startswith(
        "Session annulée"
    )
    assert all(session.link not in m.body for m in mailoutbox)
    assert commit(cancel_session, session) == 0  # already cancelled: nobody is emailed twice
