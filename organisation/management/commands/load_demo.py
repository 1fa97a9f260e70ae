"""`manage.py load_demo`: load the demo data (Norddjurs Kommune from the seeds, plus a fictional
second municipality). Idempotent: a second run changes nothing."""

from django.core.management.base import BaseCommand

from organisation import demo


class Command(BaseCommand):
    help = "Load the demo data: Norddjurs Kommune from the seed documents and Demokommune Vest."

    def handle(self, *args, **options):
        demo.load(stdout=self.stdout)
