"""A meeting from agenda to approved minutes, in the browser and with the keyboard.

The secretary builds the agenda in place (htmx), the chair approves it, the secretary sends it,
marks the meeting held and records the decisions, the chair approves the minutes. Every page
and every swap is checked by axe-core (see conftest.py).
"""

import datetime
import re

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from core.models import Role
from meetings.models import AgendaItem, Meeting, MeetingState, Outcome
from tests import factories
from tests.browser.conftest import tab_to

pytestmark = pytest.mark.browser


@pytest.fixture
def chair(org, users):
    """The chair of the steering group can log in (the MEMBER user is the director)."""
    with scopes_disabled():
        director = org.people["direktor"]
        director.user = users[Role.MEMBER]
        director.save()
    return users[Role.MEMBER]


@pytest.fixture
def meeting(org):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    return factories.meeting(
        org.steering, yesterday, start=datetime.time(9, 0), place="Mødelokale 1"
    )


@pytest.fixture
def no_pdf_mail(monkeypatch):
    """Sending renders no PDF here (the documents have their own tests): record recipients."""
    from meetings import documents

    sent = []
    monkeypatch.setattr(
        documents,
        "send_agenda_email",
        lambda meeting, recipients, connection=None: sent.append(recipients),
    )
    return sent


def agenda_times(page) -> list[str]:
    return page.locator("#agenda td.agenda-time").all_inner_texts()


def agenda_titles(page) -> list[str]:
    return [
        re.sub(r"^.*– ", "", t) for t in page.locator("#agenda h3.agenda-title").all_inner_texts()
    ]


def focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def items_of(meeting):
    with scopes_disabled():
        return {i.title: i for i in AgendaItem.objects.filter(meeting=meeting)}


def state_of(meeting):
    with scopes_disabled():
        return Meeting.objects.get(pk=meeting.pk).state


