from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SteeringConfig(AppConfig):
    name = "essor.steering"
    label = "steering"
    verbose_name = _("Programme steering")

    def ready(self):
        from essor.steering import audit

        audit.connect()
