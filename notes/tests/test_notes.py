"""Private notes: a member writes, changes and deletes notes on items and attachments in
place on the meeting page (htmx) and without JavaScript; they follow the member from the
agenda to the minutes; "Mine noter" lists them by meeting; the agenda prints with them; bad
input is refused with nothing written. The queries of the pages do not grow with the notes."""

import re
import shutil
import subprocess

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from core.models import Role
from notes import services
from notes.models import MAX_LENGTH, Note
from tests import factories
from tests.once import make_session, once_per_module, use_session
from tests.world import CANARY_OTHER, CANARY_OWN, build_tenant

HTMX = {"HTTP_HX_REQUEST": "true"}


@once_per_module
def world():
    own = build_tenant("Norddjurs Kommune", canary=CANARY_OWN)
    other = build_tenant("Anden Kommune", canary=CANARY_OTHER, usernames_prefix="other-")
    member = own.users[Role.MEMBER]  # the chair of the world's body: reads its closed items
    with scope(municipality=own.municipality.pk):
        for target in (own.open_item, own.closed_item, own.open_attachment):
            services.save_note(member, target, f"Medlemmets note om {target.title}")
    sessions = {role: make_session(own.users[role]) for role in Role.values}
    sessions["outsider"] = make_session(other.users[Role.ADMINISTRATOR])
    return own, other, sessions


def _as(client, world, who: str, language: str = "en"):
    use_session(client, world[2][who])
    # English pages for the messages the tests read (the Danish is in locale/).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _notes(user):
    with scopes_disabled():
        return list(
            Note.objects.filter(author=user).values_list("item_id", "attachment_id", "text")
        )


