"""`manage.py import_kle <file.xml> [--dry-run]`: import KLE-online's emneplan into the
national catalogue of KLE numbers (systems.kle.services), or with --dry-run only say what
would change. A file with an error is refused with every error; nothing is written."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django_scopes import scopes_disabled

from systems.kle import services
from systems.kle.parser import KleFileInvalid, parse


class Command(BaseCommand):
    help = "Import KLE-online's emneplan (XML) into the catalogue of KLE numbers."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The emneplan, as XML (KLE-Emneplan).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say what the import would change."
        )

    def handle(self, *args, file: str, dry_run: bool, **options):
        translation.activate("da")
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Filen {file} kan ikke læses: {error.strerror}.") from None
        try:
            parsed = parse(data)
        except KleFileInvalid as invalid:
            raise CommandError(
                f"{file} kan ikke indlæses; intet er gemt:\n" + "\n".join(invalid.errors)
            ) from None
        with scopes_disabled():  # the catalogue is national; its use is every municipality's
            result = services.plan(parsed) if dry_run else services.apply(parsed)
        counts = result.counts
        summary = (
            f"{counts['new']} nye, {counts['changed']} ændrede, {counts['ended']} udgået, "
            f"{counts['removed']} fjernet, {counts['unchanged']} uændrede."
        )
        if dry_run:
            self.stdout.write(f"Prøvekørsel, intet er gemt: {summary}")
            for code in result.new:
                self.stdout.write(f"  ny: {code.number} {code.title}")
            for current, code in result.changed:
                self.stdout.write(f"  ændret: {code.number} {current.title} → {code.title}")
            for code in result.ended:
                self.stdout.write(f"  udgår: {code.number} {code.title}")
            for code in result.removed:
                self.stdout.write(f"  fjernes: {code.number} {code.title}")
        else:
            self.stdout.write(self.style.SUCCESS(f"KLE-numrene er indlæst: {summary}"))
