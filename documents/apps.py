from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Documents"

    def ready(self):
        # The virus scan's receiver that writes refused uploads to the security log.
        from documents import scan  # noqa: F401

        # Every app's kinds for the full export of a municipality, from its exports.py.
        autodiscover_modules("exports")
