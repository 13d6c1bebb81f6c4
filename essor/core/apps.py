from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "essor.core"
    verbose_name = _("Site")

    def ready(self):
        from essor.core.paths import ensure_local_dirs

        # Before any command opens the SQLite database (a fresh clone has no var/ folder).
        ensure_local_dirs()
