from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    name = "publication"
    verbose_name = _("Publication")

    def ready(self):
        # The body page's section: what the body publishes, its settings and "publish now".
        from core import sections
        from publication.sections import body_publication

        sections.register(
            "organisation.body", "publication/_body_section.html", body_publication, order=20
        )
