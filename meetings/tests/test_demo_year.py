"""The demo year of meetings: idempotent, consistent states, and logins that make sense."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from core.models import Municipality, User
from core.permissions import has_perm
from meetings import demo_year, services
from meetings.models import (
    AgendaItem,
    Attendance,
    Case,
    CaseStep,
    FollowUp,
    Meeting,
    MeetingState,
    MinutesVersion,
    Outcome,
)
from organisation import demo
from organisation.models import Body
from tests.once import once_per_module

pytestmark = pytest.mark.django_db

MODELS = [Meeting, AgendaItem, Case, CaseStep, FollowUp, Attendance, MinutesVersion]
STEERING = demo_year.NORDDJURS_BODIES[demo_year.DSG]
PROGRAMME = demo_year.NORDDJURS_BODIES[demo_year.PG]


def _counts() -> dict[str, int]:
    with scopes_disabled():
        counts = {model.__name__: model.objects.count() for model in MODELS}
        counts.update(
            {
                f"{model.__name__}.history": model.history.count()
                for model in MODELS
                if hasattr(model, "history")
            }
        )
        counts["AgendaItem.guests"] = AgendaItem.guests.through.objects.count()
    return counts


def _load_all() -> dict:
    created = {}
    with scopes_disabled():
        for slug in (demo_year.NORDDJURS, demo_year.VEST):
            created[slug] = demo_year.load_year(Municipality.objects.get(slug=slug))
    return created


@once_per_module(history=True)
def loaded():
    """The organisation demo and the year's meetings, loaded once for the module."""
    demo.load()
    _load_all()
    return Municipality.objects.get(slug=demo_year.NORDDJURS)


def test_four_meetings_of_each_body_in_2024(loaded):
    with scopes_disabled():
        for name in (STEERING, PROGRAMME):
            meetings = Meeting.objects.filter(body__name=name, municipality=loaded)
            assert meetings.count() == 4
            assert {m.date.year for m in meetings} == {2024}
            assert all("(demo)" in m.title for m in meetings)
        # the programme group meets about two weeks before each steering group meeting
        pg = sorted(Meeting.objects.filter(body__name=PROGRAMME).values_list("date", flat=True))
        dsg = sorted(Meeting.objects.filter(body__name=STEERING).values_list("date", flat=True))
        for before, after in zip(pg, dsg, strict=True):
            assert datetime.timedelta(days=7) <= after - before <= datetime.timedelta(days=21)


def test_states_are_consistent(loaded):
    with scopes_disabled():
        meetings = list(Meeting.objects.filter(municipality__slug__in=demo_year.PLANS))
        approved = [m for m in meetings if m.state == MeetingState.MINUTES_APPROVED]
        assert len(approved) == 8  # 4 + 3 in Norddjurs, 1 in Vest
        for meeting in approved:
            assert meeting.minutes_versions.count() == 1
            assert meeting.minutes_approved_by_id and meeting.agenda_approved_by_id
            assert meeting.agenda_sent_at < timezone.make_aware(
                datetime.datetime.combine(meeting.date, meeting.start)
            )
            assert meeting.minutes_approved_at.date() > meeting.date
            assert meeting.attendance.exists()
            for item in meeting.items.all():
                if not item.is_break:
                    assert item.decision.strip() and item.outcome != Outcome.PENDING, item
        (draft,) = [m for m in meetings if m.state != MeetingState.MINUTES_APPROVED]
        assert draft.state == MeetingState.AGENDA_DRAFT and draft.body.name == STEERING
        assert not draft.minutes_versions.exists()
        assert not draft.items.exclude(decision="").exists()

        for meeting in meetings:
            items = list(meeting.items.order_by("position"))
            assert [i.position for i in items] == list(range(len(items)))
            start = meeting.start.hour * 60 + meeting.start.minute
            assert start + sum(i.duration for i in items) < 24 * 60
            assert services.meeting_end(meeting, items) > meeting.start

        for follow_up in FollowUp.objects.all():
            assert follow_up.owner_id or follow_up.owner_unit_id
            assert follow_up.due_date is not None
            assert follow_up.item.meeting.body_id == follow_up.body_id
            assert (follow_up.status == "done") == (follow_up.done_on is not None)


