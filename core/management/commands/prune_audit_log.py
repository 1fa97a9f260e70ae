"""Delete security-log events older than `DIGISTYR_AUDIT_RETENTION_DAYS` (run it daily)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from core import audit


class Command(BaseCommand):
    help = "Delete security-log events older than the retention period."

    def handle(self, *args, **options):
        deleted = audit.prune()
        self.stdout.write(
            f"Deleted {deleted} security-log events older than "
            f"{settings.AUDIT_RETENTION_DAYS} days."
        )
