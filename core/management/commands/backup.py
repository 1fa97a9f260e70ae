"""`manage.py backup [--output PATH]`: the database and the uploaded files in one archive
(`core.backup`)."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core import backup


class Command(BaseCommand):
    help = (
        "Write the database (JSON Lines of every table; on PostgreSQL also pg_dump -Fc) and the "
        "uploaded files, with a manifest of row counts and checksums, to one ZIP archive."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="the archive to write (default: DIGISTYR_DATA_DIR/backups/"
            "digistyr-<UTC time>.zip)",
        )

    def handle(self, *args, output: Path | None = None, **options):
        self._verbosity = options.get("verbosity", 1)
        if output is None:
            stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
            output = settings.DATA_DIR / "backups" / f"digistyr-{stamp}.zip"
        started = time.monotonic()
        try:
            manifest = backup.backup(output, log=self._log)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            f"Wrote {output} ({output.stat().st_size} bytes, {rows} rows, "
            f"{len(manifest['files'])} members) in {time.monotonic() - started:.1f} s."
        )

    def _log(self, line: str) -> None:
        if self._verbosity > 1:
            self.stdout.write(line)
