"""Full-text search in agenda items (see meetings/search.py).

PostgreSQL: a GIN expression index over to_tsvector('danish', title … decision).
SQLite: an external-content FTS5 table with triggers that keep it in sync with every write.
Other databases get nothing (meetings.search falls back to LIKE).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from meetings import search

    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        search.create_sqlite_fts(schema_editor.execute)
    elif vendor == "postgresql":
        search.create_pg_index(schema_editor.execute)


def backwards(apps, schema_editor):
    from meetings import search

    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        search.drop_sqlite_fts(schema_editor.execute)
    elif vendor == "postgresql":
        search.drop_pg_index(schema_editor.execute)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
