from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "essor.trainings"
    verbose_name = _("Trainings")

    def ready(self):
        from essor.accounts import personal_data
        from essor.core import sections
        from essor.trainings.discovery import territory_section
        from essor.trainings.personal_data import erase_registrations, export_registrations

        personal_data.register("registrations", export=export_registrations, erase=erase_registrations)

        sections.register(
            "territory",
            key="trainings",
            order=300,
            template="trainings/_territory_section.html",
            context=territory_section,
        )
