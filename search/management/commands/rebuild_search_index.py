"""`manage.py rebuild_search_index`: write the search index of every municipality (or the
one named by its slug) anew, after bulk writes or a load of fixtures."""

from django.core.management.base import BaseCommand, CommandError

from core.models import Municipality
from search import services


class Command(BaseCommand):
    help = "Rebuild the search index of every municipality, or of one (--municipality SLUG)."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", help="The slug of one municipality.")

    def handle(self, *args, **options):
        municipalities = Municipality.objects.order_by("pk")
        if options["municipality"]:
            municipalities = municipalities.filter(slug=options["municipality"])
            if not municipalities.exists():
                raise CommandError(f"No municipality {options['municipality']!r}.")
        for municipality in municipalities:
            written = services.rebuild(municipality)
            self.stdout.write(f"{municipality.name}: {written} entries")
