"""`manage.py backup` and `manage.py restore` (core/backup.py): the demo backed up, the
database emptied, restored, and every table's row count and every file's checksum compared.

The demo is loaded once for the module, with its history (the historical tables are backed up
too). "An empty, migrated database" is made inside the test's transaction (`empty_database`):
every row deleted, then the rows migrations write (content types, permissions, the catalogues)
written anew, under new ids, as a fresh database would hold them.
"""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython, RunSQL
from django_scopes import scopes_disabled

from core import backup
from strategy import catalogues
from strategy.models import SDG, FocusArea
from tests.once import once_per_module

# Keep the demo's history rows: the backup must carry the historical tables too.
pytestmark = pytest.mark.history


@once_per_module
def demo():
    """The whole demo (`manage.py load_demo`), with the attachments' PDFs in the storage."""
    call_command("load_demo", stdout=io.StringIO())


def empty_database() -> None:
    """What a freshly migrated database holds: every table emptied (the foreign keys are
    checked at the end of the transaction, so the order does not matter), then the rows the
    migrations write, under new ids. And an empty file storage."""
    with scopes_disabled():
        for model in apps.get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                model._base_manager.all()._raw_delete(connection.alias)
        ContentType.objects.clear_cache()
        for app_config in apps.get_app_configs():
            create_contenttypes(app_config, verbosity=0)
            create_permissions(app_config, verbosity=0)
        catalogues.load(FocusArea, SDG)
    for name in list(backup.storage_files()):
        default_storage.delete(name)


def make_backup(path) -> dict:
    call_command("backup", "--output", str(path), stdout=io.StringIO())
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read(backup.MANIFEST))


def restore(path) -> None:
    call_command("restore", str(path), "--yes", stdout=io.StringIO())


def unseeded(counts: dict[str, int]) -> dict[str, int]:
    return {label: n for label, n in counts.items() if label not in backup.SEEDED}


def test_a_backup_restored_into_an_empty_database_gives_every_row_and_file_back(demo, tmp_path):
    counts = backup.row_counts()
    files = backup.file_checksums()
    # The demo exercises what the backup must carry: history, many-to-many tables, files.
    assert counts["meetings.historicalmeeting"] > 0
    assert counts["portfolio.project_focus_areas"] > 0
    assert len([name for name in files if name.endswith(".pdf")]) >= 10
    seeded_ids = set(ContentType.objects.values_list("pk", "app_label", "model"))

    manifest = make_backup(tmp_path / "demo.zip")
    assert manifest["row_counts"] == counts
    assert manifest["database_vendor"] == connection.vendor
    assert {k[len(backup.MEDIA_PREFIX) :]: v["sha256"] for k, v in manifest["files"].items()
            if k.startswith(backup.MEDIA_PREFIX)} == files  # fmt: skip
    with zipfile.ZipFile(tmp_path / "demo.zip") as archive:
        has_pg_dump = backup.PG_DUMP in archive.namelist()
        pg_dump_magic = archive.read(backup.PG_DUMP)[:5] if has_pg_dump else None
    # The native dump is there on PostgreSQL only (the PostgreSQL pass of CI checks it).
    assert has_pg_dump == (connection.vendor == "postgresql")
    if connection.vendor == "postgresql":
        assert pg_dump_magic == b"PGDMP"  # pg_dump's custom format

    empty_database()
    assert not any(unseeded(backup.row_counts()).values())
    assert backup.file_checksums() == {}
    # The migrations' rows got new ids: the restore must replace them, not keep them.
    assert set(ContentType.objects.values_list("pk", "app_label", "model")) != seeded_ids

    restore(tmp_path / "demo.zip")

    assert backup.row_counts() == counts
    assert backup.file_checksums() == files
    # Every row came back as it was (ids, timestamps to the microsecond): a backup of the
    # restored database has the same bytes in every table's dump.
    again = make_backup(tmp_path / "again.zip")
    dumps = {k: v for k, v in manifest["files"].items() if k.startswith(backup.DB_PREFIX)}
    assert dumps == {k: v for k, v in again["files"].items() if k.startswith(backup.DB_PREFIX)}


def test_a_restore_into_a_database_with_rows_is_refused_and_changes_nothing(demo, tmp_path):
    make_backup(tmp_path / "demo.zip")
    counts = backup.row_counts()
    files = backup.file_checksums()

    with pytest.raises(CommandError, match=r"not empty: table \w+ \(\w+\.\w+\) holds \d+ rows"):
        restore(tmp_path / "demo.zip")

    assert backup.row_counts() == counts
    assert backup.file_checksums() == files


@pytest.mark.parametrize("prefix", [backup.MEDIA_PREFIX, backup.DB_PREFIX])
def test_a_tampered_archive_is_refused_before_anything_is_written(demo, tmp_path, prefix):
    make_backup(tmp_path / "demo.zip")
    with (
        zipfile.ZipFile(tmp_path / "demo.zip") as original,
        zipfile.ZipFile(tmp_path / "tampered.zip", "w") as tampered,
    ):
        victim = next(name for name in original.namelist() if name.startswith(prefix))
        for info in original.infolist():
            data = original.read(info)
            if info.filename == victim:  # one byte changed, the manifest left as it was
                data = data[:-1] + bytes([data[-1] ^ 1])
            tampered.writestr(info, data)
    empty_database()
    counts = backup.row_counts()

    with pytest.raises(CommandError, match=f"Checksum mismatch for {victim}"):
        restore(tmp_path / "tampered.zip")

    assert backup.row_counts() == counts
    assert backup.file_checksums() == {}


def test_a_file_in_the_way_in_the_storage_refuses_the_restore(demo, tmp_path):
    make_backup(tmp_path / "demo.zip")
    name = next(iter(backup.file_checksums()))
    empty_database()
    default_storage.save(name, io.BytesIO(b"another file"))

    with pytest.raises(CommandError, match="already holds .* with other content"):
        restore(tmp_path / "demo.zip")

    assert not any(unseeded(backup.row_counts()).values())
    assert list(backup.storage_files()) == [name]


def test_the_only_data_migrations_are_those_the_restore_knows():
    """A migrated database holds rows only in `backup.SEEDED` (Django's content types and
    permissions, and the catalogues of strategy/migrations/0002_catalogues.py); the full-text
    migrations write no rows. A new data migration must be judged: if it writes rows, its
    tables belong in SEEDED, or restore refuses every freshly migrated database."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    own = {c.label for c in apps.get_app_configs() if Path(c.path).parent == settings.BASE_DIR}
    with_code = {
        f"{app}.{name}"
        for (app, name), migration in loader.disk_migrations.items()
        if app in own and any(isinstance(op, RunPython | RunSQL) for op in migration.operations)
    }
    assert with_code == {
        "strategy.0002_catalogues",
        "meetings.0002_fulltext",
        "search.0002_fulltext",
    }
