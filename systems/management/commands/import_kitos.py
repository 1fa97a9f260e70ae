"""manage.py import_kitos <municipality slug> [--dry-run]: read the municipality's IT-system
usages, their systems, contracts and data-processing registrations from KITOS (API v2) and
write them (`systems.kitos.service`); with --dry-run only show what would change."""

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope

from core.models import Municipality
from systems.kitos import service
from systems.kitos.client import KitosClient, KitosError


class Command(BaseCommand):
    help = "Import IT systems, contracts and data processing registrations from KITOS."

    def add_arguments(self, parser):
        parser.add_argument("municipality", help="The municipality's slug.")
        parser.add_argument("--dry-run", action="store_true", help="Only show what would change.")

    def handle(self, *args, **options):
        municipality = Municipality.objects.filter(slug=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"Ingen kommune med slug {options['municipality']!r}.")
        try:
            with scope(municipality=municipality.pk):
                client = KitosClient.from_settings(municipality.slug)
                done = service.run(municipality, client, dry_run=options["dry_run"])
        except KitosError as error:
            raise CommandError(str(error)) from error
        for change in done.changes:
            if change.kind == service.UNCHANGED:
                continue
            self.stdout.write(
                f"{change.kind_label}: {change.model_label} {change.name} ({change.uuid})"
            )
            for label, old, new in change.fields:
                self.stdout.write(f"    {label}: {old} → {new}")
        for warning in done.warnings:
            self.stdout.write(self.style.WARNING(warning))
        self.stdout.write(done.summary())
        if options["dry_run"]:
            self.stdout.write("Prøvekørsel: intet er gemt.")
