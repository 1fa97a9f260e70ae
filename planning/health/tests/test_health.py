"""Governance health (`planning.health.services`): each check with cases that break the rule
and cases that keep it, "what I can act on", closed follow-ups, the limit and the query
count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_scopes import scopes_disabled

from core.models import Role
from meetings.models import FollowUp, FollowUpStatus, Meeting, MeetingState
from organisation.models import BodyKind, MembershipRole
from planning.health import services as health
from planning.models import AnnualPlan, PlanState
from portfolio.models import Phase
from tests import factories

D = datetime.date
TODAY = D(2025, 7, 2)  # 182 days of 2025 have passed: a quarterly body owes one meeting
YEAR = 2025

pytestmark = pytest.mark.usefixtures("in_scope")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


class Org:
    pass


@pytest.fixture
def org(municipality, users):
    """A steering group (4 a year) chaired by MEMBER's person, with a mandate whose one rule
    the chair meets; SECRETARY's person is its secretary; PROJECT_LEADER's person leads a
    project; READER has no person."""
    o = Org()
    m = o.m = municipality
    o.users = users
    with scopes_disabled():
        o.unit = factories.unit(m, "Digitalisering")
        o.other_unit = factories.unit(m, "Velfærd")
        o.chair = factories.person(m, "Tonny Chef", "chef", unit=o.unit, user=users[Role.MEMBER])
        o.secretary = factories.person(
            m, "Sara Sekretær", "konsulent", unit=o.unit, user=users[Role.SECRETARY]
        )
        o.leader = factories.person(
            m, "Lars Leder", "projektleder", unit=o.other_unit, user=users[Role.PROJECT_LEADER]
        )
        o.board = factories.body(m, "Direktion", kind=BodyKind.EXECUTIVE_BOARD)
        o.steering = factories.body(m, "Styregruppen", meetings_per_year=4, parent=o.board)
        o.mandate = factories.mandate(
            o.steering, o.board, meetings_per_year=4, approved_on=D(2020, 1, 1)
        )
        o.rule = factories.rule(
            o.mandate, "Formand: en chef", role=MembershipRole.CHAIR, title_contains="chef"
        )
        factories.membership(o.chair, o.steering, role=MembershipRole.CHAIR)
        factories.membership(o.secretary, o.steering, role=MembershipRole.SECRETARY)
    return o


def run(user, year=YEAR, **kwargs):
    return health.governance_health(user, year, today=TODAY, **kwargs)


def row_of(report, body):
    return next(r for r in report.bodies if r.body.pk == body.pk)


def meeting(body, date, state=MeetingState.MINUTES_APPROVED):
    return factories.meeting(body, date, state=state)


# --- Cadence -----------------------------------------------------------------------------------


def test_expected_by_is_pro_rata_rounded_down():
    assert health.expected_by(4, 2025, D(2025, 1, 1)) == 0
    assert health.expected_by(4, 2025, D(2025, 4, 1)) == 0  # 90 days: not a quarter yet
    assert health.expected_by(4, 2025, D(2025, 4, 3)) == 1
    assert health.expected_by(4, 2025, D(2026, 3, 1)) == 4  # the year is over
    assert health.expected_by(4, 2025, D(2024, 12, 1)) == 0  # the year has not begun
    assert health.expected_by(26, 2024, D(2024, 12, 31)) == 25  # leap year: 365 of 366 days


def test_a_body_behind_its_cadence(org):
    meeting(org.steering, D(2024, 12, 3))  # last year's meeting does not count
    meeting(org.steering, D(2025, 6, 3), state=MeetingState.AGENDA_SENT)  # sent, not held
    meeting(org.steering, D(2025, 9, 9), state=MeetingState.PLANNED)
    report = run(org.users[Role.ADMINISTRATOR])
    row = row_of(report, org.steering)
    assert (row.per_year, row.held, row.expected, row.planned) == (4, 0, 1, 1)
    assert row.cadence == health.BEHIND
    [finding] = report.groups[health.CADENCE].findings
    assert finding.severity == health.HIGH
    assert finding.subject == "Styregruppen"
    assert finding.message == (
        "0 held of the 1 meeting expected by 02-07-2025 (4 a year); 1 more planned in 2025."
    )
    assert finding.url == f"/organer/{org.steering.pk}/moedeplan/"  # the admin plans them


def test_a_body_on_track(org):
    meeting(org.steering, D(2025, 3, 4), state=MeetingState.MINUTES_DRAFT)
    meeting(org.steering, D(2025, 6, 3), state=MeetingState.HELD)
    meeting(org.steering, D(2025, 9, 9), state=MeetingState.PLANNED)
    meeting(org.steering, D(2025, 12, 2), state=MeetingState.AGENDA_DRAFT)
    report = run(org.users[Role.ADMINISTRATOR])
    row = row_of(report, org.steering)
    assert (row.held, row.expected, row.planned, row.cadence) == (2, 1, 2, health.ON_TRACK)
    assert report.groups[health.CADENCE].count == 0
    assert report.groups[health.CADENCE].findings == []


def test_too_few_meetings_planned_for_the_rest_of_the_year(org):
    meeting(org.steering, D(2025, 3, 4))
    meeting(org.steering, D(2025, 9, 9), state=MeetingState.PLANNED)
    report = run(org.users[Role.ADMINISTRATOR])
    assert row_of(report, org.steering).cadence == health.TOO_FEW
    [finding] = report.groups[health.CADENCE].findings
    assert finding.severity == health.MEDIUM
    assert finding.message == (
        "1 held and 1 planned in 2025: 2 meetings short of the 4 a year it should hold."
    )


def test_the_mandates_cadence_wins_over_the_bodys(org):
    with scopes_disabled():
        org.steering.meetings_per_year = 26
        org.steering.save()
    assert row_of(run(org.users[Role.ADMINISTRATOR]), org.steering).per_year == 4
    with scopes_disabled():
        org.mandate.meetings_per_year = None
        org.mandate.save()
    row = row_of(run(org.users[Role.ADMINISTRATOR]), org.steering)
    assert (row.per_year, row.expected) == (26, 12)


def test_a_past_year_expects_every_meeting(org):
    for month in (3, 6, 9):
        meeting(org.steering, D(2024, month, 10))
    report = run(org.users[Role.ADMINISTRATOR], year=2024)
    row = row_of(report, org.steering)
    assert (row.held, row.expected, row.planned, row.cadence) == (3, 4, 0, health.BEHIND)
    assert "expected by 31-12-2024" in report.groups[health.CADENCE].findings[0].message


def test_bodies_without_cadence_or_mandate_and_closed_bodies_are_left_out(org):
    with scopes_disabled():
        closed = factories.body(
            org.m,
            "Lukket gruppe",
            meetings_per_year=4,
            closed_on=D(2025, 1, 1),
            closing_summary="Slut.",
        )
    report = run(org.users[Role.ADMINISTRATOR])
    names = [r.body.name for r in report.bodies]
    assert names == ["Styregruppen"]
    assert closed.name not in names and org.board.name not in names


# --- Composition -------------------------------------------------------------------------------


def test_composition_met(org):
    meeting(org.steering, D(2025, 3, 4))
    report = run(org.users[Role.ADMINISTRATOR])
    assert row_of(report, org.steering).composition_met is True
    assert report.groups[health.COMPOSITION].count == 0


def test_composition_unmet_names_the_rules(org):
    with scopes_disabled():
        factories.rule(org.mandate, "2 fra Velfærd", min_count=2, unit=org.other_unit)
    report = run(org.users[Role.ADMINISTRATOR])
    row = row_of(report, org.steering)
    assert row.composition_met is False
    assert [r.rule.description for r in row.unmet_rules] == ["2 fra Velfærd"]
    [finding] = report.groups[health.COMPOSITION].findings
    assert finding.message == "1 of 2 composition rules is not met: 2 fra Velfærd."
    assert finding.url == f"/organer/{org.steering.pk}/#members"


def test_a_body_with_a_mandate_approved_later_has_no_composition_check_yet(org):
    with scopes_disabled():
        body = factories.body(org.m, "Ny gruppe", meetings_per_year=2)
        factories.mandate(body, org.board, approved_on=D(2026, 1, 1))
    row = row_of(run(org.users[Role.ADMINISTRATOR]), body)
    assert row.composition is None and row.composition_met is None
    assert row.per_year == 2


def _grow(org, numbers):
    """Bodies with a mandate, rules and members, projects with a benefit, and follow-ups."""
    with scopes_disabled():
        for i in numbers:
            body = factories.body(org.m, f"Gruppe {i}", meetings_per_year=4, parent=org.board)
            mandate = factories.mandate(body, org.board, meetings_per_year=4)
            factories.rule(mandate, f"Regel {i}", unit=org.unit)
            factories.rule(mandate, f"Formand {i}", role=MembershipRole.CHAIR)
            person = factories.person(org.m, f"Medlem {i}", "chef", unit=org.unit)
            factories.membership(person, body)
            meeting(body, D(2025, 2, 1 + i))
            project = factories.project(
                org.m, f"Projekt {i}", leader=person, start_date=D(2025, 1, 1)
            )
            factories.benefit(
                project, f"Gevinst {i}", responsible=None, target_value=None, target_date=None
            )
            factories.follow_up(body, owner=person, due_date=D(2025, 6, 1))
            factories.follow_up(body, due_date=D(2025, 8, 1))


@pytest.mark.parametrize("mine", [False, True])
def test_queries_do_not_grow_with_bodies_projects_benefits_and_follow_ups(org, mine):
    user = org.users[Role.MEMBER]
    _grow(org, [0])
    with CaptureQueriesContext(connection) as small:
        run(user, mine=mine)
    _grow(org, range(1, 13))
    with CaptureQueriesContext(connection) as large:
        report = run(user, mine=mine)
    assert report.groups[health.REPORT_LATE].all_count == 13
    assert report.groups[health.FOLLOW_UP_OVERDUE].all_count == 13
    assert report.groups[health.COMPOSITION].all_count == 13
    assert len(large) == len(small), [q["sql"][:150] for q in large]


@pytest.mark.parametrize("mine", [False, True])
def test_queries_are_the_same_with_no_findings_as_with_many(org, mine):
    """A check with nothing to list costs the same queries as one with a full list (the
    benchmark compares a municipality without late reports with one that has them)."""
    user = org.users[Role.ADMINISTRATOR]
    with CaptureQueriesContext(connection) as none:
        report = run(user, mine=mine)
    assert report.groups[health.REPORT_LATE].all_count == 0
    assert report.groups[health.FOLLOW_UP_OVERDUE].all_count == 0
    _grow(org, range(12))
    with CaptureQueriesContext(connection) as many:
        report = run(user, mine=mine)
    assert report.groups[health.REPORT_LATE].all_count == 12
    assert len(report.groups[health.FOLLOW_UP_OVERDUE].findings) == health.LIMIT
    assert len(many) == len(none), [q["sql"][:150] for q in many]


# --- Projects ----------------------------------------------------------------------------------


def test_a_late_status_report(org):
    with scopes_disabled():
        late = factories.project(
            org.m, "Sent projekt", leader=org.leader, start_date=D(2025, 1, 1)
        )  # quarterly: due 02-04-2025
        on_time = factories.project(
            org.m, "Projekt i tide", leader=org.leader, start_date=D(2024, 1, 1)
        )
        factories.status_report(on_time, D(2025, 4, 1), D(2025, 6, 30))
        factories.project(org.m, "Lukket projekt", phase=Phase.CLOSED, start_date=D(2020, 1, 1))
    report = run(org.users[Role.PROJECT_LEADER])
    group = report.groups[health.REPORT_LATE]
    assert group.count == 1
    [finding] = group.findings
    assert finding.subject == "Sent projekt"
    assert finding.date == D(2025, 4, 2)
    assert finding.message == "The status report was due on 02-04-2025, 91 days ago."
    assert finding.who == "Lars Leder"
    assert finding.url == f"/projekter/{late.pk}/statusrapporter/ny/"  # the leader files it
    assert finding.mine
    assert group.more_url == "/projekttavle/?sen=1"
    reader = run(org.users[Role.READER]).groups[health.REPORT_LATE].findings[0]
    assert reader.url == f"/projekter/{late.pk}/statusrapporter/" and not reader.mine


def test_a_report_filed_in_time_is_no_finding(org):
    with scopes_disabled():
        project = factories.project(org.m, "Projekt", start_date=D(2025, 1, 1))
        factories.status_report(project, D(2025, 1, 1), D(2025, 3, 31))  # next due 30-06
    assert run(org.users[Role.ADMINISTRATOR]).groups[health.REPORT_LATE].count == 1
    with scopes_disabled():
        factories.status_report(project, D(2025, 4, 1), D(2025, 6, 30))
    assert run(org.users[Role.ADMINISTRATOR]).groups[health.REPORT_LATE].count == 0


def test_at_most_limit_findings_are_listed_and_the_rest_counted(org):
    with scopes_disabled():
        for i in range(12):
            factories.project(org.m, f"Projekt {i:02d}", start_date=D(2025, 1, 1 + i))
    group = run(org.users[Role.ADMINISTRATOR], limit=10).groups[health.REPORT_LATE]
    assert (group.count, len(group.findings), group.more) == (12, 10, 2)
    assert [f.subject for f in group.findings][:2] == ["Projekt 00", "Projekt 01"]  # oldest due
    counts_only = run(org.users[Role.ADMINISTRATOR], limit=0).groups[health.REPORT_LATE]
    assert (counts_only.count, counts_only.findings) == (12, [])


# --- Benefits ----------------------------------------------------------------------------------


@pytest.fixture
def benefits(org):
    later = D(2025, 12, 31)
    with scopes_disabled():
        project = factories.project(
            org.m, "Gevinstprojekt", leader=org.leader, start_date=D(2025, 1, 1)
        )
        closed = factories.project(org.m, "Afsluttet", phase=Phase.CLOSED)
        b = {
            "no_owner": factories.benefit(project, "Uden ansvarlig", first_due=later),
            "no_target": factories.benefit(
                project,
                "Uden mål",
                responsible=org.leader,
                target_value=None,
                target_date=None,
                first_due=later,
            ),
            "overdue": factories.benefit(project, "Måling forfalden", responsible=org.chair),
            "fine": factories.benefit(project, "I orden", responsible=org.leader),
            "closed": factories.benefit(closed, "Lukket projekts gevinst"),
        }
        factories.measurement(b["fine"], D(2025, 6, 30), 1000)  # next due 30-09-2025
    return b


def test_benefits_without_owner_target_or_due_measurement(org, benefits):
    report = run(org.users[Role.ADMINISTRATOR])
    subjects = {
        check: [f.subject for f in report.groups[check].findings]
        for check in (health.BENEFIT_NO_OWNER, health.BENEFIT_NO_TARGET, health.BENEFIT_OVERDUE)
    }
    assert subjects == {
        health.BENEFIT_NO_OWNER: ["Gevinstprojekt: Uden ansvarlig"],
        health.BENEFIT_NO_TARGET: ["Gevinstprojekt: Uden mål"],
        health.BENEFIT_OVERDUE: ["Gevinstprojekt: Måling forfalden"],
    }
    overdue = report.groups[health.BENEFIT_OVERDUE].findings[0]
    assert overdue.date == D(2024, 4, 1)  # a quarter after the baseline, never measured
    assert overdue.message == "A measurement was due on 01-04-2024, 457 days ago."
    assert report.groups[health.BENEFIT_NO_OWNER].findings[0].url == (
        f"/gevinster/{benefits['no_owner'].pk}/rediger/"
    )
    assert report.groups[health.BENEFIT_OVERDUE].more_url == (
        "/gevinster/?flag=overdue&fase=aktive&sort=forfald"
    )


def test_benefits_the_user_can_act_on(org, benefits):
    # The leader keeps the project: every benefit of it; the chair answers for one benefit.
    leader = run(org.users[Role.PROJECT_LEADER], mine=True)
    assert sum(leader.groups[c].count for c in health.BENEFIT_FLAGS.values()) == 3
    chair = run(org.users[Role.MEMBER], mine=True)
    [finding] = chair.groups[health.BENEFIT_OVERDUE].findings
    assert finding.url == f"/gevinster/{benefits['overdue'].pk}/maaling/"
    assert chair.groups[health.BENEFIT_NO_OWNER].count == 0
    reader = run(org.users[Role.READER])
    assert reader.groups[health.BENEFIT_NO_OWNER].findings[0].url == (
        f"/gevinster/{benefits['no_owner'].pk}/"
    )


# --- Follow-ups --------------------------------------------------------------------------------


def test_overdue_follow_ups(org):
    overdue = factories.follow_up(
        org.steering, owner=org.chair, due_date=D(2025, 6, 1), description="Skriv notat"
    )
    factories.follow_up(
        org.steering,
        owner=org.chair,
        due_date=D(2025, 6, 1),
        status=FollowUpStatus.DONE,
        done_on=D(2025, 6, 1),
    )
    factories.follow_up(org.steering, owner=org.chair, due_date=D(2025, 7, 2))  # due today
    report = run(org.users[Role.MEMBER])
    group = report.groups[health.FOLLOW_UP_OVERDUE]
    [finding] = group.findings
    assert finding.message == "Skriv notat (due 01-06-2025, 31 days ago)"
    assert (finding.who, finding.date, finding.mine) == ("Tonny Chef", D(2025, 6, 1), True)
    assert finding.url == f"/opfoelgninger/{overdue.pk}/rediger/?next=/styringssundhed/"
    assert group.more_url == "/opfoelgninger/?status=overdue"
    assert report.groups[health.FOLLOW_UP_INCOMPLETE].count == 0


def test_follow_ups_without_owner_or_due_date(org):
    no_owner = factories.follow_up(org.steering, due_date=D(2025, 9, 1), description="Hvem?")
    no_date = factories.follow_up(org.steering, owner=org.chair, description="Hvornår?")
    FollowUp.objects.filter(pk=no_date.pk).update(due_date=None)
    group = run(org.users[Role.ADMINISTRATOR]).groups[health.FOLLOW_UP_INCOMPLETE]
    assert group.count == 2
    assert {f.message for f in group.findings} == {"Hvem? (no owner)", "Hvornår? (no due date)"}
    assert (
        no_owner.pk
        and run(org.users[Role.ADMINISTRATOR]).groups[health.FOLLOW_UP_OVERDUE].count == 0
    )


@pytest.fixture
def closed_follow_up(org):
    with scopes_disabled():
        held = meeting(org.steering, D(2025, 3, 4), state=MeetingState.MINUTES_DRAFT)
        item = factories.item(held, "Personalesag", closed=True, closed_reason="Fortroligt")
        Meeting.objects.filter(pk=held.pk).update(state=MeetingState.MINUTES_APPROVED)
        draft = meeting(org.steering, D(2025, 6, 3), state=MeetingState.MINUTES_DRAFT)
        draft_item = factories.item(draft, "Udkast")
    factories.follow_up(
        org.steering,
        owner=org.leader,
        item=item,
        due_date=D(2025, 5, 1),
        description="HEMMELIG opfølgning",
    )
    factories.follow_up(
        org.steering,
        owner=org.leader,
        item=draft_item,
        due_date=D(2025, 6, 20),
        description="UDKAST opfølgning",
    )


def test_a_closed_items_follow_up_is_hidden_from_who_may_not_see_closed_items(
    org, closed_follow_up
):
    for role in (Role.READER, Role.PROJECT_LEADER):  # the leader owns it, but is no member
        findings = run(org.users[role]).groups[health.FOLLOW_UP_OVERDUE].findings
        assert [f.message for f in findings] == [
            "A follow-up of a closed item.",
            "A follow-up in minutes that are not approved yet.",
        ]
        assert all(f.who == "" for f in findings)
        assert all(f.url == f"/organer/{org.steering.pk}/" for f in findings)


def test_a_closed_items_follow_up_is_shown_to_members_and_administrators(org, closed_follow_up):
    for role in (Role.MEMBER, Role.SECRETARY, Role.ADMINISTRATOR):
        messages = [
            f.message for f in run(org.users[role]).groups[health.FOLLOW_UP_OVERDUE].findings
        ]
        assert messages[0].startswith("HEMMELIG opfølgning")
        assert messages[1].startswith("UDKAST opfølgning")


def test_follow_ups_the_user_owns_or_whose_minutes_the_user_writes(org):
    with scopes_disabled():
        other = factories.body(org.m, "Anden gruppe")
    factories.follow_up(org.steering, owner=org.chair, due_date=D(2025, 6, 1))
    factories.follow_up(other, owner_unit=org.other_unit, due_date=D(2025, 6, 1))
    factories.follow_up(other, owner=org.chair, due_date=D(2025, 6, 1))
    counts = {
        role: run(org.users[role]).groups[health.FOLLOW_UP_OVERDUE].mine_count
        for role in (
            Role.MEMBER,
            Role.SECRETARY,
            Role.PROJECT_LEADER,
            Role.READER,
            Role.ADMINISTRATOR,
        )
    }
    # MEMBER owns two; SECRETARY writes the steering group's minutes; PROJECT_LEADER's unit
    # owns one; READER has no person; the administrator acts on all.
    assert counts == {
        Role.MEMBER: 2,
        Role.SECRETARY: 1,
        Role.PROJECT_LEADER: 1,
        Role.READER: 0,
        Role.ADMINISTRATOR: 3,
    }


# --- Mine ------------------------------------------------------------------------------------


def test_only_what_i_can_act_on(org):
    with scopes_disabled():
        member_only = factories.body(org.m, "Medlemsgruppe", meetings_per_year=2)
        factories.membership(org.chair, member_only, role=MembershipRole.MEMBER)
        factories.project(org.m, "Ledet projekt", leader=org.leader, start_date=D(2025, 1, 1))
        factories.project(org.m, "Ejet projekt", owner=org.leader, start_date=D(2025, 1, 1))
        factories.project(org.m, "Andres projekt", start_date=D(2025, 1, 1))
    chair = run(org.users[Role.MEMBER], mine=True)
    assert [r.body.name for r in chair.bodies] == ["Styregruppen"]  # chairs; only a member
    assert chair.groups[health.CADENCE].count == 1
    assert chair.groups[health.CADENCE].all_count == 2
    assert chair.groups[health.REPORT_LATE].count == 0
    leader = run(org.users[Role.PROJECT_LEADER], mine=True)
    assert leader.bodies == []
    assert sorted(f.subject for f in leader.groups[health.REPORT_LATE].findings) == [
        "Ejet projekt",
        "Ledet projekt",
    ]
    assert leader.groups[health.REPORT_LATE].all_count == 3
    secretary = run(org.users[Role.SECRETARY], mine=True)  # runs every body and the portfolio
    assert {r.body.name for r in secretary.bodies} == {"Styregruppen", "Medlemsgruppe"}
    assert secretary.groups[health.REPORT_LATE].count == 3
    reader = run(org.users[Role.READER], mine=True)
    assert reader.count == 0 and reader.bodies == [] and reader.all_count > 0
    assert not reader.actor.acts_on_anything
    everything = run(org.users[Role.READER])
    assert len(everything.bodies) == 2 and everything.count == everything.all_count


# --- The action plan -------------------------------------------------------------------------


def test_the_years_action_plan(org):
    group = run(org.users[Role.SECRETARY]).groups[health.PLAN]
    assert group.count == 1 and group.findings[0].message == "There is no action plan for 2025."
    assert group.findings[0].severity == health.LOW and group.mine_count == 1
    assert run(org.users[Role.READER]).groups[health.PLAN].mine_count == 0
    plan = factories.annual_plan(org.m, YEAR, criteria=False, title="Indsatsplan 2025")
    [finding] = run(org.users[Role.SECRETARY]).groups[health.PLAN].findings
    assert finding.message == "The action plan for 2025 is not approved yet (Draft)."
    assert finding.url == f"/indsatsplaner/{plan.pk}/"
    AnnualPlan.objects.filter(pk=plan.pk).update(state=PlanState.APPROVED)
    assert run(org.users[Role.SECRETARY]).groups[health.PLAN].count == 0
