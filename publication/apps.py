from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    name = "publication"
    verbose_name = _("Publication")

    def ready(self):
        # The body page's section: what the body publishes, its settings and "publish now".
        from core import sections
        from publication.sections import body_publication, meeting_publication

        sections.register(
            "organisation.body", "publication/_body_section.html", body_publication, order=20
        )
        # The meeting page's slot (meetings/meeting_detail.html): is the agenda public.
        sections.register(
            "meetings.meeting", "publication/_meeting_section.html", meeting_publication
        )
