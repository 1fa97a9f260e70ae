from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Planning")

    def ready(self):
        from core import sections
        from planning.trace.sections import body_decisions

        sections.register(
            "organisation.body", "planning/trace/_body_section.html", body_decisions, order=10
        )
