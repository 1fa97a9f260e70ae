"""`manage.py restore ARCHIVE [--yes]`: bring a backup (`manage.py backup`) back into an empty,
migrated database and the file storage (`core.backup.restore`)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup into an empty, migrated database: checks every checksum first, "
        "writes all rows in one transaction and the files, or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="the archive `manage.py backup` wrote")
        parser.add_argument("--yes", action="store_true", help="do not ask before restoring")

    def handle(self, *args, archive: Path, yes: bool = False, **options):
        self._verbosity = options.get("verbosity", 1)
        if not archive.is_file():
            raise CommandError(f"{archive} does not exist.")
        if not yes:
            database = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
            try:
                answer = input(f"Restore {archive} into the database {database}? Type 'yes': ")
            except EOFError:  # no terminal (cron, a pipe): only --yes restores
                answer = ""
            if answer.strip().lower() not in ("yes", "ja"):
                raise CommandError("Restore cancelled.")
        started = time.monotonic()
        try:
            manifest = backup.restore(archive, log=self._log)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {archive} (made {manifest['created_at']} on "
            f"{manifest['database_vendor']}): {sum(manifest['row_counts'].values())} rows, "
            f"{sum(1 for m in manifest['files'] if m.startswith(backup.MEDIA_PREFIX))} files, "
            f"in {time.monotonic() - started:.1f} s."
        )

    def _log(self, line: str) -> None:
        if self._verbosity > 1:
            self.stdout.write(line)
