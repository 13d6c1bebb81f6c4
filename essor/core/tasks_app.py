"""The task queue's app (django-tasks-db) under a French name in the admin: its own AppConfig names it in English
with a plain string, which no catalogue can translate."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")