def test_a_meeting_from_agenda_to_approved_minutes(
    page, org, chair, meeting, login, visit, submit, htmx_swap, no_pdf_mail
):
    following = factories.meeting(org.steering, timezone.localdate() + datetime.timedelta(days=60))
    detail = f"/moeder/{meeting.pk}/"

    # The secretary builds the agenda in place.
    login(org.secretary)
    visit(detail)
    page.evaluate("window.__noReload = true")
    tab_to(page, f"#agenda a[href='/moeder/{meeting.pk}/punkter/ny/']")
    htmx_swap(lambda: page.keyboard.press("Enter"))
    assert focused_id(page) == "id_title", "the opened form takes the focus"
    # The text areas take the editor's full width, not the design system's 230 px.
    widths = page.evaluate(
        "() => [document.querySelector('.item-editor form').clientWidth,"
        " document.querySelector('#id_case_text').offsetWidth]"
    )
    assert widths[1] >= widths[0] - 2, widths
    for title, minutes in [("Budgetopfølgning", 25), ("Ny hjemmeside", 30), ("Eventuelt", 20)]:
        page.keyboard.type(title)
        page.fill("#id_duration", str(minutes))
        htmx_swap(lambda: page.press("#id_title", "Enter"))
        assert page.locator("#id_title").input_value() == "", "a fresh form for the next item"
        page.focus("#id_title")
    assert agenda_titles(page) == ["Budgetopfølgning", "Ny hjemmeside", "Eventuelt"]
    assert agenda_times(page) == ["9.00", "9.25", "9.55"]
    # The head of the page follows (out of band): the meeting is now an agenda draft.
    steps = page.locator("#meeting-header li")
    assert steps.nth(1).get_attribute("aria-current") == "step"
    assert "9.00–10.15" in page.locator("#meeting-header dl").inner_text()

    # Move "Eventuelt" up with the keyboard: the times follow, the focus stays on it.
    items = items_of(meeting)
    last = items["Eventuelt"].pk
    tab_to(page, f"#up-{last}")
    htmx_swap(lambda: page.keyboard.press("Enter"))
    assert agenda_titles(page) == ["Budgetopfølgning", "Eventuelt", "Ny hjemmeside"]
    assert agenda_times(page) == ["9.00", "9.25", "9.45"]
    assert focused_id(page) == f"up-{last}"
    htmx_swap(lambda: page.keyboard.press("Enter"))
    assert agenda_titles(page) == ["Eventuelt", "Budgetopfølgning", "Ny hjemmeside"]
    assert focused_id(page) == f"down-{last}", "at the top the focus moves to 'Move down'"
    htmx_swap(lambda: page.keyboard.press("Enter"))
    assert agenda_titles(page) == ["Budgetopfølgning", "Eventuelt", "Ny hjemmeside"]
    assert agenda_times(page) == ["9.00", "9.25", "9.45"]
    assert page.evaluate("window.__noReload === true"), "the page was reloaded"
    # The secretary may not approve.
    assert page.locator(f"form[action='/moeder/{meeting.pk}/godkend-dagsorden/']").count() == 0

    # The chair approves the agenda.
    login(chair)
    visit(detail)
    tab_to(page, f"form[action='/moeder/{meeting.pk}/godkend-dagsorden/'] button")
    submit(lambda: page.keyboard.press("Enter"))
    assert state_of(meeting) == MeetingState.AGENDA_APPROVED

    # The secretary sends it, marks the meeting held and writes the minutes.
    login(org.secretary)
    visit(detail)
    tab_to(page, f"main a[href='/moeder/{meeting.pk}/send-dagsorden/']")
    submit(lambda: page.keyboard.press("Enter"))
    assert "mette.jensen@example.dk" in page.locator("main").inner_text()
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    assert state_of(meeting) == MeetingState.AGENDA_SENT
    assert re.search(r"1 (medlem|member)", page.locator("#messages").inner_text())
    assert no_pdf_mail == [[("Mette Jensen", "mette.jensen@example.dk")]]

    tab_to(page, f"form[action='/moeder/{meeting.pk}/afholdt/'] button")
    submit(lambda: page.keyboard.press("Enter"))
    assert state_of(meeting) == MeetingState.HELD

    decisions = {
        "Budgetopfølgning": (Outcome.TREATED, "Direktionen tog orienteringen til efterretning."),
        "Eventuelt": (Outcome.TREATED, "Intet."),
        "Ny hjemmeside": (Outcome.NOT_TREATED, ""),
    }
    for title, (outcome, decision) in decisions.items():
        pk = items[title].pk
        tab_to(page, f"#minutes-{pk}")
        htmx_swap(lambda: page.keyboard.press("Enter"))
        assert focused_id(page) == "id_outcome"
        page.select_option("#id_outcome", outcome)
        if decision:
            tab_to(page, "#id_decision")
            page.keyboard.type(decision)
        tab_to(page, "#agenda form[hx-post] button.button-primary")
        htmx_swap(lambda: page.keyboard.press("Enter"))
        assert focused_id(page) == f"minutes-{pk}", "the focus returns to the item"
    row = page.locator(f"#item-{items['Ny hjemmeside'].pk}")
    assert re.search(r"ikke behandlet|not treated", row.inner_text())
    assert state_of(meeting) == MeetingState.MINUTES_DRAFT

    # The chair approves the minutes; the item not treated goes on the next meeting.
    login(chair)
    visit(detail)
    tab_to(page, f"form[action='/moeder/{meeting.pk}/godkend-referat/'] button")
    submit(lambda: page.keyboard.press("Enter"))
    assert state_of(meeting) == MeetingState.MINUTES_APPROVED
    assert page.locator("#agenda a[id^='minutes-']").count() == 0, "locked minutes"
    with scopes_disabled():
        carried = AgendaItem.objects.get(meeting=following)
    assert carried.title == "Ny hjemmeside"
    assert carried.carried_from_id == items["Ny hjemmeside"].pk

    visit(f"/moeder/{meeting.pk}/versioner/")
    assert "Direktionen tog orienteringen til efterretning." in page.locator("main").inner_text()
    visit(f"/moeder/{meeting.pk}/historik/")


