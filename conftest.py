"""Test-wide set-up: settings in development mode (Django's test runner still forces DEBUG off)."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("ESSOR_TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
