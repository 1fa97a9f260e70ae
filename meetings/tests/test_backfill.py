"""A past meeting entered whole in one call (`meetings.backfill`): through the API and the
command, all or nothing, and its documents as the meeting numbered them."""

import base64
import io
import json

import docx
import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from core.models import Role
from meetings import documents, services
from meetings.models import AgendaItem, Attachment, FollowUp, Meeting, MeetingState
from tests.once import once_per_module
from tests.world import build_tenant

pytestmark = [pytest.mark.django_db, pytest.mark.history]

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
IMPORT = "/api/v1/meetings/import/"


@once_per_module
def t():
    return build_tenant("Norddjurs Kommune")


def pdf(name: str) -> dict:
    return {"name": name, "content": base64.b64encode(PDF).decode()}


def seed_004(t) -> dict:
    """The Direktion's meeting of seed 004 as one document: numbered open and closed
    attachments, a guest who is a person and one who is not, decisions and a follow-up."""
    return {
        "body": t.body.pk,
        "date": "2024-05-15",
        "start": "09:00",
        "place": "Direktionens mødelokale",
        "approve_minutes": True,
        "items": [
            {
                "title": "Databeskyttelsesrådgiverens årsrapport 2023",
                "kind": "decision",
                "duration": 30,
                "case_text": "Årsrapporten forelægges Direktionen.",
                "recommendation": "At Direktionen tager årsrapporten til efterretning.",
                "guests": [t.person.pk],
                "other_guests": "jurist Maria Drejer Petersen",
                "decision": "Taget til efterretning.",
                "follow_ups": [
                    {
                        "description": "Årsrapporten sendes til Økonomiudvalget.",
                        "owner": t.person.pk,
                        "due_date": "2024-06-01",
                    }
                ],
                "attachments": [
                    {
                        "title": "Årsrapport 2023",
                        "number": 7,
                        "document_number": "3608761",
                        "journal_number": "40064/24",
                        "file": pdf("aarsrapport.pdf"),
                    },
                    {
                        "title": "Oversigt over brud",
                        "number": 3,
                        "closed": True,
                        "closed_reason": "Personoplysninger",
                        "file": pdf("brud.pdf"),
                    },
                ],
            },
            {
                "title": "Personalesag",
                "kind": "decision",
                "closed": True,
                "closed_reason": "Personsag",
                "decision": "Indstillingen blev godkendt.",
            },
        ],
    }


def client_of(t, role=Role.ADMINISTRATOR) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(t.users[role])
    return client


def counts() -> tuple:
    with scopes_disabled():
        return tuple(m.objects.count() for m in (Meeting, AgendaItem, Attachment, FollowUp))


def stored_files() -> set[str]:
    """The attachment files on disk: bilag/<municipality>/<uuid>/<name>."""
    names: set[str] = set()
    if not default_storage.exists("bilag"):
        return names
    for municipality in default_storage.listdir("bilag")[0]:
        for folder in default_storage.listdir(f"bilag/{municipality}")[0]:
            path = f"bilag/{municipality}/{folder}"
            names |= {f"{path}/{name}" for name in default_storage.listdir(path)[1]}
    return names


def test_a_past_meeting_is_entered_in_one_call_and_its_documents_match(t, mailoutbox):
    response = client_of(t).post(IMPORT, seed_004(t), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["recorded_afterwards"] is True
    assert response.json()["state"] == MeetingState.MINUTES_APPROVED
    assert not mailoutbox  # nothing is sent
    with scopes_disabled():
        meeting = Meeting.objects.get(pk=response.json()["id"])
        items = services.agenda_items(meeting)
        numbered = {a.title: n for n, a in services.numbered_attachments(items)}
        assert numbered == {"Årsrapport 2023": 7, "Oversigt over brud": 3}
        report = items[0]
        assert [p.pk for p in report.guests.all()] == [t.person.pk]
        follow_up = FollowUp.objects.get(item=report)
        assert follow_up.owner == t.person and str(follow_up.due_date) == "2024-06-01"
        text = "\n".join(
            p.text
            for p in docx.Document(
                io.BytesIO(documents.minutes_docx(meeting, public=False))
            ).paragraphs
        )
        attachments = {a.title: a for a in Attachment.objects.filter(item__meeting=meeting)}
    for title, number in numbered.items():
        assert documents.attachment_line(number, attachments[title], False) in text
    assert "7 - 3608761 Åben Årsrapport 2023 (40064/24)" in text
    assert "jurist Maria Drejer Petersen deltager under behandlingen." in text
    assert "Taget til efterretning." in text and "Referatet er registreret efterfølgende" in text


def test_one_bad_part_writes_nothing_and_says_where(t):
    before, files = counts(), stored_files()
    document = seed_004(t)
    del document["items"][1]["closed_reason"]  # a closed item needs its reason
    response = client_of(t).post(IMPORT, document, format="json")
    assert response.status_code == 400
    assert "items[1].closed_reason" in response.json(), response.json()
    assert counts() == before
    assert stored_files() == files  # the attachments saved before it are gone again


@pytest.mark.parametrize(
    "spoil,where",
    [
        (lambda d: d["items"][0]["attachments"][0].update(file={"name": "a.pdf"}), "file"),
        (
            lambda d: d["items"][0]["attachments"][0].update(
                file={"name": "a.pdf", "content": "%%"}
            ),
            "file",
        ),
        (lambda d: d["items"][0]["attachments"][1].update(file=pdf("brud.exe")), "file"),
        (lambda d: d["items"][0]["attachments"][1].update(number=7), "number"),
        (lambda d: d["items"][0].update(decision="", outcome=""), "approve_minutes"),
        (lambda d: d.update(date="2999-01-01"), "meeting"),
    ],
)
def test_bad_parts_are_named(t, spoil, where):
    before = counts()
    document = seed_004(t)
    spoil(document)
    response = client_of(t).post(IMPORT, document, format="json")
    assert response.status_code == 400, response.json()
    assert any(where in key for key in response.json()), response.json()
    assert counts() == before


def test_only_those_who_keep_the_body_enter_its_meetings(t):
    before = counts()
    response = client_of(t, Role.MEMBER).post(IMPORT, seed_004(t), format="json")
    assert response.status_code == 403
    assert response.json()["permission"] == "meetings.change"
    assert counts() == before


def test_the_command_reads_attachments_beside_the_file(t, tmp_path):
    document = seed_004(t)
    for item in document["items"]:
        for attachment in item.get("attachments", []):
            name = attachment["file"]["name"]
            (tmp_path / name).write_bytes(PDF)
            attachment["file"] = name
    path = tmp_path / "direktionen-2024-05-15.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    before = counts()
    call_command("import_meeting", t.users[Role.ADMINISTRATOR].username, str(path))
    after = counts()
    assert after[0] == before[0] + 1 and after[2] == before[2] + 2

    document["items"][0]["attachments"][0]["file"] = "../uden-for.pdf"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CommandError, match=r"items\[0\]\.attachments\[0\]\.file"):
        call_command("import_meeting", t.users[Role.ADMINISTRATOR].username, str(path))
    assert counts() == after


def test_a_case_is_not_sent_on_from_a_meeting_entered_afterwards(t):
    before = counts()
    document = seed_004(t)
    document["items"][1]["outcome"] = "forwarded"
    response = client_of(t).post(IMPORT, document, format="json")
    assert response.status_code == 400
    assert "sends no case on" in str(response.json()["items"])
    assert counts() == before
