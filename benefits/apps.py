from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    name = "benefits"
    verbose_name = _("Benefits")

    def ready(self):
        from benefits.sections import board_money, project_benefits
        from core import sections

        sections.register("portfolio.project", "benefits/_project_benefits.html", project_benefits)
        sections.register("portfolio.board", "benefits/_board_money.html", board_money)
