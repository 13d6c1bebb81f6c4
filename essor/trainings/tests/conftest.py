import pytest
from asgiref.local import Local

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Run queued tasks (the emails) at once, in every thread (the live server's too).

    The root conftest's ESSOR_TASKS_BACKEND default comes after pytest-django has loaded the settings, so the
    database backend would otherwise be used; the task handler caches its settings, hence the reset.
    """
    from django.tasks import task_backends
    from django.utils import translation

    translation.activate("fr")  # a previous request may have left another language active in this thread
    settings.TASKS = IMMEDIATE
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
    task_backends.__dict__.pop("settings", None)
    task_backends._settings = None
    task_backends._connections = Local(task_backends.thread_critical)
    yield
    task_backends.__dict__.pop("settings", None)
    task_backends._settings = None
    task_backends._connections = Local(task_backends.thread_critical)
