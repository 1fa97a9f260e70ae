"""The rules of meetings, tested on the services and models directly."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.models import Role
from core.permissions import has_perm
from meetings import services
from meetings.models import (
    AgendaItem,
    CaseStep,
    FollowUp,
    ItemKind,
    Meeting,
    MeetingState,
    MinutesLockedError,
    MinutesVersion,
    Outcome,
)
from tests import factories
from tests.once import once_per_module
from tests.world import build_tenant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_scopes"), pytest.mark.history]


@once_per_module
def t():
    return build_tenant("Norddjurs Kommune")


def _draft(t, start=datetime.time(9, 0), date=datetime.date(2024, 10, 1)):
    return factories.meeting(t.body, date, state=MeetingState.PLANNED, start=start)


def _add(meeting, title, duration=15, kind=ItemKind.DISCUSSION, **kwargs):
    return services.add_item(
        meeting, AgendaItem(title=title, duration=duration, kind=kind, **kwargs)
    )


def _times(meeting):
    items = AgendaItem.objects.filter(meeting=meeting).order_by("position")
    return [
        (t.item.title, services.format_time(t.start)) for t in services.timed_items(meeting, items)
    ]


def test_clock_times_follow_the_start_and_the_durations(t):
    meeting = _draft(t, start=datetime.time(9, 0))
    _add(meeting, "Ankomst", 5, ItemKind.BREAK)
    _add(meeting, "Punkt 1", 25)
    _add(meeting, "Dialogmøde", 30)
    _add(meeting, "Pause", 10, ItemKind.BREAK)
    assert _times(meeting) == [
        ("Ankomst", "9.00"),
        ("Punkt 1", "9.05"),
        ("Dialogmøde", "9.30"),
        ("Pause", "10.00"),
    ]
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position"))
    numbers = [ti.number for ti in services.timed_items(meeting, items)]
    assert numbers == [None, 1, 2, None], "breaks are not numbered"
    assert services.meeting_end(meeting, items) == datetime.time(10, 10)


def test_a_meeting_without_items_is_planned_to_last_two_hours(t):
    meeting = _draft(t, start=datetime.time(13, 0))
    assert services.meeting_end(meeting, []) == datetime.time(15, 0)
    late = _draft(t, start=datetime.time(23, 0))
    assert services.meeting_end(late, []) == datetime.time(23, 59)  # not past midnight
    _add(meeting, "Punkt", 30)
    items = list(AgendaItem.objects.filter(meeting=meeting))
    assert services.meeting_end(meeting, items) == datetime.time(13, 30)  # its items decide


def test_moving_an_item_moves_the_times_and_voids_the_approval(t):
    meeting = _draft(t)
    first = _add(meeting, "A", 30)
    _add(meeting, "B", 15)
    last = _add(meeting, "C", 10)
    services.approve_agenda(meeting, t.users[Role.MEMBER])
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.AGENDA_APPROVED
    services.move_item(meeting, last, 0, meeting.revision)
    meeting.refresh_from_db()
    assert _times(meeting) == [("C", "9.00"), ("A", "9.10"), ("B", "9.40")]
    assert meeting.state == MeetingState.AGENDA_DRAFT, "a changed agenda needs a new approval"
    assert meeting.agenda_approved_by is None
    services.remove_item(meeting, first, meeting.revision)
    meeting.refresh_from_db()
    assert _times(meeting) == [("C", "9.00"), ("B", "9.10")]


def test_a_stale_agenda_revision_is_a_conflict_and_changes_nothing(t):
    meeting = _draft(t)
    a = _add(meeting, "A")
    _add(meeting, "B")
    meeting.refresh_from_db()
    stale = meeting.revision
    services.move_item(meeting, a, 1, stale)
    with pytest.raises(services.EditConflict):
        services.move_item(meeting, a, 0, stale)
    assert [i.title for i in AgendaItem.objects.filter(meeting=meeting).order_by("position")] == [
        "B",
        "A",
    ]


def test_two_editors_of_one_item_the_second_gets_a_conflict(t):
    meeting = _draft(t)
    item = _add(meeting, "Aula")
    first = AgendaItem.objects.get(pk=item.pk)
    second = AgendaItem.objects.get(pk=item.pk)
    first.case_text = "Første redaktørs tekst"
    services.update_item(first, item.revision)
    second.case_text = "Anden redaktørs tekst"
    with pytest.raises(services.EditConflict) as caught:
        services.update_item(second, item.revision)
    assert caught.value.current.case_text == "Første redaktørs tekst"
    assert AgendaItem.objects.get(pk=item.pk).case_text == "Første redaktørs tekst"
    # saving again from the revision that is now current wins
    second.case_text = "Anden redaktørs tekst, efter at have set den første"
    services.update_item(second, caught.value.current.revision)
    assert AgendaItem.objects.get(pk=item.pk).case_text.startswith("Anden")


@pytest.mark.parametrize("duration", [0, -5, 601])
def test_bad_durations_are_refused(t, duration):
    meeting = _draft(t)
    with pytest.raises((ValidationError, ValueError)):
        _add(meeting, "Forkert", duration)
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


def test_an_agenda_past_midnight_is_refused(t):
    meeting = _draft(t, start=datetime.time(22, 0))
    _add(meeting, "Sent", 90)
    with pytest.raises(ValidationError) as caught:
        _add(meeting, "For sent", 60)
    assert "duration" in caught.value.message_dict
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1


def test_only_the_chair_or_an_administrator_approves(t):
    meeting = _draft(t)
    _add(meeting, "A")
    for role in (Role.SECRETARY, Role.READER, Role.PROJECT_LEADER):
        with pytest.raises(ValidationError):
            services.approve_agenda(meeting, t.users[role])
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.AGENDA_DRAFT
    services.approve_agenda(meeting, t.users[Role.ADMINISTRATOR])
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.AGENDA_APPROVED


def test_an_empty_agenda_cannot_be_approved(t):
    meeting = _draft(t)
    with pytest.raises(ValidationError):
        services.approve_agenda(meeting, t.users[Role.MEMBER])


def test_an_unapproved_agenda_cannot_be_sent(t, mailoutbox):
    meeting = _draft(t)
    _add(meeting, "A")
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.send_agenda(meeting, t.users[Role.SECRETARY])
    assert "approved by the chair" in caught.value.messages[0]
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.AGENDA_DRAFT
    assert not mailoutbox


def test_minutes_of_a_meeting_not_held_cannot_be_approved(t):
    meeting = _draft(t)
    _add(meeting, "A")
    with pytest.raises(ValidationError):
        services.approve_minutes(meeting, t.users[Role.ADMINISTRATOR])
    assert not MinutesVersion.objects.filter(meeting=meeting).exists()


def test_a_meeting_is_not_held_before_its_date(t):
    meeting = factories.meeting(t.body, datetime.date(2999, 1, 1), state=MeetingState.AGENDA_SENT)
    with pytest.raises(ValidationError):
        services.mark_held(meeting, t.users[Role.SECRETARY])


def test_approved_minutes_are_locked_until_reopened_with_a_reason(t):
    item = AgendaItem.objects.get(pk=t.open_item.pk)
    item.decision = "Ændret efter godkendelsen"
    with pytest.raises(MinutesLockedError):
        item.save()
    with pytest.raises(ValidationError):
        services.update_item(item, item.revision)
    with pytest.raises(ValidationError):
        services.reopen_minutes(t.meeting, t.users[Role.MEMBER], "  ")
    with pytest.raises(ValidationError):
        services.reopen_minutes(t.meeting, t.users[Role.READER], "Stavefejl")
    assert AgendaItem.objects.get(pk=item.pk).decision.startswith("Godkendt")

    services.reopen_minutes(t.meeting, t.users[Role.MEMBER], "Stavefejl i beslutningen")
    item = AgendaItem.objects.get(pk=item.pk)
    item.decision = "Godkendt med rettelse"
    services.update_item(item, item.revision)
    version = services.approve_minutes(t.meeting, t.users[Role.MEMBER])
    assert version.number == 2
    assert version.reason == "Stavefejl i beslutningen"
    first = MinutesVersion.objects.get(meeting=t.meeting, number=1)
    assert first.snapshot[0]["decision"].startswith("Godkendt")
    assert version.snapshot[0]["decision"] == "Godkendt med rettelse"
    t.meeting.refresh_from_db()
    assert t.meeting.state == MeetingState.MINUTES_APPROVED
    assert t.meeting.correction_reason == ""


def test_every_item_needs_a_decision_or_not_treated_before_approval(t):
    meeting = factories.meeting(t.body, datetime.date(2024, 2, 1), state=MeetingState.HELD)
    factories.item(meeting, "Uden beslutning", kind=ItemKind.DECISION)
    factories.item(meeting, "Frokost", kind=ItemKind.BREAK)
    with pytest.raises(ValidationError) as caught:
        services.approve_minutes(meeting, t.users[Role.ADMINISTRATOR])
    assert "Uden beslutning" in caught.value.messages[0]
    assert "Frokost" not in caught.value.messages[0]


def test_an_item_not_treated_goes_on_the_next_meeting(t):
    meeting = factories.meeting(t.body, datetime.date(2024, 2, 1), state=MeetingState.HELD)
    item = factories.item(meeting, "Schrems II", outcome=Outcome.NOT_TREATED, duration=20)
    item.guests.add(t.person)
    following = factories.meeting(t.body, datetime.date(2024, 3, 1), state=MeetingState.PLANNED)
    services.approve_minutes(meeting, t.users[Role.ADMINISTRATOR])
    carried = AgendaItem.objects.get(meeting=following)
    assert carried.title == "Schrems II" and carried.carried_from_id == item.pk
    assert list(carried.guests.all()) == [t.person]
    assert not services.backlog(t.body).not_treated


def test_an_item_not_treated_waits_in_the_backlog_without_a_next_meeting(t):
    meeting = factories.meeting(t.body, datetime.date(2030, 2, 1), state=MeetingState.HELD)
    item = factories.item(meeting, "Fasit", outcome=Outcome.NOT_TREATED)
    services.approve_minutes(meeting, t.users[Role.ADMINISTRATOR])
    assert services.backlog(t.body).not_treated == [item]
    later = factories.meeting(t.body, datetime.date(2030, 5, 1))
    services.add_untreated_to_agenda(later, item)
    assert not services.backlog(t.body).not_treated
    with pytest.raises(ValidationError):
        services.add_untreated_to_agenda(later, item)


def test_a_case_sent_on_lands_in_the_next_bodys_backlog(t):
    programme = factories.body(t.municipality, "Programgruppen")
    case = factories.case(t.municipality, "Fælles intranet", route=[programme, t.body, t.board])
    assert [s.case for s in services.backlog(programme).cases] == [case]
    meeting = factories.meeting(programme, datetime.date(2024, 2, 1), state=MeetingState.HELD)
    factories.item(
        meeting, "Fælles intranet", case=case, decision="Sendes videre", outcome=Outcome.FORWARDED
    )
    assert not services.backlog(t.body).cases
    services.approve_minutes(meeting, t.users[Role.ADMINISTRATOR])
    assert [s.case for s in services.backlog(t.body).cases] == [case]
    assert not services.backlog(programme).cases, "treated at the programme group"
    step = CaseStep.objects.get(case=case, body=t.body)
    assert step.arrived_on == datetime.date(2024, 2, 1)
    # put on the steering group's agenda, it leaves the backlog
    following = factories.meeting(t.body, datetime.date(2024, 3, 1))
    services.add_case_to_agenda(following, step)
    assert not services.backlog(t.body).cases


def test_a_case_at_the_end_of_its_route_cannot_be_sent_on(t):
    case = factories.case(t.municipality, "Sidste stop", route=[t.body])
    meeting = factories.meeting(t.body, datetime.date(2024, 2, 1), state=MeetingState.HELD)
    item = factories.item(
        meeting, "Sidste stop", case=case, decision="Videre", outcome=Outcome.FORWARDED
    )
    with pytest.raises(ValidationError):
        services.check_outcome(item)
    with pytest.raises(ValidationError):
        services.approve_minutes(meeting, t.users[Role.ADMINISTRATOR])
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD, "nothing partly written"


def test_a_follow_up_needs_an_owner_and_a_due_date(t):
    follow_up = FollowUp(municipality=t.municipality, body=t.body, description="Noget")
    with pytest.raises(ValidationError) as caught:
        follow_up.full_clean()
    assert {"owner", "due_date"} <= set(caught.value.message_dict)
    follow_up.owner_unit = t.unit
    follow_up.due_date = datetime.date(2024, 1, 1)
    follow_up.full_clean()


def test_follow_ups_of_closed_items_are_closed(t):
    assert FollowUp.objects.get(pk=t.closed_follow_up.pk).closed
    assert not FollowUp.objects.get(pk=t.follow_up.pk).closed
    assert FollowUp.objects.overdue(datetime.date(2024, 7, 1)).count() == 2
    assert FollowUp.objects.overdue(datetime.date(2024, 5, 1)).count() == 0


def test_access_rules(t):
    users = t.users
    body = t.body
    assert has_perm(users[Role.MEMBER], "meetings.see_closed", body)
    assert has_perm(users[Role.SECRETARY], "meetings.see_closed", body)
    assert has_perm(users[Role.ADMINISTRATOR], "meetings.see_closed", body)
    assert not has_perm(users[Role.READER], "meetings.see_closed", body)
    assert not has_perm(users[Role.PROJECT_LEADER], "meetings.see_closed", body)
    assert has_perm(users[Role.SECRETARY], "meetings.edit", body)
    assert not has_perm(users[Role.MEMBER], "meetings.edit", body), "the chair's role is member"
    assert has_perm(users[Role.MEMBER], "meetings.approve", body)
    assert not has_perm(users[Role.SECRETARY], "meetings.approve", body)
    draft = Meeting.objects.get(pk=t.draft_meeting.pk)
    assert not has_perm(users[Role.READER], "meetings.see_agenda", draft)
    assert has_perm(users[Role.SECRETARY], "meetings.see_agenda", draft)
    assert has_perm(users[Role.READER], "meetings.see_decisions", t.meeting)


def test_a_former_member_no_longer_sees_closed_items(t):
    membership = t.membership
    membership.end = datetime.date(2020, 12, 31)
    membership.save()
    user = type(t.users[Role.MEMBER]).objects.get(pk=t.users[Role.MEMBER].pk)
    assert not has_perm(user, "meetings.see_closed", t.body)


def test_a_meeting_cannot_move_to_another_body_or_after_the_body_closed(t):
    meeting = Meeting.objects.get(pk=t.draft_meeting.pk)
    meeting.body = t.board
    with pytest.raises(ValidationError):
        meeting.full_clean()
    closed = factories.meeting(t.closed_body, datetime.date(2019, 1, 1))
    closed.date = datetime.date(2020, 1, 1)
    with pytest.raises(ValidationError) as caught:
        closed.full_clean()
    assert "date" in caught.value.message_dict


def test_changes_are_recorded_in_history(t):
    item = AgendaItem.objects.get(pk=t.draft_meeting.items.get().pk)
    item.case_text = "Ny tekst"
    services.update_item(item, item.revision)
    assert item.history.count() >= 2
    assert item.history.first().case_text == "Ny tekst"


def test_a_changed_date_time_or_place_makes_the_invitation_change(t):
    """`update_meeting`, which the page and the API share: SEQUENCE grows with the date,
    the times or the place, not with the title; approved minutes refuse the change."""
    meeting = _draft(t)
    sequence = meeting.sequence
    meeting.title = "Ekstra møde"
    services.update_meeting(meeting)
    assert Meeting.objects.get(pk=meeting.pk).sequence == sequence
    meeting.place = "Mødelokale 2"
    services.update_meeting(meeting)
    assert Meeting.objects.get(pk=meeting.pk).sequence == sequence + 1
    locked = Meeting.objects.get(pk=t.meeting.pk)
    assert locked.state == MeetingState.MINUTES_APPROVED
    locked.place = "Et andet sted"
    with pytest.raises(ValidationError):
        services.update_meeting(locked)
    assert Meeting.objects.get(pk=locked.pk).place != "Et andet sted"


def test_a_route_keeps_its_steps_and_their_arrivals(t):
    """`set_route`, which the page and the API share: kept bodies keep their step (one
    history record per real change), a new first body has the case since its creation."""
    case = factories.case(t.municipality, "Ruten", route=[t.body, t.board])
    project = factories.body(t.municipality, "Programgruppen")
    steps = {s.body_id: s for s in CaseStep.objects.filter(case=case)}
    services.save_case(case, [t.board, t.body])
    moved = {s.body_id: s for s in CaseStep.objects.filter(case=case)}
    assert {b: s.pk for b, s in moved.items()} == {b: s.pk for b, s in steps.items()}
    assert [(s.body_id, s.position, s.arrived_on) for s in case.steps.order_by("position")] == [
        (t.board.pk, 0, steps[t.board.pk].arrived_on),
        (t.body.pk, 1, steps[t.body.pk].arrived_on),
    ]
    services.save_case(case, [project, t.body])
    assert [(s.body_id, s.arrived_on) for s in case.steps.order_by("position")] == [
        (project.pk, case.created_on),
        (t.body.pk, steps[t.body.pk].arrived_on),
    ]
    assert not CaseStep.objects.filter(pk=steps[t.board.pk].pk).exists()
    with pytest.raises(ValidationError):
        services.check_route([t.body, t.body])
    with pytest.raises(ValidationError):
        services.check_route([t.closed_body])
    services.check_route([t.closed_body], kept=[t.closed_body.pk])


# --- Registered afterwards -------------------------------------------------------------------


def test_a_past_meeting_is_registered_as_held_afterwards_sending_nothing(t, mailoutbox):
    """Entered after the fact: held with nothing sent, its minutes approved as any meeting's,
    and the meeting and its history say so."""
    meeting = _draft(t, date=datetime.date(2023, 5, 15))
    item = _add(meeting, "Databeskyttelsesrådgiverens årsrapport", kind=ItemKind.DECISION)
    secretary = t.users[Role.SECRETARY]
    with translation.override("da"):
        services.record_afterwards(meeting, secretary)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD and meeting.recorded_afterwards
    assert meeting.agenda_sent_at is None and not mailoutbox
    assert meeting.history.first().history_change_reason == "Registreret efterfølgende"

    item.refresh_from_db()
    item.decision = "Årsrapporten blev taget til efterretning."
    services.update_item(item, item.revision)
    version = services.approve_minutes(meeting, t.users[Role.ADMINISTRATOR])
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.MINUTES_APPROVED and version.number == 1
    assert not mailoutbox


@pytest.mark.parametrize(
    "case,message",
    [
        ("future", "A meeting cannot be registered as held before its date."),
        ("no items", "Add the items the meeting treated before it is registered as held."),
        ("held", "Only a meeting that has not been held yet can be registered as held afterwards."),
        ("member", "Only the secretary of the body or an administrator can record the meeting."),
    ],
)
def test_what_cannot_be_registered_afterwards(t, case, message):
    date = datetime.date(2999, 1, 1) if case == "future" else datetime.date(2023, 5, 15)
    meeting = _draft(t, date=date)
    if case != "no items":
        _add(meeting, "Punkt")
    if case == "held":
        meeting.state = MeetingState.HELD
        meeting.save()
    user = t.users[Role.MEMBER if case == "member" else Role.SECRETARY]
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.record_afterwards(meeting, user)
    assert caught.value.messages == [message]
    meeting.refresh_from_db()
    assert not meeting.recorded_afterwards
