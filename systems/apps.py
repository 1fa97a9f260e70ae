from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SystemsConfig(AppConfig):
    name = "systems"
    verbose_name = _("IT systems and data protection")