def test_an_edit_conflict_keeps_the_users_text(page, org, meeting, login, visit, htmx_swap):
    item = factories.item(meeting, "Strategi", duration=20, case_text="Første udkast")
    login(org.secretary)
    visit(f"/moeder/{meeting.pk}/")
    tab_to(page, f"#edit-{item.pk}")
    htmx_swap(lambda: page.keyboard.press("Enter"))
    assert focused_id(page) == "id_title"
    # Meanwhile somebody else saves the item.
    with scopes_disabled():
        from meetings import services

        other = AgendaItem.objects.get(pk=item.pk)
        other.case_text = "Kollegaens tekst"
        services.update_item(other, other.revision)
    page.fill("#id_case_text", "Min egen tekst")
    tab_to(page, "#agenda form[hx-post] button.button-primary")
    htmx_swap(lambda: page.keyboard.press("Enter"))
    assert page.locator("#agenda .alert-warning[role=alert]").is_visible()
    assert "Kollegaens tekst" in page.locator("#agenda .alert-warning").inner_text()
    assert page.locator("#id_case_text").input_value() == "Min egen tekst"
    tab_to(page, "#agenda form[hx-post] button.button-primary")
    htmx_swap(lambda: page.keyboard.press("Enter"))
    with scopes_disabled():
        assert AgendaItem.objects.get(pk=item.pk).case_text == "Min egen tekst"


MEETING_PAGES = {
    "list": lambda o, m, i: "/moeder/",
    "list-filtered": lambda o, m, i: f"/moeder/?organ={o.steering.pk}&aar={m.date.year}",
    "create": lambda o, m, i: f"/moeder/ny/?organ={o.steering.pk}",
    "plan-year": lambda o, m, i: f"/organer/{o.steering.pk}/moedeplan/",
    "detail": lambda o, m, i: f"/moeder/{m.pk}/",
    "edit": lambda o, m, i: f"/moeder/{m.pk}/rediger/",
    "item-add": lambda o, m, i: f"/moeder/{m.pk}/punkter/ny/",
    "item-edit": lambda o, m, i: f"/punkter/{i.pk}/rediger/",
    "item-move": lambda o, m, i: f"/punkter/{i.pk}/flyt/",
    "item-delete": lambda o, m, i: f"/punkter/{i.pk}/slet/",
    "backlog": lambda o, m, i: f"/moeder/{m.pk}/fra-listen/",
    "approve": lambda o, m, i: f"/moeder/{m.pk}/godkend-dagsorden/",
    "send": lambda o, m, i: f"/moeder/{m.pk}/send-dagsorden/",
    "held": lambda o, m, i: f"/moeder/{m.pk}/afholdt/",
    "minutes-item": lambda o, m, i: f"/punkter/{i.pk}/referat/",
    "followup-add": lambda o, m, i: f"/punkter/{i.pk}/opfoelgning/ny/",
    "attendance": lambda o, m, i: f"/moeder/{m.pk}/fremmoede/",
    "minutes-approve": lambda o, m, i: f"/moeder/{m.pk}/godkend-referat/",
    "reopen": lambda o, m, i: f"/moeder/{m.pk}/genaabn-referat/",
    "versions": lambda o, m, i: f"/moeder/{m.pk}/versioner/",
    "history": lambda o, m, i: f"/moeder/{m.pk}/historik/",
    "body-detail": lambda o, m, i: f"/organer/{o.steering.pk}/",
}


def test_every_meeting_page_passes_axe(org, users, meeting, login, visit):
    """Every meeting page with realistic content, as an administrator and as a reader."""
    case = factories.case(org.municipality, "Borgerblikket", route=[org.steering, org.direktion])
    item = factories.item(
        meeting,
        "Borgerblikket",
        duration=30,
        case=case,
        case_text="Tekst",
        recommendation="Det indstilles, at …",
    )
    factories.item(meeting, "Personalesag", duration=15, closed=True, closed_reason="Fortroligt")
    factories.item(meeting, "Pause", kind="break", duration=10)
    factories.attachment(item, "Bilag 1", document_number="3608761")
    factories.follow_up(
        org.steering,
        owner=org.people["konsulent"],
        item=item,
        due_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    login(org.admin)
    for path in MEETING_PAGES.values():
        visit(path(org, meeting, item))
    # A reader sees that the draft agenda is not published yet.
    login(users[Role.READER])
    visit(f"/moeder/{meeting.pk}/")
    visit("/moeder/")
