"""The demo year of meetings: last year's, consistent states, logins that make sense, and
dates that follow the day the demo is loaded."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from core.demo_clock import Clock
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


def _year(clock: Clock) -> str:
    return str(clock.year(2024))


def test_four_meetings_of_each_body_last_year_on_tuesdays(loaded):
    last_year = timezone.localdate().year - 1
    with scopes_disabled():
        for name in (STEERING, PROGRAMME):
            meetings = Meeting.objects.filter(body__name=name, municipality=loaded)
            assert meetings.count() == 4
            assert {m.date.year for m in meetings} == {last_year}
            assert {m.date.weekday() for m in meetings} == {1}  # as written: Tuesdays
            assert all("(demo)" in m.title and str(last_year) in m.title for m in meetings)
        # the programme group meets about two weeks before each steering group meeting
        pg = sorted(Meeting.objects.filter(body__name=PROGRAMME).values_list("date", flat=True))
        dsg = sorted(Meeting.objects.filter(body__name=STEERING).values_list("date", flat=True))
        for before, after in zip(pg, dsg, strict=True):
            assert datetime.timedelta(days=7) <= after - before <= datetime.timedelta(days=21)


def test_states_are_consistent(loaded):
    with scopes_disabled():
        meetings = list(Meeting.objects.filter(municipality__slug__in=demo_year.PLANS))
        approved = [m for m in meetings if m.state == MeetingState.MINUTES_APPROVED]
        assert len(approved) == len(meetings) == 9  # 4 + 4 in Norddjurs, 1 in Vest
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
        # Last year's follow-ups are done, except one due years later: nothing overdue.
        assert not follow_ups.overdue(today).exists()
        assert follow_ups.filter(status="done").count() == follow_ups.count() - 1 >= 10
        (still_open,) = follow_ups.open()
        assert still_open.due_date > today
        assert all(f.done_on <= today for f in follow_ups.filter(status="done"))
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
        year = _year(Clock())
        case = Case.objects.get(municipality=loaded, number=f"DIG-{year}-01")
        steps = list(case.steps.select_related("body"))
        assert [s.body.name for s in steps] == [PROGRAMME, STEERING, demo.DIREKTION]
        assert all(s.arrived_on for s in steps)
        assert list(
            case.items.order_by("meeting__date").values_list("meeting__body__name", flat=True)
        ) == [PROGRAMME, STEERING]
        # this year's meetings have a backlog: a case sent on, an untreated item, a follow-up
        backlog = services.backlog(steering)
        assert [s.case.number for s in backlog.cases] == [f"DIG-{year}-13"]
        assert [i.case.number for i in backlog.not_treated] == [f"DIG-{year}-05"]
        assert backlog.follow_ups == [still_open]
        pg_backlog = services.backlog(programme)
        assert f"DIG-{year}-11" in [s.case.number for s in pg_backlog.cases]
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
            == 4
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


def test_loaded_on_another_day_the_year_moves_with_it(loaded, monkeypatch):
    """Loaded in 2031, the demo year is 2030: dates by whole weeks (weekdays kept), years and
    dates in texts with them; the seeds' own years stay."""
    today = datetime.date(2031, 2, 10)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)
    clock = Clock()
    assert clock.year(2024) == 2030
    created = demo_year.load_year(loaded)
    assert created["møder"] == 8 and created["opfølgninger"] >= 10
    with scopes_disabled():
        meetings = Meeting.objects.filter(municipality=loaded, date__year=2030)
        assert meetings.count() == 8
        assert {m.date.weekday() for m in meetings} == {1}
        assert meetings.filter(title="Styregruppemøde 1/2030 (demo)").exists()
        assert not meetings.filter(title__contains="2024").exists()
        opening = AgendaItem.objects.get(
            meeting__in=meetings, meeting__title="Programgruppemøde 2/2030 (demo)", position=0
        )
        first = meetings.get(title="Programgruppemøde 1/2030 (demo)")
        assert f"den {first.date:%d-%m-%Y}" in opening.case_text
        case = Case.objects.get(municipality=loaded, number="DIG-2030-10")
        assert case.title == "Indsatsplan 2031 for den tværgående digitalisering (demo)"
        assert case.created_on.year == 2030
        # the seed's programme keeps its years
        assert AgendaItem.objects.filter(
            meeting__in=meetings, title="Digitaliseringsprogram 2021–2025 – status"
        ).exists()
        follow_ups = FollowUp.objects.filter(item__meeting__in=meetings)
        assert not follow_ups.overdue(today).exists()
        assert {f.due_date.year for f in follow_ups} <= {2030, 2031, 2033}
    # the same day again: nothing new
    assert demo_year.load_year(loaded) == {}
