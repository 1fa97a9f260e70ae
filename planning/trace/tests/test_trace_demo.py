"""The demo's forward trace: the Direktion's decision of 15-05-2024 (seed 004) on the data
protection officer's annual report started Schrems II (demo); its trace shows the project, its
phase and colour now, and its benefit measured since."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from benefits import demo as benefits_demo
from core.models import Municipality, User
from meetings import demo as meetings_demo
from meetings import demo_year
from meetings.models import AgendaItem
from organisation import demo
from planning.trace import services
from portfolio import demo as portfolio_demo
from portfolio.models import Phase
from tests.once import once_per_module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SCHREMS = "Schrems II – overførsel af data til tredjelande"


@once_per_module
def norddjurs():
    """The organisation, the Direktion's meeting of seed 004, the year's meetings, the
    portfolio and the benefits, loaded once for the module."""
    demo.load()
    norddjurs = Municipality.objects.get(slug=demo_year.NORDDJURS)
    meetings_demo.load_executive_meeting(norddjurs)
    demo_year.load_year(norddjurs)
    portfolio_demo.load_portfolio(norddjurs)
    benefits_demo.load_benefits(norddjurs)
    return norddjurs


def _dpo_decision(norddjurs) -> AgendaItem:
    with scopes_disabled():
        return AgendaItem.objects.get(
            municipality=norddjurs,
            meeting__date=meetings_demo.MEETING_DATE,
            title="Databeskyttelsesrådgiverens årsrapport 2023",
        )


def test_the_seed_004_decision_started_schrems_ii_and_its_benefit_is_traced(norddjurs):
    item = _dpo_decision(norddjurs)
    with scopes_disabled():
        reader = User.objects.get(username="laeser")
    with scope(municipality=norddjurs.pk):
        (trace,) = services.trace(services.decision_queryset(reader).filter(pk=item.pk), reader)
    assert [p.project.name for p in trace.started] == [SCHREMS]
    project = trace.started[0]
    assert project.changes[0].decided_on == meetings_demo.MEETING_DATE
    assert project.project.phase == Phase.IMPLEMENTATION  # the steering group's June decision
    assert project.project.latest_colour in {"green", "yellow", "red"}
    (benefit,) = project.benefits
    assert benefit.benefit.title == "Systemer med gyldigt overførselsgrundlag (demo)"
    assert benefit.realised is not None and benefit.realised > 60  # from the baseline of 60 %


def test_the_page_of_the_seed_004_decision_shows_the_project_and_the_benefit(client, norddjurs):
    item = _dpo_decision(norddjurs)
    with scopes_disabled():
        client.force_login(User.objects.get(username="laeser"))
    page = client.get(reverse("planning:decision_trace", args=[item.pk])).content.decode()
    assert SCHREMS in page and "Started" in page
    assert "Systemer med gyldigt overførselsgrundlag (demo)" in page
    # the case of seed 004 and its other items, the not treated one among them
    assert meetings_demo.CASE_NUMBER in page and "Dialogmøde med aftaleholdere" in page
