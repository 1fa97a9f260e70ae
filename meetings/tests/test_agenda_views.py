"""The meeting pages: the htmx agenda builder, the workflow of a meeting, and bad input.

Every refused change gives a clear message and writes nothing.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from core.models import Role
from meetings import services
from meetings.models import (
    AgendaItem,
    Attendance,
    CaseStep,
    FollowUp,
    ItemKind,
    Meeting,
    MeetingState,
    MinutesVersion,
    Outcome,
)
from tests import factories
from tests.once import once_per_module
from tests.world import CANARY_CLOSED, build_tenant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_scopes"), pytest.mark.history]

HTMX = {"HTTP_HX_REQUEST": "true"}


@once_per_module
def t():
    return build_tenant("Norddjurs Kommune")


@pytest.fixture
def secretary(client, t):
    client.force_login(t.users[Role.SECRETARY])
    return client


@pytest.fixture
def chair(client, t):
    client.force_login(t.users[Role.MEMBER])
    return client


@pytest.fixture
def sent_mail(monkeypatch):
    """Agendas 'sent' without rendering PDFs: the recipients of each dispatch."""
    from meetings import documents

    sent = []

    def fake(meeting, recipients, connection=None):
        sent.append(recipients)
        return len(recipients)

    monkeypatch.setattr(documents, "send_agenda_email", fake)
    return sent


def url(t, name, *args, query=""):
    with scope(municipality=t.municipality.pk):
        return reverse(f"meetings:{name}", args=args) + query


def draft(t, date=datetime.date(2024, 10, 1), start=datetime.time(9, 0), **kwargs):
    return factories.meeting(t.body, date, state=MeetingState.PLANNED, start=start, **kwargs)


def add(meeting, title, duration=15, kind=ItemKind.DISCUSSION, **kwargs):
    with scopes_disabled():
        return services.add_item(
            meeting, AgendaItem(title=title, duration=duration, kind=kind, **kwargs)
        )


def item_data(title, duration=15, kind=ItemKind.DISCUSSION, revision=None, **extra):
    data = {
        "title": title,
        "kind": kind,
        "duration": duration,
        "closed_reason": "",
        "case_text": "",
        "recommendation": "",
    }
    if revision is not None:
        data["revision"] = revision
    data.update(extra)
    return data


def times(html: str) -> list[str]:
    """The clock times of the agenda, in order."""
    return re.findall(r'<td class="agenda-time">([0-9.]+)</td>', html)


def text(response) -> str:
    return response.content.decode()


def fresh(obj):
    with scopes_disabled():
        return type(obj)._base_manager.get(pk=obj.pk)


def snapshot():
    with scopes_disabled():
        return (
            sorted(Meeting.objects.values_list("pk", "state", "revision", "sequence")),
            sorted(
                AgendaItem.objects.values_list(
                    "pk", "position", "revision", "title", "duration", "decision", "outcome"
                )
            ),
            FollowUp.objects.count(),
            Attendance.objects.count(),
            MinutesVersion.objects.count(),
        )


def test_the_document_links_come_before_the_agenda(secretary, t):
    meeting = draft(t)
    html = text(secretary.get(url(t, "meeting_detail", meeting.pk)))
    pdf = html.index(url(t, "agenda_pdf", meeting.pk))
    assert pdf < html.index('id="agenda"')
    assert html.index("</h1>") < pdf


# --- Clock times follow every change -------------------------------------------------------


def test_times_follow_adding_moving_and_removing_items(secretary, t):
    meeting = draft(t)
    response = secretary.post(
        url(t, "item_add", meeting.pk),
        item_data("Ankomst", 5, ItemKind.BREAK, meeting.revision),
        **HTMX,
    )
    assert response.status_code == 200
    assert times(text(response)) == ["9.00"]
    for title, minutes in [("Punkt 1", 25), ("Dialogmøde", 30)]:
        meeting = fresh(meeting)
        response = secretary.post(
            url(t, "item_add", meeting.pk),
            item_data(title, minutes, revision=meeting.revision),
            **HTMX,
        )
        assert response.status_code == 200
    assert times(text(response)) == ["9.00", "9.05", "9.30"]
    assert "Punkt 1" in text(response) and 'id="agenda"' in text(response)
    # A title with its own number ("Punkt 1 – …" in seed 004) is not numbered twice.
    assert "Punkt 1 – Punkt 1" not in text(response)
    assert "Punkt 2 – Dialogmøde" in text(response)
    # The head of the page (state, times, buttons) comes along out of band.
    assert 'id="meeting-header" hx-swap-oob="true"' in text(response)
    assert fresh(meeting).state == MeetingState.AGENDA_DRAFT

    with scopes_disabled():
        dialog = AgendaItem.objects.get(meeting=meeting, title="Dialogmøde")
    meeting = fresh(meeting)
    response = secretary.post(
        url(t, "item_move", dialog.pk), {"direction": "up", "revision": meeting.revision}, **HTMX
    )
    assert response.status_code == 200
    html = text(response)
    assert times(html) == ["9.00", "9.05", "9.35"]
    assert html.index("Dialogmøde") < html.index("Punkt 1")
    # The moved item's button keeps the focus.
    assert re.search(rf'id="up-{dialog.pk}"[^>]*autofocus', html)

    meeting = fresh(meeting)
    response = secretary.post(
        url(t, "item_delete", dialog.pk), {"revision": meeting.revision}, **HTMX
    )
    assert response.status_code == 200
    assert times(text(response)) == ["9.00", "9.05"]
    with scopes_disabled():
        assert not AgendaItem.objects.filter(pk=dialog.pk).exists()


def test_without_javascript_the_same_urls_answer_pages_and_redirects(secretary, t):
    meeting = draft(t)
    first = add(meeting, "Først", 10)
    second = add(meeting, "Dernæst", 20)
    assert secretary.get(url(t, "item_add", meeting.pk)).status_code == 200
    assert secretary.get(url(t, "item_move", second.pk)).status_code == 200
    assert secretary.get(url(t, "item_delete", second.pk)).status_code == 200
    meeting = fresh(meeting)
    response = secretary.post(
        url(t, "item_move", second.pk), {"position": 1, "revision": meeting.revision}
    )
    assert response.status_code == 302
    assert fresh(second).position == 0 and fresh(first).position == 1
    response = secretary.get(url(t, "meeting_detail", meeting.pk))
    assert times(text(response)) == ["9.00", "9.20"]


def test_a_non_member_sees_that_the_agenda_is_not_published(client, t):
    client.force_login(t.users[Role.READER])
    response = client.get(url(t, "meeting_detail", t.draft_meeting.pk))
    assert response.status_code == 200
    html = text(response)
    assert t.draft_meeting.heading in html
    assert "Aula" not in html
    assert "Udkast" not in html


def test_closed_items_show_only_their_title_to_non_members(client, t):
    client.force_login(t.users[Role.READER])
    html = text(client.get(url(t, "meeting_detail", t.meeting.pk)))
    assert t.closed_item.title in html
    assert CANARY_CLOSED not in html
    assert "Lukket tekst" not in html and "Lukket bilag" not in html
    assert "Sagsfremstilling" in html  # the open item in full
    client.force_login(t.users[Role.SECRETARY])
    html = text(client.get(url(t, "meeting_detail", t.meeting.pk)))
    assert "Lukket tekst" in html and "Lukket beslutning" in html


def test_a_closed_attachment_of_an_open_item_shows_only_its_title(client, t):
    meeting = t.draft_meeting
    with scopes_disabled():
        item = meeting.items.get()
        secret = factories.attachment(
            item,
            "Fortroligt notat",
            document_number="DOK-4711",
            closed=True,
            closed_reason="Fortroligt",
        )
        Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.AGENDA_SENT)
    client.force_login(t.users[Role.READER])
    html = text(client.get(url(t, "meeting_detail", meeting.pk)))
    assert "Fortroligt notat" in html and "Udkast" in html
    assert "DOK-4711" not in html
    with scope(municipality=t.municipality.pk):
        assert reverse("meetings:attachment_download", args=[secret.pk]) not in html
    client.force_login(t.users[Role.SECRETARY])
    assert "DOK-4711" in text(client.get(url(t, "meeting_detail", meeting.pk)))


# --- Bad input: a clear error, nothing written ----------------------------------------------


@pytest.mark.parametrize("duration", [0, -5])
def test_zero_and_negative_durations_are_refused(secretary, t, duration):
    meeting = draft(t)
    before = snapshot()
    response = secretary.post(
        url(t, "item_add", meeting.pk), item_data("Kort", duration, revision=meeting.revision)
    )
    assert response.status_code == 422
    assert 'class="form-error-message"' in text(response)
    assert snapshot() == before
    response = secretary.post(
        url(t, "item_add", meeting.pk),
        item_data("Kort", duration, revision=meeting.revision),
        **HTMX,
    )
    assert response.status_code == 200  # htmx swaps only 2xx: the errors are shown in place
    assert 'class="form-error-message"' in text(response)
    assert snapshot() == before


def test_an_agenda_past_midnight_is_refused(secretary, t):
    meeting = draft(t, start=datetime.time(22, 0))
    add(meeting, "Lang aften", 100)
    meeting = fresh(meeting)
    before = snapshot()
    response = secretary.post(
        url(t, "item_add", meeting.pk), item_data("For sent", 30, revision=meeting.revision), **HTMX
    )
    assert "midnight" in text(response) or "midnat" in text(response)
    assert snapshot() == before
    # Moving the start later is refused the same way.
    response = secretary.post(
        url(t, "meeting_edit", meeting.pk),
        {
            "date": "2024-10-01",
            "start": "23:30",
            "end": "",
            "place": "",
            "title": "",
        },
    )
    assert response.status_code == 422
    assert snapshot() == before


def test_an_agenda_without_items_cannot_be_approved(chair, t):
    meeting = draft(t)
    before = snapshot()
    response = chair.post(
        url(t, "agenda_approve", meeting.pk), {"sequence": meeting.sequence}, follow=True
    )
    assert "The agenda has no items." in text(response) or "ingen punkter" in text(response)
    assert snapshot() == before


def test_the_chair_approves_the_agenda_as_seen(chair, t):
    meeting = draft(t)
    add(meeting, "Punkt", 15)
    meeting = fresh(meeting)
    before = snapshot()
    chair.post(url(t, "agenda_approve", meeting.pk), {"sequence": meeting.sequence - 1})
    assert snapshot() == before, "an agenda changed since it was opened is not approved"
    response = chair.post(url(t, "agenda_approve", meeting.pk), {"sequence": meeting.sequence})
    assert response.status_code == 302
    assert fresh(meeting).state == MeetingState.AGENDA_APPROVED


def test_the_secretary_cannot_approve_and_the_chair_cannot_edit(client, t):
    meeting = draft(t)
    add(meeting, "Punkt", 15)
    client.force_login(t.users[Role.SECRETARY])
    assert client.post(url(t, "agenda_approve", fresh(meeting).pk)).status_code == 403
    client.force_login(t.users[Role.MEMBER])
    assert client.post(url(t, "item_add", meeting.pk), item_data("X")).status_code == 403


def test_an_unapproved_agenda_cannot_be_sent(secretary, t, sent_mail):
    meeting = draft(t)
    add(meeting, "Punkt", 15)
    before = snapshot()
    response = secretary.post(url(t, "agenda_send", meeting.pk), follow=True)
    html = text(response)
    assert "godkendes af formanden" in html
    assert snapshot() == before
    assert sent_mail == []


def test_sending_says_to_how_many_members(client, t, sent_mail):
    meeting = draft(t)
    add(meeting, "Punkt", 15)
    with scopes_disabled():
        t.person.email = "formand@example.dk"
        t.person.save()
        t.secretary_person.email = "sekretaer@example.dk"
        t.secretary_person.save()
        services.approve_agenda(meeting, t.users[Role.MEMBER])
    client.force_login(t.users[Role.SECRETARY])
    page = text(client.get(url(t, "agenda_send", meeting.pk)))
    assert "formand@example.dk" in page
    response = client.post(url(t, "agenda_send", meeting.pk), follow=True)
    html = text(response)
    assert re.search(r"(sent to|sendt til) 2 ", html), html
    assert fresh(meeting).state == MeetingState.AGENDA_SENT
    assert len(sent_mail) == 1


def test_minutes_of_a_meeting_not_held_cannot_be_approved(chair, t):
    before = snapshot()
    response = chair.post(url(t, "minutes_approve", t.draft_meeting.pk), follow=True)
    assert "held" in text(response) or "afholdt" in text(response)
    assert snapshot() == before


def test_a_meeting_cannot_be_marked_held_before_its_date(secretary, t, sent_mail):
    meeting = draft(t, date=timezone.localdate() + datetime.timedelta(days=3))
    with scopes_disabled():
        Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.AGENDA_SENT)
    before = snapshot()
    response = secretary.post(url(t, "meeting_held", meeting.pk), follow=True)
    assert "before its date" in text(response) or "før" in text(response)
    assert snapshot() == before


def test_approved_minutes_cannot_be_edited(client, t):
    client.force_login(t.users[Role.SECRETARY])
    before = snapshot()
    item = t.open_item
    page = client.get(url(t, "minutes_item", item.pk))
    assert page.status_code == 200
    assert "locked" in text(page) or "låst" in text(page)
    assert 'name="decision"' not in text(page)
    response = client.post(
        url(t, "minutes_item", item.pk),
        {"decision": "Ændret", "outcome": "treated", "revision": item.revision},
        follow=True,
    )
    assert "locked" in text(response) or "låst" in text(response)
    for name in ("item_edit", "followup_add"):
        client.post(url(t, name, item.pk), {"title": "Ændret", "description": "x"})
    client.post(url(t, "meeting_edit", t.meeting.pk), {"date": "2024-05-16", "start": "10:00"})
    client.post(url(t, "attendance", t.meeting.pk), {})
    assert snapshot() == before
    # The meeting page offers no editing of locked minutes.
    html = text(client.get(url(t, "meeting_detail", t.meeting.pk)))
    assert url(t, "minutes_item", item.pk) not in html
    assert url(t, "meeting_edit", t.meeting.pk) not in html


def test_a_follow_up_needs_an_owner_and_a_due_date(secretary, t):
    meeting, item = held_meeting(t)
    before = snapshot()
    response = secretary.post(
        url(t, "followup_add", item.pk),
        {"description": "Følg op", "owner": "", "owner_unit": "", "due_date": ""},
        **HTMX,
    )
    assert response.status_code == 200
    html = text(response)
    assert html.count('class="form-error-message"') == 2
    assert snapshot() == before
    response = secretary.post(
        url(t, "followup_add", item.pk),
        {"description": "Følg op", "owner_unit": t.unit.pk, "due_date": "2024-12-01"},
        **HTMX,
    )
    assert response.status_code == 200
    with scopes_disabled():
        follow_up = FollowUp.objects.get(item=item)
    assert follow_up.owner_unit == t.unit and follow_up.body == t.body


def test_reopening_needs_a_reason(chair, t):
    before = snapshot()
    response = chair.post(url(t, "minutes_reopen", t.meeting.pk), {"reason": "  "})
    assert response.status_code == 422
    assert snapshot() == before
    response = chair.post(url(t, "minutes_reopen", t.meeting.pk), {"reason": "Stavefejl"})
    assert response.status_code == 302
    meeting = fresh(t.meeting)
    assert meeting.state == MeetingState.MINUTES_DRAFT
    assert meeting.correction_reason == "Stavefejl"


# --- Optimistic locking ----------------------------------------------------------------------


def test_two_editors_of_one_item_the_second_sees_the_conflict(client, t):
    meeting = draft(t)
    item = add(meeting, "Budget", 20, case_text="Oprindelig tekst")
    client.force_login(t.users[Role.SECRETARY])
    revision = fresh(item).revision
    # Both opened the form at the same revision.
    first = client.post(
        url(t, "item_edit", item.pk),
        item_data("Budget", 20, revision=revision, case_text="Første tekst"),
        **HTMX,
    )
    assert first.status_code == 200
    second = client.post(
        url(t, "item_edit", item.pk),
        item_data("Budget", 25, revision=revision, case_text="Anden tekst"),
        **HTMX,
    )
    assert second.status_code == 200
    html = text(second)
    assert "Nogen har gemt ændringer i punktet" in html
    assert "Anden tekst" in html, "the user's own text is kept"
    assert "Første tekst" in html, "the saved version is shown to compare"
    saved = fresh(item)
    assert saved.case_text == "Første tekst" and saved.duration == 20
    assert f'name="revision" value="{saved.revision}"' in html
    # Saving again from the new revision wins.
    third = client.post(
        url(t, "item_edit", item.pk),
        item_data("Budget", 25, revision=saved.revision, case_text="Anden tekst"),
        **HTMX,
    )
    assert third.status_code == 200
    assert fresh(item).case_text == "Anden tekst" and fresh(item).duration == 25
    # Without htmx the conflict answers 409 with the same page.
    stale = client.post(
        url(t, "item_edit", item.pk), item_data("Budget", 25, revision=revision, case_text="Gammel")
    )
    assert stale.status_code == 409
    assert "Gammel" in text(stale)


def test_a_stale_agenda_order_is_a_conflict(secretary, t):
    meeting = draft(t)
    add(meeting, "A", 10)
    b = add(meeting, "B", 10)
    stale = fresh(meeting).revision
    secretary.post(url(t, "item_move", b.pk), {"direction": "up", "revision": stale}, **HTMX)
    before = snapshot()
    response = secretary.post(
        url(t, "item_move", b.pk), {"direction": "down", "revision": stale}, **HTMX
    )
    assert response.status_code == 200
    assert "Nogen har" in text(response)
    assert snapshot() == before
    response = secretary.post(url(t, "item_delete", b.pk), {"revision": stale}, **HTMX)
    assert snapshot() == before
    response = secretary.post(
        url(t, "item_add", meeting.pk), item_data("C", revision=stale), **HTMX
    )
    assert 'value="C"' in text(response), "the new item's text is kept"
    assert snapshot() == before


def test_minutes_use_the_items_revision(secretary, t):
    meeting, item = held_meeting(t)
    revision = fresh(item).revision
    secretary.post(
        url(t, "minutes_item", item.pk),
        {"decision": "Godkendt", "outcome": "treated", "revision": revision},
        **HTMX,
    )
    response = secretary.post(
        url(t, "minutes_item", item.pk),
        {"decision": "Afvist", "outcome": "treated", "revision": revision},
        **HTMX,
    )
    assert "Afvist" in text(response) and "Godkendt" in text(response)
    assert fresh(item).decision == "Godkendt"
    assert fresh(meeting).state == MeetingState.MINUTES_DRAFT


# --- Carrying over and sending on ------------------------------------------------------------


def held_meeting(t, date=datetime.date(2024, 10, 1)):
    meeting = draft(t, date=date)
    item = add(meeting, "Punkt", 30, case=t.case)
    with scopes_disabled():
        Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.HELD)
    return fresh(meeting), fresh(item)


def test_an_item_not_treated_lands_on_the_next_meeting(client, t):
    meeting, item = held_meeting(t)
    following = draft(t, date=datetime.date(2024, 12, 1))
    client.force_login(t.users[Role.SECRETARY])
    response = client.post(
        url(t, "minutes_item", item.pk),
        {
            "outcome": Outcome.NOT_TREATED,
            "decision": "",
            "revision": item.revision,
        },
        **HTMX,
    )
    assert "The item was not treated." in text(response) or "ikke behandlet" in text(response)
    client.force_login(t.users[Role.MEMBER])
    response = client.post(url(t, "minutes_approve", meeting.pk), follow=True)
    assert fresh(meeting).state == MeetingState.MINUTES_APPROVED
    with scopes_disabled():
        carried = AgendaItem.objects.get(meeting=following)
    assert carried.carried_from_id == item.pk and carried.title == "Punkt"
    html = text(client.get(url(t, "meeting_detail", following.pk)))
    assert "Punkt" in html


def test_a_forwarded_case_lands_in_the_next_bodys_backlog(client, t):
    meeting, item = held_meeting(t)
    client.force_login(t.users[Role.SECRETARY])
    client.post(
        url(t, "minutes_item", item.pk),
        {
            "outcome": Outcome.FORWARDED,
            "decision": "Sendes videre",
            "revision": item.revision,
        },
        **HTMX,
    )
    client.force_login(t.users[Role.MEMBER])
    client.post(url(t, "minutes_approve", meeting.pk))
    with scopes_disabled():
        step = CaseStep.objects.get(case=t.case, body=t.board)
        assert step.arrived_on == meeting.date
        assert [s.pk for s in services.backlog(t.board).cases] == [step.pk]
    # The board's next agenda offers it; the administrator puts it on.
    board_meeting = factories.meeting(t.board, datetime.date(2024, 11, 1))
    client.force_login(t.users[Role.ADMINISTRATOR])
    html = text(client.get(url(t, "meeting_detail", board_meeting.pk)))
    assert t.case.number in html
    response = client.post(
        url(t, "backlog_add", board_meeting.pk), {"kind": "case", "id": step.pk}, **HTMX
    )
    assert response.status_code == 200
    with scopes_disabled():
        assert AgendaItem.objects.get(meeting=board_meeting).case_id == t.case.pk


def test_a_case_at_the_end_of_its_route_cannot_be_sent_on(secretary, t):
    meeting = draft(t)
    case = factories.case(t.municipality, "Sidste stop", route=[t.body])
    item = add(meeting, "Sidste", 10, case=case)
    with scopes_disabled():
        Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.HELD)
    before = snapshot()
    response = secretary.post(
        url(t, "minutes_item", item.pk),
        {
            "outcome": Outcome.FORWARDED,
            "decision": "Videre",
            "revision": fresh(item).revision,
        },
        **HTMX,
    )
    assert 'class="form-error-message"' in text(response)
    assert snapshot() == before


def test_an_unknown_backlog_entry_is_refused(secretary, t):
    meeting = draft(t)
    before = snapshot()
    for data in ({}, {"kind": "case", "id": 999999}, {"kind": "nonsense", "id": 1}):
        response = secretary.post(url(t, "backlog_add", meeting.pk), data)
        assert response.status_code == 302
    assert snapshot() == before


# --- Planning ----------------------------------------------------------------------------------


def test_planning_the_year_is_all_or_nothing(secretary, t):
    with scopes_disabled():
        count = Meeting.objects.count()
    data = {
        "start": "09:00",
        "end": "",
        "place": "Byrådssalen",
        "date_1": "2025-03-01",
        "date_2": "2025-06-01",
        "date_3": "2025-06-01",
        "date_4": "",
    }
    response = secretary.post(url(t, "meeting_plan_year", t.body.pk), data)
    assert response.status_code == 422
    assert "twice" in text(response) or "to gange" in text(response)
    with scopes_disabled():
        assert Meeting.objects.count() == count
    data["date_3"] = "2025-09-01"
    response = secretary.post(url(t, "meeting_plan_year", t.body.pk), data)
    assert response.status_code == 302
    with scopes_disabled():
        planned = list(Meeting.objects.filter(body=t.body, date__year=2025).order_by("date"))
    assert [m.date.month for m in planned] == [3, 6, 9]
    assert all(m.place == "Byrådssalen" and m.state == MeetingState.PLANNED for m in planned)


def test_planning_a_meeting_offers_only_the_users_bodies(secretary, t):
    page = text(secretary.get(url(t, "meeting_create", query=f"?organ={t.body.pk}")))
    assert t.body.name in page and t.board.name not in page
    response = secretary.post(
        url(t, "meeting_create"),
        {
            "body": t.board.pk,
            "date": "2025-01-10",
            "start": "09:00",
        },
    )
    assert response.status_code == 422
    response = secretary.post(
        url(t, "meeting_create"),
        {
            "body": t.body.pk,
            "date": "2025-01-10",
            "start": "09:00",
            "place": "Lokale 1",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert Meeting.objects.filter(body=t.body, date="2025-01-10").exists()


def test_attendance_is_saved_for_everyone_at_once(secretary, t):
    meeting = t.draft_meeting
    page = text(secretary.get(url(t, "attendance", meeting.pk)))
    assert t.person.name in page and t.secretary_person.name in page
    before = snapshot()
    response = secretary.post(
        url(t, "attendance", meeting.pk),
        {
            f"status_{t.person.pk}": "excused",
            f"status_{t.secretary_person.pk}": "bogus",
        },
    )
    assert response.status_code == 422
    assert snapshot() == before
    response = secretary.post(
        url(t, "attendance", meeting.pk),
        {
            f"status_{t.person.pk}": "excused",
            f"status_{t.secretary_person.pk}": "present",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert dict(
            Attendance.objects.filter(meeting=meeting).values_list("person_id", "status")
        ) == {
            t.person.pk: "excused",
            t.secretary_person.pk: "present",
        }


def test_versions_and_history_respect_closed_items(client, t):
    with scopes_disabled():
        AgendaItem.objects.filter(pk=t.closed_item.pk).update(revision=1)
        services.reopen_minutes(t.meeting, t.users[Role.MEMBER], "Rettelse")
        item = AgendaItem.objects.get(pk=t.closed_item.pk)
        item.decision = f"Rettet {CANARY_CLOSED}"
        services.update_item(item, item.revision)
        services.approve_minutes(t.meeting, t.users[Role.MEMBER])
    client.force_login(t.users[Role.READER])
    for name in ("minutes_versions", "meeting_history"):
        html = text(client.get(url(t, name, t.meeting.pk)))
        assert CANARY_CLOSED not in html
        assert t.closed_item.title in html
    client.force_login(t.users[Role.MEMBER])
    versions = text(client.get(url(t, "minutes_versions", t.meeting.pk)))
    assert "Rettelse" in versions and f"Rettet {CANARY_CLOSED}" in versions
    history = text(client.get(url(t, "meeting_history", t.meeting.pk)))
    assert f"Rettet {CANARY_CLOSED}" in history


# --- Queries per page ---------------------------------------------------------------------------


def grow_meetings(t, n):
    with scopes_disabled():
        # Approved minutes are locked: unlock them for the test data, then lock them again.
        Meeting.objects.filter(pk=t.meeting.pk).update(state=MeetingState.HELD)
        for i in range(n):
            person = factories.person(t.municipality, f"Gæst {i}")
            item = factories.item(
                t.meeting,
                f"Ekstra {i}",
                case=factories.case(t.municipality, f"Sag {i}", route=[t.body, t.board]),
                case_text="Tekst",
            )
            item.guests.add(person)
            factories.attachment(item, f"Bilag {i}")
            factories.follow_up(t.body, owner=person, item=item)
            factories.meeting(t.body, datetime.date(2023, 1, 1) + datetime.timedelta(days=i))
            factories.item(t.draft_meeting, f"Udkast {i}", carried_from=item)
        Meeting.objects.filter(pk=t.meeting.pk).update(state=MeetingState.MINUTES_APPROVED)


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.SECRETARY, Role.READER])
def test_queries_do_not_grow_with_the_rows(client, t, role):
    client.force_login(t.users[role])
    pages = [
        url(t, "meeting_detail", t.meeting.pk),
        url(t, "meeting_detail", t.draft_meeting.pk),
        url(t, "meeting_list"),
        url(t, "meeting_list", query=f"?organ={t.body.pk}&aar=2024"),
        url(t, "minutes_versions", t.meeting.pk),
        url(t, "meeting_history", t.meeting.pk),
    ]

    def count():
        result = []
        for page in pages:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(page).status_code == 200
            result.append(len(captured))
        return result

    small = count()
    grow_meetings(t, 8)
    assert count() == small


def test_history_keeps_draft_decisions_for_the_members(client, t):
    meeting, item = held_meeting(t)
    with scopes_disabled():
        item.decision = "Kladde til beslutning"
        services.update_item(item, item.revision)
    client.force_login(t.users[Role.READER])
    html = text(client.get(url(t, "meeting_history", meeting.pk)))
    assert "Punkt" in html and "Kladde til beslutning" not in html
    client.force_login(t.users[Role.SECRETARY])
    assert "Kladde til beslutning" in text(client.get(url(t, "meeting_history", meeting.pk)))


def test_a_past_meeting_is_registered_afterwards_from_its_page(secretary, t, sent_mail, english):
    meeting = draft(t, date=datetime.date(2023, 5, 15))
    add(meeting, "Databeskyttelsesrådgiverens årsrapport")
    page = text(secretary.get(url(t, "meeting_detail", meeting.pk)))
    register = url(t, "meeting_record_afterwards", meeting.pk)
    assert f'href="{register}"' in page
    confirm = secretary.get(register)
    assert confirm.status_code == 200 and "nothing is sent" in text(confirm)
    response = secretary.post(register, follow=True)
    assert "registered as held afterwards; nothing was sent" in text(response)
    assert fresh(meeting).state == MeetingState.HELD and fresh(meeting).recorded_afterwards
    assert "Held (registered afterwards)" in text(response)
    assert not sent_mail
    # a meeting still to come offers no such button
    coming = draft(t, date=timezone.localdate() + datetime.timedelta(days=3))
    add(coming, "Punkt")
    page = text(secretary.get(url(t, "meeting_detail", coming.pk)))
    assert url(t, "meeting_record_afterwards", coming.pk) not in page
