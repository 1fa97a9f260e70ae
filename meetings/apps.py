from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_fulltext(sender, using="default", **kwargs):
    # A later migration that rebuilds the items table on SQLite drops the FTS5 triggers.
    from meetings.search import ensure_sqlite_fts

    ensure_sqlite_fts(using)


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        post_migrate.connect(_ensure_fulltext, sender=self)
        from core import sections
        from meetings.sections import body_meetings

        sections.register("organisation.body", "meetings/_body_meetings.html", body_meetings)
