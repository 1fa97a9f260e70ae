"""What became of a decision: the trace of one decision, a body's decisions of the last two
years and their export. Only what the user may read in the decision log is traced."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from benefits.models import Benefit
from benefits.services import benefit_queryset, summarise
from core.models import Role
from meetings.models import AgendaItem, FollowUpStatus, Meeting, MeetingState, Outcome
from planning.models import PlanState
from planning.trace import services
from portfolio.models import Phase, PhaseChange
from tests import factories
from tests.once import once_per_module
from tests.world import CANARY_CLOSED, CANARY_OTHER, CANARY_OWN, build_tenant

pytestmark = pytest.mark.usefixtures("english")

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _approve(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.MINUTES_APPROVED)


def _started_project(t, item, name, *, before=50_000, since=30_000):
    """A project the decision `item` took out of the idea phase, moved on since without a
    decision, red in its latest report, with a benefit measured before and after the day."""
    day = item.meeting.date
    project = factories.project(
        t.municipality, name, phase=Phase.IMPLEMENTATION, start_date=day, body=t.body
    )
    PhaseChange.objects.create(
        municipality=t.municipality,
        project=project,
        from_phase=Phase.IDEA,
        to_phase=Phase.ANALYSIS,
        decided_on=day,
        decision=item,
    )
    PhaseChange.objects.create(
        municipality=t.municipality,
        project=project,
        from_phase=Phase.ANALYSIS,
        to_phase=Phase.IMPLEMENTATION,
        decided_on=day + DAY,
    )
    factories.status_report(project, TODAY - 20 * DAY, TODAY - 7 * DAY, colour="red")
    benefit = factories.benefit(project, f"Sparede porto {name}", baseline_date=day - 300 * DAY)
    factories.plan(benefit, TODAY.year, 120_000)
    factories.measurement(benefit, day - DAY, before)
    factories.measurement(benefit, TODAY - 2 * DAY, since)
    return project


@once_per_module
def t():
    t = build_tenant("Norddjurs Kommune", canary=CANARY_OWN)
    t.other = build_tenant("Anden Kommune", canary=CANARY_OTHER, usernames_prefix="other-")
    recent = factories.meeting(t.body, TODAY - 60 * DAY, state=MeetingState.HELD)
    t.decision = factories.item(
        recent,
        "Selvbetjening på byggesager",
        kind="decision",
        case=t.case,
        decision="Projektet igangsættes.",
        outcome=Outcome.TREATED,
    )
    t.project_started = _started_project(t, t.decision, "Byggesager")
    t.plan_approved = factories.annual_plan(
        t.municipality,
        TODAY.year + 1,
        title="Indsatsplan næste år",
        state=PlanState.APPROVED,
        approved_by=t.decision,
    )
    factories.plan_entry(t.plan_approved, "Byggesager digitalt", project=t.project_started)
    factories.follow_up(
        t.body,
        owner=t.person,
        item=t.decision,
        description="Projektlederen melder tilbage",
        due_date=TODAY + 30 * DAY,
    )
    factories.follow_up(
        t.body,
        owner=t.person,
        item=t.decision,
        description="Startdokumentet skrives",
        due_date=TODAY - 30 * DAY,
        status=FollowUpStatus.DONE,
        done_on=TODAY - 31 * DAY,
    )
    _approve(recent)
    old = factories.meeting(t.body, TODAY - 800 * DAY, state=MeetingState.HELD)
    t.old_decision = factories.item(
        old, "Gammel beslutning", kind="decision", decision="Besluttet.", outcome=Outcome.TREATED
    )
    _approve(old)
    return t


def _get(client, t, name, pk, role=Role.READER):
    client.force_login(t.users[role])
    return client.get(reverse(f"planning:{name}", args=[pk]))


def test_the_trace_shows_the_project_the_decision_started_its_phase_now_and_its_benefit(client, t):
    response = _get(client, t, "decision_trace", t.decision.pk)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Projektet igangsættes." in page
    assert "Byggesager" in page and "Started" in page
    assert "Idea → Analysis" in page
    # today's phase and the latest report's colour
    assert "<td>Implementation</td>" in page
    assert 'class="light light-red"' in page
    # realised since the decision: the measurement before it does not count
    assert "30.000 kr." in page and "80.000" not in page
    assert "120.000 kr." in page and "25 %" in page


def test_the_trace_shows_the_plan_the_decision_approved_and_its_entries(client, t):
    page = _get(client, t, "decision_trace", t.decision.pk).content.decode()
    assert "Indsatsplan næste år" in page
    assert "Approved by this decision." in page
    assert "Byggesager digitalt" in page


def test_the_trace_shows_the_case_its_route_and_the_follow_ups(client, t):
    page = _get(client, t, "decision_trace", t.decision.pk).content.decode()
    assert t.case.number in page
    assert t.board.name in page  # the route: the steering group, then the Direktion
    assert "Projektlederen melder tilbage" in page and "Startdokumentet skrives" in page


def test_a_closed_decision_is_not_found_by_those_who_may_not_read_it(client, t):
    for role in (Role.READER, Role.PROJECT_LEADER):
        response = _get(client, t, "decision_trace", t.closed_item.pk, role=role)
        assert response.status_code == 404
        assert CANARY_CLOSED.encode() not in response.content
    member = _get(client, t, "decision_trace", t.closed_item.pk, role=Role.MEMBER)
    assert member.status_code == 200 and CANARY_CLOSED.encode() in member.content


def test_a_closed_treatment_of_the_case_is_named_only_to_those_who_may_read_it(client, t):
    with scopes_disabled():
        AgendaItem.objects.filter(pk=t.closed_item.pk).update(case=t.case)
    page = _get(client, t, "decision_trace", t.open_item.pk).content.decode()
    assert "Personalesag" not in page and "a closed item" in page
    page = _get(client, t, "decision_trace", t.open_item.pk, role=Role.MEMBER).content.decode()
    assert "Personalesag" in page


def test_a_decision_of_another_municipality_is_not_found(client, t):
    assert _get(client, t, "decision_trace", t.other.open_item.pk).status_code == 404
    assert _get(client, t, "body_decisions", t.other.body.pk).status_code == 404
    assert _get(client, t, "body_decisions_xlsx", t.other.body.pk).status_code == 404


def test_minutes_not_approved_are_not_traced_for_those_outside_the_body(client, t):
    with scopes_disabled():
        draft = factories.meeting(t.body, TODAY - 5 * DAY, state=MeetingState.MINUTES_DRAFT)
        item = factories.item(draft, "Udkast", decision="Endnu ikke godkendt", outcome="treated")
    assert _get(client, t, "decision_trace", item.pk).status_code == 404
    assert _get(client, t, "decision_trace", item.pk, role=Role.MEMBER).status_code == 200


def test_the_body_page_lists_the_decisions_of_the_last_two_years_only(client, t):
    response = _get(client, t, "body_decisions", t.body.pk)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Selvbetjening på byggesager" in page
    assert reverse("planning:decision_trace", args=[t.decision.pk]) in page
    assert "Gammel beslutning" not in page
    # what it led to: the project, its phase and colour, the plan, the follow-ups, the benefit
    assert "Byggesager</a> (started): implementation" in page
    assert "Indsatsplan næste år</a>: approved by the steering group" in page
    assert "Open: 1, done: 1" in page
    assert "30.000 kr. (25 %)" in page


def test_the_body_page_hides_closed_decisions_from_those_outside_the_body(client, t):
    with scopes_disabled():
        recent = factories.meeting(t.body, TODAY - 10 * DAY, state=MeetingState.HELD)
        factories.item(
            recent,
            "Lukket punkt",
            closed=True,
            closed_reason="Fortroligt",
            decision=f"Hemmelig {CANARY_CLOSED}",
            outcome=Outcome.TREATED,
        )
        _approve(recent)
    assert CANARY_CLOSED not in _get(client, t, "body_decisions", t.body.pk).content.decode()
    member = _get(client, t, "body_decisions", t.body.pk, role=Role.MEMBER)
    assert CANARY_CLOSED in member.content.decode()


def test_the_export_reads_back_with_the_same_decisions(client, t):
    response = _get(client, t, "body_decisions_xlsx", t.body.pk)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Date", "Item", "Case number", "Outcome")
    titles = [row[1] for row in rows[1:]]
    assert titles == ["Selvbetjening på byggesager"]
    row = rows[1]
    assert row[0].date() == t.decision.meeting.date
    assert row[2] == t.case.number
    assert row[5] == "Byggesager: Implementation (red)"
    assert row[7] == "Indsatsplan næste år: Approved by the steering group"
    assert (row[8], row[9]) == (1, 1)
    assert row[10] == "Sparede porto Byggesager: 30000.00 kr."


def test_the_decision_log_the_minutes_and_the_body_page_link_to_the_trace(client, t):
    client.force_login(t.users[Role.READER])
    log = client.get(reverse("meetings:decision_list")).content.decode()
    assert reverse("planning:decision_trace", args=[t.decision.pk]) in log
    body = client.get(reverse("organisation:body_detail", args=[t.body.pk])).content.decode()
    assert reverse("planning:body_decisions", args=[t.body.pk]) in body
    minutes = client.get(reverse("meetings:meeting_detail", args=[t.meeting.pk])).content
    assert reverse("planning:decision_trace", args=[t.open_item.pk]).encode() in minutes
    # the closed item, which the reader may not read, gets no link
    assert reverse("planning:decision_trace", args=[t.closed_item.pk]).encode() not in minutes


def test_realised_since_a_day_counts_only_what_was_measured_from_it(t):
    with scope(municipality=t.municipality.pk):
        benefit = benefit_queryset(Benefit.objects.filter(pk=t.benefit.pk)).get()
        everything = summarise(benefit)
        since = summarise(benefit, since=datetime.date(2024, 7, 1))
    assert everything.realised_total == Decimal(120_000)
    assert since.realised_total == Decimal(0) and since.last_measured is None
    assert since.due == everything.due  # the next measurement still follows every one
    assert [r.year for r in since.rows] == [2024, 2025]  # the plans from that year on


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_queries_do_not_grow_with_the_projects_benefits_and_decisions(client, t):
    client.force_login(t.users[Role.ADMINISTRATOR])
    trace_url = reverse("planning:decision_trace", args=[t.decision.pk])
    body_url = reverse("planning:body_decisions", args=[t.body.pk])
    xlsx_url = reverse("planning:body_decisions_xlsx", args=[t.body.pk])
    before = [_queries(client, url) for url in (trace_url, body_url, xlsx_url)]
    with scopes_disabled():
        for i in range(4):
            _started_project(t, t.decision, f"Mere {i}")
            meeting = factories.meeting(t.body, TODAY - (40 + i) * DAY, state=MeetingState.HELD)
            item = factories.item(
                meeting, f"Beslutning {i}", case=t.case, decision="Ja", outcome=Outcome.TREATED
            )
            _started_project(t, item, f"Andet {i}")
            factories.follow_up(t.body, owner=t.person, item=item, due_date=TODAY)
            plan = factories.annual_plan(t.municipality, TODAY.year + 2 + i, recommended_by=item)
            factories.plan_entry(plan, f"Indsats {i}")
            _approve(meeting)
    after = [_queries(client, url) for url in (trace_url, body_url, xlsx_url)]
    assert after == before


def test_trace_of_many_decisions_keeps_their_order(t):
    with scope(municipality=t.municipality.pk):
        admin = t.users[Role.ADMINISTRATOR]
        items = services.body_decisions(admin, t.body)
        traced = services.trace(items, admin)
    assert [d.item.pk for d in traced] == [i.pk for i in items]
    assert traced[0].item.pk == t.decision.pk
    assert [p.project.name for p in traced[0].started] == ["Byggesager"]
