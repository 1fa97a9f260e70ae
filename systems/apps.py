from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SystemsConfig(AppConfig):
    name = "systems"
    verbose_name = _("IT systems and data protection")

    def ready(self):
        # What the domains add to lower apps' pages (core.sections) and history.
        from systems import sections as register_sections
        from systems.kle import sections as kle_sections

        kle_sections.ready()
        register_sections.ready()
        from core import sections
        from systems.reports.sections import body_systems

        sections.register("organisation.body", "systems/reports/_body_section.html", body_systems)
