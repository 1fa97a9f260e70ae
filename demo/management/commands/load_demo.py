"""`manage.py load_demo`: load the demo data (Norddjurs Kommune from the seeds, plus a fictional
second municipality), then their meetings: the Direktion meeting of seed 004, last year's
meetings of the steering group and the programme group and this year's meetings; then the
portfolio and its benefits, the strategies, what the projects serve (goals, focus areas,
SDGs), the IT systems (with their contracts, agreements, assessments and breaches), the
proposals, the action plans and the annual wheel; last the search index. Idempotent: a second
run changes nothing. The invented dates follow the day of loading (`core.demo_clock`)."""

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from benefits import demo as benefits_demo
from core.models import Municipality
from meetings import demo as meetings_demo
from meetings import demo_year
from organisation import demo
from planning.health import demo as demo_current
from planning.plans import demo as demo_plans
from planning.proposals import demo as demo_proposals
from planning.wheel import demo as demo_wheel
from portfolio import demo as portfolio_demo
from portfolio import demo_links
from publication import demo as publication_demo
from search import services as search_services
from strategy import demo as strategy_demo
from systems import demo as systems_demo


class Command(BaseCommand):
    help = "Load the demo data: Norddjurs Kommune from the seed documents and Demokommune Vest."

    def handle(self, *args, **options):
        demo.load(stdout=self.stdout)
        with scopes_disabled():
            municipalities = list(
                Municipality.objects.filter(
                    slug__in=[d["slug"] for d in demo.MUNICIPALITIES]
                ).order_by("pk")
            )
        for municipality in municipalities:
            if municipality.slug == demo_year.NORDDJURS:
                meetings_demo.load_executive_meeting(municipality, stdout=self.stdout)
            demo_year.load_year(municipality, stdout=self.stdout)
            demo_current.load(municipality, stdout=self.stdout)
            portfolio_demo.load_portfolio(municipality, stdout=self.stdout)
            benefits_demo.load_benefits(municipality, stdout=self.stdout)
            strategy_demo.load(municipality, stdout=self.stdout)
            demo_links.load_links(municipality, stdout=self.stdout)
            systems_demo.load(municipality, stdout=self.stdout)
            demo_proposals.load(municipality, stdout=self.stdout)
            demo_plans.load(municipality, stdout=self.stdout)
            demo_wheel.load(municipality, stdout=self.stdout)
            publication_demo.load(municipality, stdout=self.stdout)
            # Bulk writes of the loaders send no signals: the search index is written anew.
            search_services.rebuild(municipality)
