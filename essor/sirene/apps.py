from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SireneConfig(AppConfig):
    name = "essor.sirene"
    verbose_name = _("Sirene")
