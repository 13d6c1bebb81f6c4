"""Messages of third-party apps that the French admin shows but whose packages carry no French translation.

django-tasks-db (the task queue's admin) marks its model labels with gettext_lazy but ships no catalogue. Listing its
messages here puts them in core's catalogue (`make messages` extracts gettext_noop), and Django merges every
catalogue at run time, so the package's own lazy labels find their French. Nothing reads `MESSAGES`.
"""

from django.utils.translation import gettext_noop

MESSAGES = [
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("status"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("args kwargs"),
    gettext_noop("priority"),
    gettext_noop("task path"),
    gettext_noop("worker id"),
    gettext_noop("queue name"),
    gettext_noop("backend name"),
    gettext_noop("run after"),
    gettext_noop("return value"),
    gettext_noop("exception class path"),
    gettext_noop("traceback"),
]
