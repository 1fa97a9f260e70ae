"""The front page: what a member, a project leader and a reader see, and that it costs the same
number of queries however much the municipality has."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from core.models import Role
from meetings.models import FollowUpStatus, Meeting, MeetingState
from organisation.models import MembershipRole
from portfolio.models import Phase
from tests import factories

DAY = datetime.timedelta(days=1)


@pytest.fixture
def home(municipality, users):
    """MEMBER's person chairs the steering group; PROJECT_LEADER's person leads a late project
    and one in time; READER has no person."""
    today = timezone.localdate()
    m = municipality
    with scopes_disabled():
        unit = factories.unit(m, "Digitalisering")
        chair = factories.person(m, "Tonny Chef", "chef", unit=unit, user=users[Role.MEMBER])
        leader = factories.person(m, "Lars Leder", "projektleder", user=users[Role.PROJECT_LEADER])
        steering = factories.body(m, "Styregruppen", meetings_per_year=4)
        other = factories.body(m, "Anden gruppe")
        factories.membership(chair, steering, role=MembershipRole.CHAIR)
        meetings = {
            "planned": factories.meeting(steering, today + 10 * DAY, title="Planlagt møde"),
            "sent": factories.meeting(
                steering, today + 3 * DAY, title="Udsendt møde", state=MeetingState.AGENDA_SENT
            ),
            "past": factories.meeting(
                steering,
                today - 30 * DAY,
                title="Gammelt møde",
                state=MeetingState.MINUTES_APPROVED,
            ),
            "other": factories.meeting(
                other, today + 5 * DAY, title="Andet organs møde", state=MeetingState.AGENDA_SENT
            ),
        }
        factories.follow_up(
            steering,
            owner=chair,
            due_date=today + 20 * DAY,
            description="Snart forfalden opfølgning",
        )
        factories.follow_up(
            steering, owner=chair, due_date=today - 5 * DAY, description="Forfalden opfølgning"
        )
        factories.follow_up(
            steering,
            owner=chair,
            due_date=today - 5 * DAY,
            description="Afsluttet opfølgning",
            status=FollowUpStatus.DONE,
            done_on=today,
        )
        factories.follow_up(
            other, owner_unit=unit, due_date=today + 2 * DAY, description="Enhedens opfølgning"
        )
        late = factories.project(m, "Sent projekt", leader=leader, start_date=today - 200 * DAY)
        in_time = factories.project(m, "Projekt i tide", owner=leader, start_date=today - 30 * DAY)
        factories.project(
            m, "Lukket projekt", leader=leader, phase=Phase.CLOSED, start_date=today - 400 * DAY
        )
        factories.project(m, "Andres projekt", start_date=today - 200 * DAY)
    return {
        "today": today,
        "steering": steering,
        "other": other,
        "meetings": meetings,
        "late": late,
        "in_time": in_time,
        "chair": chair,
        "leader": leader,
        "unit": unit,
    }


def _page(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_member_sees_their_meetings_follow_ups_and_warnings(client, users, home, english):
    html = _page(client, users[Role.MEMBER])
    assert "My next meetings" in html
    # the steering group's meetings from today on, the soonest first; not another body's
    assert html.index("Udsendt møde") < html.index("Planlagt møde")
    assert "Gammelt møde" not in html and "Andet organs møde" not in html
    # open follow-ups, overdue first and flagged in words; the unit's too; not done ones
    assert "2 open follow-ups" not in html
    assert "3 open follow-ups" in html and "1 overdue" in html
    first = html.index("Forfalden opfølgning")
    assert first < html.index("Enhedens opfølgning") < html.index("Snart forfalden opfølgning")
    assert ">Overdue</span> Forfalden opfølgning" in html
    assert "Afsluttet opfølgning" not in html
    # health: the steering group (chaired) is behind or short of meetings
    assert "finding you can act on" in html or "findings you can act on" in html
    assert "/styringssundhed/?mine=1#" in html
    assert "My bodies" in html and "(chair)" in html
    assert "You lead or own no active project." in html


def test_a_project_leader_sees_their_projects_next_reports(client, users, home, english):
    html = _page(client, users[Role.PROJECT_LEADER])
    assert "Sent projekt" in html and "Projekt i tide" in html
    assert "Lukket projekt" not in html and "Andres projekt" not in html
    late_due = home["today"] - 200 * DAY + 91 * DAY
    assert f"Next report due {late_due:%d-%m-%Y}" in html
    assert html.index("Sent projekt") < html.index("Projekt i tide")  # late first
    assert f'href="/projekter/{home["late"].pk}/statusrapporter/ny/"' in html
    assert f'href="/projekter/{home["in_time"].pk}/statusrapporter/ny/"' not in html
    assert html.count('class="home-late">Late<') == 1
    assert "Late status reports" in html  # a warning the leader can act on
    assert "You have no open follow-ups." in html


def test_a_reader_without_a_person_still_gets_a_useful_page(client, users, home, english):
    html = _page(client, users[Role.READER])
    # the municipality's next meetings, only those whose agenda is sent
    assert "Next meetings" in html
    assert "Udsendt møde" in html and "Andet organs møde" in html
    assert "Planlagt møde" not in html
    assert "Your login is not linked to a person, so no follow-ups are assigned to you." in html
    assert "Your login is not linked to a person, so you lead no projects." in html
    assert "Nothing that you can act on breaks a governance rule." in html
    assert "The municipality's governance health:" in html
    assert "Styregruppen" in html and "Anden gruppe" in html  # the bodies
    assert "Forfalden opfølgning" not in html


def test_an_administrator_without_a_person_sees_every_coming_meeting(client, users, home, english):
    html = _page(client, users[Role.ADMINISTRATOR])
    assert "Planlagt møde" in html and "Andet organs møde" in html
    assert "findings you can act on" in html or "finding you can act on" in html


def test_a_follow_up_of_a_closed_item_is_not_shown_to_an_owner_who_is_no_member(
    client, users, home, english
):
    today = home["today"]
    with scopes_disabled():
        held = factories.meeting(
            home["steering"], today - 60 * DAY, state=MeetingState.MINUTES_DRAFT
        )
        item = factories.item(held, "Personalesag", closed=True, closed_reason="Fortroligt")
        Meeting.objects.filter(pk=held.pk).update(state=MeetingState.MINUTES_APPROVED)
        factories.follow_up(
            home["steering"],
            owner=home["leader"],
            item=item,
            due_date=today - DAY,
            description="HEMMELIG opfølgning",
        )
        factories.follow_up(
            home["steering"],
            owner=home["chair"],
            item=item,
            due_date=today - DAY,
            description="LUKKET for formanden",
        )
    assert "HEMMELIG" not in _page(client, users[Role.PROJECT_LEADER])
    assert "LUKKET for formanden" in _page(client, users[Role.MEMBER])


def _grow(home, municipality, n, offset):
    today = home["today"]
    with scopes_disabled():
        for i in range(offset, offset + n):
            body = factories.body(municipality, f"Gruppe {i}", meetings_per_year=4)
            factories.membership(home["chair"], body, role=MembershipRole.CHAIR)
            factories.meeting(body, today + (i + 1) * DAY, state=MeetingState.AGENDA_SENT)
            factories.follow_up(body, owner=home["chair"], due_date=today - (i + 1) * DAY)
            factories.project(
                municipality,
                f"Projekt {i}",
                leader=home["leader"],
                start_date=today - (100 + i) * DAY,
            )


@pytest.mark.parametrize("role", [Role.MEMBER, Role.PROJECT_LEADER, Role.READER])
def test_queries_do_not_grow_with_the_rows(client, users, home, municipality, role):
    client.force_login(users[role])
    with CaptureQueriesContext(connection) as small:
        assert client.get("/").status_code == 200
    _grow(home, municipality, 12, 0)
    with CaptureQueriesContext(connection) as large:
        assert client.get("/").status_code == 200
    assert len(large) == len(small), [q["sql"][:150] for q in large]


def test_a_user_without_a_municipality_gets_the_page_without_data(client, db):
    user = factories.user(None, Role.READER, username="ingen")
    client.force_login(user)
    assert client.get("/").status_code == 200


def test_the_front_page_says_findings_in_one_word(client, users, home):
    """Danish: the health section says "afvigelser", as the health page does, never
    "advarsler" for the same thing."""
    html = _page(client, users[Role.ADMINISTRATOR])
    assert "afvigelse" in html
    assert "advarsel" not in html


def test_beyond_the_cap_the_bodies_are_counted_by_kind_with_links(
    client, users, home, municipality, english, monkeypatch
):
    from home import views
    from organisation.models import BodyKind

    monkeypatch.setattr(views, "HOME_BODIES", 2)
    with scopes_disabled():
        factories.body(municipality, "Tredje gruppe", kind=BodyKind.PROJECT_GROUP)
    html = _page(client, users[Role.ADMINISTRATOR])
    bodies = html[html.index('id="home-bodies"') :]
    assert "Styregruppen" not in bodies and "Tredje gruppe" not in bodies  # no names
    assert 'href="/organer/?type=projektgruppe">Project group</a>' in html
    assert "See all 3 active bodies" in html
