"""`essor hub send-reminders`, `send-evaluations` (idempotent, in each person's language) and `essor hub demo`."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from essor.accounts.tests.factories import make_user
from essor.trainings.models import Evaluation, Module, Registration, RegistrationStatus, Session
from essor.trainings.tests.factories import SessionFactory, past_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(django_capture_on_commit_callbacks):
    """Run `essor hub ...` and its on-commit email tasks; returns what it printed."""

    def run(*args) -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("hub", *args, stdout=out, stderr=StringIO())
        return out.getvalue()

    return run


def test_send_reminders_once_per_person_in_their_language(hub, mailoutbox):
    soon = SessionFactory(starts_at=timezone.now() + timedelta(hours=20))
    later = SessionFactory(starts_at=timezone.now() + timedelta(days=9))
    french, english, waiting = make_user(language="fr"), make_user(language="en"), make_user()
    for person in (french, english):
        Registration.objects.create(session=soon, user=person, status=RegistrationStatus.CONFIRMED)
    Registration.objects.create(session=soon, user=waiting, status=RegistrationStatus.WAITING)
    Registration.objects.create(session=later, user=french, status=RegistrationStatus.CONFIRMED)

    assert "2 reminder" in hub("send-reminders")
    assert sorted(m.to[0] for m in mailoutbox) == sorted([french.email, english.email])
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects[french.email].startswith("Rappel") and subjects[english.email].startswith("Reminder")
    assert "0 reminder" in hub("send-reminders")  # idempotent
    assert len(mailoutbox) == 2


def test_send_evaluations_invites_attendees_who_have_not_answered(hub, mailoutbox):
    session = past_session()
    attended, absent, answered = make_user(language="en"), make_user(), make_user()
    reg = Registration.objects.create(
        session=session, user=attended, status=RegistrationStatus.CONFIRMED, attended=True
    )
    Registration.objects.create(
        session=session, user=absent, status=RegistrationStatus.CONFIRMED, attended=False
    )
    done = Registration.objects.create(
        session=session, user=answered, status=RegistrationStatus.CONFIRMED, attended=True
    )
    Evaluation.objects.create(registration=done, session=session, satisfaction=4, usefulness=4)

    assert "1 evaluation" in hub("send-evaluations")
    (mail,) = mailoutbox
    assert mail.to == [attended.email] and mail.subject.startswith("Your opinion on the session")
    assert f"/en/formations/evaluation/{reg.pk}/" in mail.body
    assert "0 evaluation" in hub("send-evaluations")


def test_demo_is_idempotent_and_labelled(hub):
    first = hub("demo")
    assert "sessions created: 8" in first and "admin@example.org" in first
    counts = (Session.objects.count(), Registration.objects.count(), Evaluation.objects.count())
    second = hub("demo")
    assert "sessions created: 0" in second and "registrations created: 0" in second
    assert (Session.objects.count(), Registration.objects.count(), Evaluation.objects.count()) == counts
    assert Module.objects.filter(is_demo=True).count() >= 5
    now = timezone.now()
    assert (
        Session.objects.filter(starts_at__lt=now).count() >= 3
        and Session.objects.filter(starts_at__gt=now).exists()
    )
    assert (
        not Session.objects.filter(is_demo=False).exists()
        and not Registration.objects.filter(is_demo=False).exists()
    )
    assert counts[2] > 0
    assert all(e.endswith("@example.org") for e in Registration.objects.values_list("user__email", flat=True))
