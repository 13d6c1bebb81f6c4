"""Loaded by pytest with `-p essor.core.pytest_env` (see pyproject), before pytest-django reads the settings.

Tests run with development settings (Django's test runner still forces DEBUG off) and run background tasks
immediately, so that emails queued through the tasks framework land in the test outbox.
"""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("ESSOR_TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("ESSOR_ENV_FILE", "")  # never the developer's .env (essor.env): tests set their own
# A release built by a test must not publish its open-data files into the developer's data folder (tests that
# check the publication turn it on with their own DATA_DIR: essor/diffusion/tests).
os.environ.setdefault("ESSOR_OPENDATA_ON_RELEASE", "0")
