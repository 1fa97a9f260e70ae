"""Private notes in the browser, with the keyboard: a member opens "Skriv en privat note"
under an item of a held meeting, writes a note on the item and on its attachment and saves
each in place (htmx, no reload), then reads them on "Mine noter". axe checks the meeting page,
every swap and the list (see conftest.py)."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from core.models import Role
from meetings.models import MeetingState
from notes.models import Note
from tests import factories
from tests.browser.conftest import tab_to

pytestmark = pytest.mark.browser


@pytest.fixture
def item(org, users):
    """An item with an attachment of a held meeting of the steering group; the READER logs
    in as a person who reads it (open items are for everyone in the municipality)."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with scopes_disabled():
        meeting = factories.meeting(org.steering, yesterday, state=MeetingState.HELD)
        item = factories.item(meeting, "Ny intranetløsning", kind="decision", duration=30)
        factories.attachment(item, "Behovsanalyse")
    return item


def test_a_member_writes_notes_in_place_with_the_keyboard(
    page, org, users, item, login, visit, htmx_swap
):
    user = users[Role.READER]
    login(user)
    visit(f"/moeder/{item.meeting_id}/")
    summary = page.locator(f"#notes-{item.pk} summary")
    summary.focus()
    page.keyboard.press("Enter")  # opens the details
    field = f"#id_note-item-{item.pk}-text"
    tab_to(page, field)
    page.keyboard.type("Spørg til driftsudgifterne")
    tab_to(page, f"#note-item-{item.pk} .note-save")
    htmx_swap(lambda: page.keyboard.press("Enter"))
    assert page.locator(field).input_value() == "Spørg til driftsudgifterne"
    assert page.evaluate("document.activeElement.id") == field[1:]  # focus back in the text
    assert "Din note er gemt" in page.inner_text("#messages") or "note is saved" in page.inner_text(
        "#messages"
    )
    with scopes_disabled():
        attachment = item.attachments.get()
    field = f"#id_note-attachment-{attachment.pk}-text"
    tab_to(page, field)
    page.keyboard.type("Side 4: tallene passer ikke")
    tab_to(page, f"#note-attachment-{attachment.pk} .note-save")
    htmx_swap(lambda: page.keyboard.press("Enter"))
    with scopes_disabled():
        assert sorted(Note.objects.filter(author=user).values_list("text", flat=True)) == [
            "Side 4: tallene passer ikke",
            "Spørg til driftsudgifterne",
        ]
    # An empty note is refused in place, the text marked invalid.
    page.fill(field, "")
    tab_to(page, f"#note-attachment-{attachment.pk} .note-save")
    htmx_swap(lambda: page.keyboard.press("Enter"))
    assert page.get_attribute(field, "aria-invalid") == "true"
    visit("/noter/")
    main = page.inner_text("main")
    assert "Spørg til driftsudgifterne" in main and "Side 4: tallene passer ikke" in main
