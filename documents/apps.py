from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Documents"

    def ready(self):
        # The virus scan's receiver that writes refused uploads to the security log.
        from documents import scan  # noqa: F401
