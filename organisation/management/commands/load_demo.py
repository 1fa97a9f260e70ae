"""`manage.py load_demo`: load the demo data (Norddjurs Kommune from the seeds, plus a fictional
second municipality), then their meetings: the Direktion meeting of seed 004 and a year of
meetings of the steering group and the programme group. Idempotent: a second run changes
nothing."""

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from core.models import Municipality
from meetings import demo as meetings_demo
from meetings import demo_year
from organisation import demo
from portfolio import demo as portfolio_demo


class Command(BaseCommand):
    help = "Load the demo data: Norddjurs Kommune from the seed documents and Demokommune Vest."

    def handle(self, *args, **options):
        demo.load(stdout=self.stdout)
        with scopes_disabled():
            municipalities = list(
                Municipality.objects.filter(slug__in=[d["slug"] for d in demo.MUNICIPALITIES])
                .order_by("pk")
            )
        for municipality in municipalities:
            if municipality.slug == demo_year.NORDDJURS:
                meetings_demo.load_executive_meeting(municipality, stdout=self.stdout)
            demo_year.load_year(municipality, stdout=self.stdout)
            portfolio_demo.load_portfolio(municipality, stdout=self.stdout)
