from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotesConfig(AppConfig):
    name = "notes"
    verbose_name = _("Private notes")

    def ready(self):
        # What notes add to the meeting page (core.sections): the user's own notes on each
        # item the user may read, and a form to write them, in the item's place.
        from core import sections
        from notes.sections import item_notes

        sections.register("meetings.item", "notes/_item_notes.html", item_notes)
