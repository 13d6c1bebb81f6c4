from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(using="default", **kwargs):
    """The database cache (the default shared cache) needs its table: `migrate` creates it, so no extra step."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "essor.core"
    verbose_name = _("Site")

    def ready(self):
        from essor.core.paths import ensure_local_dirs

        # Before any command opens the SQLite database (a fresh clone has no var/ folder).
        ensure_local_dirs()
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="essor-create-cache-table")
