from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiffusionConfig(AppConfig):
    name = "essor.diffusion"
    verbose_name = _("Diffusion")

    def ready(self):
        # Publish each release's open-data files while it is built, so a release serves with its files.
        # Connected after the observatory (INSTALLED_APPS order): the indicators file reads its snapshots.
        from essor.diffusion.opendata import on_release_built
        from essor.sirene.signals import release_built

        release_built.connect(on_release_built, dispatch_uid="diffusion-opendata")
