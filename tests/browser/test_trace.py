"""What became of a decision, in the browser: from the decision log to the trace of one
decision, and from the body page to the body's decisions of the last two years (axe on
every page)."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from meetings.models import FollowUpStatus, MeetingState, Outcome
from planning.models import PlanState
from portfolio.models import Phase, PhaseChange
from tests import factories

pytestmark = pytest.mark.browser

DAY = datetime.timedelta(days=1)


@pytest.fixture
def decision(org):
    """A decision of the steering group two months ago that started a project (red now, with
    a benefit measured since), approved next year's plan and has two follow-ups."""
    today = timezone.localdate()
    with scopes_disabled():
        meeting = factories.meeting(org.steering, today - 60 * DAY, state=MeetingState.HELD)
        item = factories.item(
            meeting,
            "Selvbetjening på byggesager",
            kind="decision",
            decision="Projektet igangsættes.",
            outcome=Outcome.TREATED,
        )
        project = factories.project(
            org.municipality, "Byggesager digitalt", phase=Phase.ANALYSIS, body=org.steering
        )
        PhaseChange.objects.create(
            municipality=org.municipality,
            project=project,
            from_phase=Phase.IDEA,
            to_phase=Phase.ANALYSIS,
            decided_on=meeting.date,
            decision=item,
        )
        factories.status_report(project, today - 20 * DAY, today - 7 * DAY, colour="yellow")
        benefit = factories.benefit(project, "Færre telefonopkald")
        factories.plan(benefit, today.year, 100_000)
        factories.measurement(benefit, today - 3 * DAY, 40_000)
        plan = factories.annual_plan(
            org.municipality,
            today.year + 3,
            title="Indsatsplan (trace)",
            state=PlanState.APPROVED,
            approved_by=item,
        )
        factories.plan_entry(plan, "Byggesager", project=project)
        factories.follow_up(
            org.steering, owner=org.people["konsulent"], item=item, due_date=today - DAY
        )
        factories.follow_up(
            org.steering,
            owner=org.people["konsulent"],
            item=item,
            due_date=today - 9 * DAY,
            status=FollowUpStatus.DONE,
            done_on=today - 10 * DAY,
        )
        meeting.state = MeetingState.MINUTES_APPROVED
        meeting.save()
    return item


def test_what_became_of_a_decision_passes_axe(page, org, decision, login, visit, submit):
    login(org.admin)
    visit(f"/beslutninger/?organ={org.steering.pk}")
    submit(lambda: page.click(f"main a[href='/beslutninger/{decision.pk}/spor/']"))
    main = page.inner_text("main")
    assert "Byggesager digitalt" in main and "Indsatsplan (trace)" in main

    visit(f"/organer/{org.steering.pk}/")
    submit(lambda: page.click(f"main a[href='/organer/{org.steering.pk}/beslutninger/']"))
    assert "Selvbetjening på byggesager" in page.inner_text("main")
