from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    name = "essor.observatory"
    verbose_name = _("Observatory")

    def ready(self):
        # Precompute the indicators of every territory while a release is built, before it is switched in.
        try:
            from essor.sirene.signals import release_built
        except ImportError:  # the pipeline's signal is not there: snapshots are then computed on demand
            return
        from essor.observatory.precompute import on_release_built

        release_built.connect(on_release_built, dispatch_uid="observatory-precompute")