def test_a_member_writes_changes_and_deletes_a_note_in_place(client, world):
    own, _, _ = world
    member = own.users[Role.MEMBER]
    with scopes_disabled():
        item = own.draft_meeting.items.get()
    url = reverse("notes:item_note", args=[item.pk])
    client = _as(client, world, Role.MEMBER)

    response = client.post(url, {"text": "  Spørg til prisen  "}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="post"' in html and f'id="note-item-{item.pk}"' in html
    assert ">Spørg til prisen</textarea>" in html and "autofocus" in html
    assert 'hx-swap-oob="innerHTML"' in html and "Your note is saved" in html
    assert f'for="id_note-item-{item.pk}-text"' in html  # labelled
    response = client.post(url, {"text": "Spørg til prisen og tidsplanen"}, **HTMX)
    assert response.status_code == 200
    mine = [n for n in _notes(member) if n[0] == item.pk]
    assert mine == [(item.pk, None, "Spørg til prisen og tidsplanen")]  # changed, not added

    # Without JavaScript: the form posts and the meeting page comes back at the item.
    response = client.post(url, {"text": "Uden htmx"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/moeder/{item.meeting_id}/#item-{item.pk}")
    page = client.get(reverse("meetings:meeting_detail", args=[item.meeting_id]))
    assert "Uden htmx" in page.content.decode()

    with scopes_disabled():
        note = Note.objects.get(author=member, item=item)
    response = client.post(reverse("notes:note_delete", args=[note.pk]), **HTMX)
    assert response.status_code == 200
    assert "Your note is deleted" in response.content.decode()
    assert "Uden htmx" not in response.content.decode()
    assert not [n for n in _notes(member) if n[0] == item.pk]


def test_notes_follow_the_member_from_agenda_to_minutes_and_to_their_list(client, world):
    """The world's meeting has approved minutes: the notes written on its items show in the
    items' places on its page (agenda and minutes are one page), on "Mine noter" and on the
    note's own page."""
    own, _, _ = world
    client = _as(client, world, Role.MEMBER)
    page = client.get(reverse("meetings:meeting_detail", args=[own.meeting.pk])).content.decode()
    for target in (own.open_item, own.closed_item, own.open_attachment):
        assert f"Medlemmets note om {target.title}" in page
    assert page.count("My private notes (2)") == 1  # the open item and its attachment
    assert page.count("My private notes (1)") == 1  # the closed item
    assert f"Godkendt {CANARY_OWN}" in page  # the minutes' decision, beside the note

    mine = client.get(reverse("notes:mine")).content.decode()
    assert own.meeting.heading in mine
    for target in (own.open_item, own.closed_item, own.open_attachment):
        assert f"Medlemmets note om {target.title}" in mine
    assert reverse("notes:meeting_pdf", args=[own.meeting.pk]) in mine

    page = client.get(reverse("notes:attachment_note", args=[own.open_attachment.pk]))
    assert page.status_code == 200
    assert f"Medlemmets note om {own.open_attachment.title}" in page.content.decode()


def test_bad_notes_are_refused_and_nothing_is_written(client, world):
    own, other, _ = world
    member = own.users[Role.MEMBER]
    before = _notes(member)
    client = _as(client, world, Role.MEMBER)
    url = reverse("notes:item_note", args=[own.open_item.pk])

    response = client.post(url, {"text": "   "}, **HTMX)
    assert response.status_code == 200  # htmx swaps only 2xx
    html = response.content.decode()
    assert "The note is empty" in html and 'aria-invalid="true"' in html
    response = client.post(url, {"text": "x" * (MAX_LENGTH + 1)})
    assert response.status_code == 422
    assert "A note can be at most 10,000 characters long; this one has 10,001." in (
        response.content.decode()
    )
    assert _notes(member) == before

    # Danish pages refuse in Danish (the number grouped the Danish way).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    response = client.post(url, {"text": "x" * (MAX_LENGTH + 1)})
    assert "10.000" in response.content.decode() and "10.001" in response.content.decode()

    # What the user may not read is unknown: 404, nothing written.
    reader = _as(client, world, Role.READER)
    with scopes_disabled():
        draft_item = own.draft_meeting.items.get()
    for url in (
        reverse("notes:item_note", args=[own.closed_item.pk]),  # closed, not a member
        reverse("notes:attachment_note", args=[own.closed_attachment.pk]),
        reverse("notes:item_note", args=[draft_item.pk]),  # the agenda is not sent yet
        reverse("notes:item_note", args=[other.open_item.pk]),  # another municipality
        reverse("notes:meeting_pdf", args=[own.draft_meeting.pk]),
    ):
        assert reader.get(url).status_code == 404, url
        assert reader.post(url, {"text": "Forsøg"}).status_code == 404, url
    assert _notes(own.users[Role.READER]) == []
    # The service refuses the same without a view.
    with scope(municipality=own.municipality.pk), pytest.raises(Note.DoesNotExist):
        services.save_note(own.users[Role.READER], own.closed_item, "Forsøg")


def test_a_note_is_on_an_item_or_an_attachment_exactly(world):
    own, _, _ = world
    with scopes_disabled():
        for targets in ({}, {"item": own.open_item, "attachment": own.open_attachment}):
            with pytest.raises(IntegrityError), transaction.atomic():
                Note.objects.bulk_create(
                    [
                        Note(
                            municipality=own.municipality,
                            author=own.users[Role.READER],
                            text="x",
                            **targets,
                        )
                    ]
                )


def _pdf_text(content: bytes, tmp_path) -> str:
    assert content.startswith(b"%PDF")
    path = tmp_path / "notes.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return flat(text)


def flat(text: str) -> str:
    """Without whitespace: PDF lines break anywhere, also after a hyphen."""
    return "".join(text.split())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_the_agenda_prints_with_the_members_notes(client, world, tmp_path):
    own, _, _ = world
    url = reverse("notes:meeting_pdf", args=[own.meeting.pk])
    response = _as(client, world, Role.MEMBER, "en").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "mine-noter.pdf" in response["Content-Disposition"]
    text = _pdf_text(response.content, tmp_path)
    assert flat("Dagsorden med mine noter – privat") in text  # Danish in an English session
    assert flat(own.meeting.heading) in text
    for target in (own.open_item, own.closed_item, own.open_attachment):
        assert flat(f"Medlemmets note om {target.title}") in text
    assert flat("Min note til bilaget") in text and flat("Lukket punkt") in text
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "notes.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"Tagged:\s+yes", info), info
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+", info), info  # A4
    # The reader's copy: the closed item as its title and "Lukket punkt", no one's notes.
    text = _pdf_text(_as(client, world, Role.READER).get(url).content, tmp_path)
    assert flat("Lukket punkt") in text and flat("Lukket tekst") not in text
    assert flat("Medlemmets note") not in text and flat("Privat note") not in text


def test_the_pages_ask_the_same_queries_however_many_notes(client, world):
    own, _, _ = world
    member = own.users[Role.MEMBER]
    client = _as(client, world, Role.MEMBER)
    pages = [
        reverse("meetings:meeting_detail", args=[own.meeting.pk]),
        reverse("notes:mine"),
        reverse("notes:item_note", args=[own.open_item.pk]),
    ]

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = [count(url) for url in pages]
    with scopes_disabled():
        meeting = factories.meeting(own.body, own.meeting.date.replace(day=20))
        for number in range(4):
            item = factories.item(meeting, f"Punkt {number}")
            attachment = factories.attachment(item, f"Bilag {number}")
            extra = factories.attachment(own.open_item, f"Ekstra bilag {number}")
        meeting.state = own.meeting.state
        meeting.save()
    with scope(municipality=own.municipality.pk):
        for target in [*meeting.items.all(), attachment, extra]:
            services.save_note(member, target, "Endnu en note")
        services.save_note(member, extra, "Note om et ekstra bilag")
    after = [count(url) for url in pages]
    assert after == before, list(zip(pages, before, after, strict=True))


def test_the_api_lists_the_users_own_notes_only(client, world):
    own, _, _ = world
    client = _as(client, world, Role.MEMBER)
    answer = client.get(reverse("note-list")).json()
    texts = sorted(row["text"] for row in answer["results"])
    assert texts == sorted(
        f"Medlemmets note om {t.title}"
        for t in (own.open_item, own.closed_item, own.open_attachment)
    )
    row = next(r for r in answer["results"] if r["attachment"] == own.open_attachment.pk)
    assert row["meeting"] == own.meeting.pk and row["on"] == own.open_attachment.title
    assert client.get(reverse("note-list"), {"meeting": own.draft_meeting.pk}).json()["count"] == 0
    assert client.post(reverse("note-list"), {"text": "x"}).status_code == 403
    admin = _as(client, world, Role.ADMINISTRATOR).get(reverse("note-list")).json()
    assert [row["text"] for row in admin["results"]] == ["Administratorens egen note"]
