"""This year's demo meetings (`planning.health.demo`): idempotent, held through the state
machine before today and planned after, one steering group meeting missing so governance
health has a finding, and open follow-ups of the demo logins' people."""

import io

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from core.models import Municipality, User
from meetings import demo_year
from meetings.models import (
    AgendaItem,
    FollowUp,
    FollowUpStatus,
    ItemKind,
    Meeting,
    MeetingState,
    MinutesVersion,
    Outcome,
)
from organisation import demo
from planning.health import demo as demo_current
from planning.health import services as health
from tests.once import once_per_module

pytestmark = pytest.mark.django_db

MODELS = [Meeting, AgendaItem, FollowUp, MinutesVersion]


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
        counts["states"] = sorted(Meeting.objects.values_list("pk", "state", "revision"))
    return counts


def _norddjurs() -> Municipality:
    with scopes_disabled():
        return Municipality.objects.get(slug=demo_year.NORDDJURS)


@once_per_module(history=True)
def loaded():
    """The organisation demo and this year's meetings, loaded once for the module."""
    demo.load()
    municipality = _norddjurs()
    created = demo_current.load(municipality)
    return municipality, created


def _meetings(municipality, key):
    year = timezone.localdate().year
    with scopes_disabled():
        return list(
            Meeting.objects.filter(
                municipality=municipality, body__name=demo_current.BODIES[key], date__year=year
            ).order_by("date")
        )


def test_loading_twice_changes_nothing(loaded):
    municipality, created = loaded
    assert created["møder"] == len(demo_current.meeting_plan(timezone.localdate().year))
    assert created["opfølgninger"] == 3
    counts = _counts()
    out = io.StringIO()
    with scopes_disabled():
        again = demo_current.load(municipality, stdout=out)
    assert again == {}
    assert _counts() == counts
    assert "intet ændret" in out.getvalue()


def test_other_municipalities_get_nothing(loaded):
    with scopes_disabled():
        vest = Municipality.objects.get(slug=demo_year.VEST)
    assert demo_current.load(vest) == {}


def test_the_years_meetings_before_today_are_held_and_after_today_planned(loaded):
    municipality, _ = loaded
    today = timezone.localdate()
    steering = _meetings(municipality, demo_current.DSG)
    programme = _meetings(municipality, demo_current.PG)
    board = _meetings(municipality, demo_current.PB)
    assert len(steering) == 3  # the June meeting is missing
    assert [m.date.month for m in steering] == [3, 9, 12]
    assert len(programme) == 4 and 26 <= len(board) <= 27
    for pg, dsg in zip([programme[0], programme[2], programme[3]], steering, strict=True):
        assert 7 <= (dsg.date - pg.date).days <= 14  # one to two weeks before
    with scopes_disabled():
        for meeting in steering + programme + board:
            assert "(demo)" in meeting.title
            if meeting.date < today:
                assert meeting.state == MeetingState.MINUTES_APPROVED
                assert meeting.agenda_approved_at is not None
                assert meeting.minutes_versions.count() == 1
                items = list(meeting.items.order_by("position"))
                assert [i.kind for i in items] == [ItemKind.INFORMATION, ItemKind.DECISION]
                assert all(i.outcome == Outcome.TREATED and "(demo)" in i.decision for i in items)
            else:
                assert meeting.state == MeetingState.PLANNED
                assert not meeting.items.exists()


def test_the_steering_group_has_a_cadence_finding_and_the_others_none(loaded):
    municipality, _ = loaded
    with scopes_disabled():
        admin = User.objects.get(username="admin")
    with scope(municipality=municipality.pk):
        report = health.governance_health(admin)
    cadence = {f.subject for f in report.groups[health.CADENCE].findings}
    assert demo_current.BODIES[demo_current.DSG] in cadence
    assert demo_current.BODIES[demo_current.PG] not in cadence
    assert demo_current.BODIES[demo_current.PB] not in cadence


def test_open_follow_ups_of_the_demo_logins_one_overdue(loaded):
    municipality, _ = loaded
    today = timezone.localdate()
    with scopes_disabled():
        follow_ups = list(
            FollowUp.objects.filter(
                municipality=municipality,
                description__contains="(demo)",
                due_date__year__gte=today.year - 1,
            )
            .select_related("owner__user")
            .order_by("due_date")
        )
    owners = {f.owner.user.username: f for f in follow_ups}
    assert set(owners) == {"tonny", "sekretaer", "projektleder"}
    assert all(f.status == FollowUpStatus.OPEN for f in follow_ups)
    assert [u for u, f in owners.items() if f.is_overdue] == ["tonny"]


def test_the_front_page_of_tonny_shows_the_overdue_follow_up(client, loaded, english):
    with scopes_disabled():
        tonny = User.objects.get(username="tonny")
    client.force_login(tonny)
    html = client.get("/").content.decode()
    assert "Indhente tilbagemelding fra fagområderne på porteføljestatus (demo)." in html
    assert ">Overdue</span>" in html
    assert "My next meetings" in html
