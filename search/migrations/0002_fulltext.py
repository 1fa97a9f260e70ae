"""Full-text search of the entries (see search/fulltext.py).

PostgreSQL: a GIN expression index over to_tsvector('danish', words).
SQLite: an external-content FTS5 table over the stems, kept in sync by triggers.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from search import fulltext

    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        fulltext.create_sqlite_fts(schema_editor.execute)
    elif vendor == "postgresql":
        fulltext.create_pg_index(schema_editor.execute)


def backwards(apps, schema_editor):
    from search import fulltext

    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        fulltext.drop_sqlite_fts(schema_editor.execute)
    elif vendor == "postgresql":
        fulltext.drop_pg_index(schema_editor.execute)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
