from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_fulltext(sender, using="default", **kwargs):
    # A later migration that rebuilds the entries table on SQLite drops the FTS5 triggers.
    from search.fulltext import ensure_sqlite_fts

    ensure_sqlite_fts(using)


class SearchConfig(AppConfig):
    """The one search box: above every app whose rows it finds, below home."""

    name = "search"
    verbose_name = _("Search")

    def ready(self):
        post_migrate.connect(_ensure_fulltext, sender=self)
        from search import signals

        signals.connect()