def test_the_year_has_what_the_lists_need(loaded):
    today = timezone.localdate()
    with scopes_disabled():
        steering = Body.objects.get(municipality=loaded, name=STEERING)
        programme = Body.objects.get(municipality=loaded, name=PROGRAMME)
        follow_ups = FollowUp.objects.filter(municipality=loaded)
        assert follow_ups.overdue(today).count() >= 4
        assert follow_ups.filter(status="done").count() >= 4
        # one closed item, with its reason; its follow-up is as closed as the item
        (closed,) = AgendaItem.objects.filter(municipality=loaded, closed=True)
        assert closed.closed_reason and closed.case.closed
        assert all(f.closed for f in closed.follow_ups.all())
        # items not treated: carried over to the next meeting, or waiting in the backlog
        assert (
            AgendaItem.objects.filter(
                municipality=loaded, carried_from__outcome=Outcome.NOT_TREATED
            ).count()
            == 2
        )
        # a case travels programme group → steering group → Direktion
        case = Case.objects.get(municipality=loaded, number="DIG-2024-01")
        steps = list(case.steps.select_related("body"))
        assert [s.body.name for s in steps] == [PROGRAMME, STEERING, demo.DIREKTION]
        assert all(s.arrived_on for s in steps)
        assert list(
            case.items.order_by("meeting__date").values_list("meeting__body__name", flat=True)
        ) == [PROGRAMME, STEERING]
        # the next meeting has a backlog: a case sent on, an untreated item, follow-ups
        backlog = services.backlog(steering)
        assert [s.case.number for s in backlog.cases] == ["DIG-2024-13"]
        assert [i.case.number for i in backlog.not_treated] == ["DIG-2024-05"]
        assert backlog.follow_ups
        pg_backlog = services.backlog(programme)
        assert "DIG-2024-11" in [s.case.number for s in pg_backlog.cases]
        assert pg_backlog.not_treated
        # the topics of seed 000
        titles = " ".join(
            AgendaItem.objects.filter(municipality=loaded).values_list("title", flat=True)
        )
        for topic in (
            "Borgerblikket",
            "Office 365",
            "Teams",
            "Aula",
            "Fasit",
            "intranet",
            "Schrems II",
            "KOMBIT",
            "Digitale kompetencer",
            "Gevinstrealisering",
        ):
            assert topic in titles, topic


def test_the_demo_logins_can_do_their_part(loaded):
    with scopes_disabled():
        steering = Body.objects.get(municipality=loaded, name=STEERING)
        programme = Body.objects.get(municipality=loaded, name=PROGRAMME)
        sekretaer = User.objects.get(username="sekretaer")
        tonny = User.objects.get(username="tonny")
        laeser = User.objects.get(username="laeser")
        assert has_perm(sekretaer, "meetings.edit", steering)
        assert has_perm(sekretaer, "meetings.edit", programme)
        assert has_perm(tonny, "meetings.approve", steering)
        assert has_perm(tonny, "meetings.see_closed", steering)
        assert not has_perm(laeser, "meetings.edit", steering)
        assert not has_perm(laeser, "meetings.see_closed", steering)
        assert (
            Meeting.objects.filter(
                body=steering, state=MeetingState.MINUTES_APPROVED, minutes_approved_by=tonny
            ).count()
            == 3
        )


def test_demokommune_vest_has_its_own_meeting(loaded):
    vest = Municipality.objects.get(slug=demo_year.VEST)
    with scope(municipality=vest.pk):
        (meeting,) = Meeting.objects.all()
        assert meeting.state == MeetingState.MINUTES_APPROVED
        assert not Case.objects.filter(number__startswith="DIG-").exists()
        assert all(i.municipality_id == vest.pk for i in AgendaItem.objects.all())
    with scope(municipality=loaded.pk):
        assert not Meeting.objects.filter(pk=meeting.pk).exists()
        assert Meeting.objects.count() >= 8
