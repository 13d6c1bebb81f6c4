"""`make demo` from a fresh clone: the local settings file, the task worker beside the server, CI running it."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def recipe(target: str) -> tuple[str, str]:
    """(prerequisites, recipe) of a Makefile target."""
    text = (ROOT / "Makefile").read_text()
    match = re.search(rf"^{re.escape(target)}:([^\n]*)\n((?:\t[^\n]*\n)*)", text, re.MULTILINE)
    assert match, f"no {target} target"
    return match.group(1), match.group(2)


def test_demo_set_up_writes_the_local_env_and_serve_runs_the_task_worker():
    prerequisites, _ = recipe("demo-data")
    assert ".env" in prerequisites.split()
    _, serve = recipe("serve")
    assert "db_worker" in serve and "runserver" in serve
    assert "ESSOR_SITE_URL=$(SITE_URL)" in serve


def test_ci_runs_the_readme_demo_set_up_after_the_tests():
    steps = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert steps.index("make demo-data") > steps.index("make test")


@pytest.mark.django_db(transaction=True)
def test_queued_emails_go_out_when_the_worker_runs(settings, mailoutbox):
    """Registration said 'a confirmation email is on its way' while nothing ran the queued tasks."""
    from essor.accounts.services import send_confirmation_email
    from essor.accounts.tests.factories import make_user

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SITE_URL = "http://127.0.0.1:8101"
    user = make_user(email="nouvelle@example.org", is_active=False)
    send_confirmation_email.enqueue(user.pk)
    assert mailoutbox == []
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert [message.to for message in mailoutbox] == [["nouvelle@example.org"]]
    assert "http://127.0.0.1:8101/" in mailoutbox[0].body
