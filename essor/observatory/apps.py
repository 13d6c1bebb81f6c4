from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    name = "essor.observatory"
    verbose_name = _("Observatory")

    def ready(self):
        from essor.core import sections
        from essor.observatory.profile import territory_section

        sections.register(
            "territory",
            key="observatory",
            order=100,
            template="observatory/_territory_section.html",
            context=territory_section,
        )
        from essor.observatory.views.quality_pages import methodology_section

        # The methodology page (core) sends readers to the releases' quality reports, which this app publishes.
        sections.register(
            "methodology",
            key="quality_reports",
            order=100,
            template="observatory/_methodology_quality.html",
            context=methodology_section,
        )
        # A QPV page also compares the QPV with the rest of its commune(s), its EPCI and France, right before the
        # observatory's own section (order 100).
        from essor.observatory.qpv_comparison import qpv_section

        sections.register(
            "qpv",
            key="qpv-comparison",
            order=90,
            template="observatory/_qpv_comparison.html",
            context=qpv_section,
        )
        # Precompute the indicators of every territory while a release is built, before it is switched in.
        from essor.observatory.precompute import on_release_built
        from essor.sirene.signals import release_built

        release_built.connect(on_release_built, dispatch_uid="observatory-precompute")
