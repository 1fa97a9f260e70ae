from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.module_loading import autodiscover_modules


def _register_sqlite_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        from core.collation import sqlite_danish_collation

        connection.connection.create_collation("danish", sqlite_danish_collation)


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        connection_created.connect(_register_sqlite_collation)
        # The security log's receivers (logins, lockouts, changes to a login's rights) and
        # the API key's description in the schema.
        from core import api_keys, audit, tokens  # noqa: F401

        # Every app's background jobs and scheduled work (`core.jobs`), from its jobs.py.
        autodiscover_modules("jobs")
        # Every app's kinds of the one history page (`core.history.register`), from its history.py.
        autodiscover_modules("history")
        # The garbage collector leaves what a warm worker keeps for life alone (core.memory).
        from core import memory

        memory.connect()
