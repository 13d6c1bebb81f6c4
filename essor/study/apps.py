from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudyConfig(AppConfig):
    name = "essor.study"
    verbose_name = _("Study publisher")

    def ready(self):
        from essor.study import sections

        sections.register()
