"""Nobody but its author ever reads a private note: not another role (the administrator, a
superuser, included), not the body's secretary, not another municipality, not through any page,
document, Excel file or API answer of the permission matrix, not in the full export, the search
or any history or other table.

The member (the chair of the world's body) writes a note with a canary on the open and the
closed item and on the open and the closed attachment. The permission matrix's world has notes
of its own that every matrix check covers (tests/world.py `add_notes`); this module adds what
the matrix cannot see: the administrator — who may read everything else, also as a superuser
— fetches every address of the matrix, the PDFs and zipped Office files read back.
"""

import io
import shutil
import subprocess
import tempfile
import zipfile

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from core.models import Role
from documents import exports
from notes import services
from notes.models import Note
from tests.once import make_session, once_per_module, use_session
from tests.test_permissions import MATRIX
from tests.world import CANARY_OTHER, CANARY_OWN, build_tenant

pytestmark = pytest.mark.history  # the world's history is kept: it is searched for the canary

CANARY = "NOTE-KANARIE-PRIVAT"
# A word of the notes only, to search for (the search page repeats what was asked).
WORD = "Hemmelighedskræmmeri"
# Addresses the matrix only posts to.
POST_ONLY = {"logout", "set_language", "token", "post", "own_key", "manage_post", "off"}


@once_per_module
def world():
    own = build_tenant("Norddjurs Kommune", canary=CANARY_OWN)
    other = build_tenant("Anden Kommune", canary=CANARY_OTHER, usernames_prefix="other-")
    admin = own.users[Role.ADMINISTRATOR]
    admin.is_superuser = admin.is_staff = True
    admin.save()
    member = own.users[Role.MEMBER]
    with scope(municipality=own.municipality.pk):
        notes = [
            services.save_note(member, target, f"{CANARY} {WORD} {target.title}")
            for target in (
                own.open_item,
                own.closed_item,
                own.open_attachment,
                own.closed_attachment,
            )
        ]
    sessions = {role: make_session(own.users[role]) for role in Role.values}
    sessions["outsider"] = make_session(other.users[Role.ADMINISTRATOR])
    return own, other, notes, sessions


def _text(response) -> str:
    """The response's text, PDFs and zipped Office files (xlsx, docx, the export) read back."""
    body = b"".join(response) if response.streaming else response.content
    if body.startswith(b"%PDF") and shutil.which("pdftotext"):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(body)
            handle.flush()
            result = subprocess.run(
                ["pdftotext", handle.name, "-"], capture_output=True, text=True, check=False
            )
        # A stored attachment may be no real PDF (the world's are a line of text): as it is.
        return "".join(result.stdout.split()) + body.decode("utf-8", "replace")
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return body.decode("utf-8", "replace")


def test_the_author_reads_their_notes(client, world):
    own, _, _, sessions = world
    use_session(client, sessions[Role.MEMBER])
    page = client.get(reverse("meetings:meeting_detail", args=[own.meeting.pk])).content.decode()
    assert page.count(CANARY) == 4
    assert client.get(reverse("notes:mine")).content.decode().count(CANARY) == 4


def test_no_other_role_reads_a_note_anywhere_in_the_matrix(client, world):
    """The administrator, a superuser too, reads every closed item and attachment: every
    address of the matrix (pages, documents, Excel, API) shows them none of the member's
    notes. The other roles' pages that show the items and the notes are checked as well."""
    own, _, notes, sessions = world
    with scope(municipality=own.municipality.pk):
        urls = {
            name: reverse(name, kwargs=kwargs(own))
            for name, (kind, _, kwargs, _) in MATRIX.items()
            if kind not in POST_ONLY
        }
    use_session(client, sessions[Role.ADMINISTRATOR])
    leaks = []
    for name, url in sorted(urls.items()):
        response = client.get(url)
        if CANARY in _text(response):
            leaks.append(name)
    assert not leaks, f"a note of the member shows to the administrator on {leaks}"
    pages = [
        reverse("meetings:meeting_detail", args=[own.meeting.pk]),
        reverse("notes:mine"),
        reverse("notes:item_note", args=[own.open_item.pk]),
        reverse("notes:item_note", args=[own.closed_item.pk]),
        reverse("notes:attachment_note", args=[own.open_attachment.pk]),
        reverse("notes:meeting_pdf", args=[own.meeting.pk]),
        reverse("search:results") + f"?q={WORD}",
        reverse("agendaitem-list"),
        reverse("attachment-list"),
        reverse("note-list"),
    ]
    for who in (Role.SECRETARY, Role.PROJECT_LEADER, Role.READER, "outsider"):
        use_session(client, sessions[who])
        for url in pages:
            assert CANARY not in _text(client.get(url)), (who, url)
    # Someone else's note is unknown, also to the superuser administrator.
    for who in (Role.ADMINISTRATOR, Role.SECRETARY, "outsider"):
        use_session(client, sessions[who])
        for note in notes:
            response = client.post(reverse("notes:note_delete", args=[note.pk]))
            assert response.status_code == 404, who
    with scopes_disabled():
        assert Note.objects.filter(pk__in=[n.pk for n in notes]).count() == 4


def test_no_export_search_or_history_holds_a_note(world):
    """The full export (every registered kind and file), the search and every other table —
    the history tables and the audit log among them — hold no trace of a note: there is no
    history model of notes, and the canary is in the notes' own table only."""
    own, _, _, _ = world
    with scope(municipality=own.municipality.pk):
        archive = zipfile.ZipFile(exports.full_export(own.municipality))
        everything = "\n".join(
            archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
        )
        for name in archive.namelist():
            if name.endswith(".xlsx"):
                with zipfile.ZipFile(io.BytesIO(archive.read(name))) as workbook:
                    everything += "\n".join(
                        workbook.read(part).decode("utf-8", "replace")
                        for part in workbook.namelist()
                    )
        assert CANARY not in everything
        assert CANARY_OWN in everything  # the export did read the municipality's data
        from search.services import search

        assert not search(own.users[Role.ADMINISTRATOR], WORD)
    assert not any(m.__name__ == "HistoricalNote" for m in apps.get_models())
    holders = []
    with scopes_disabled():
        for model in apps.get_models():
            if model is Note:
                continue
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField | models.JSONField)
            ]
            if not fields:
                continue
            query = Q()
            for field in fields:
                query |= Q(**{f"{field}__icontains": CANARY})
            if model._base_manager.filter(query).exists():
                holders.append(model._meta.label)
    assert holders == []
