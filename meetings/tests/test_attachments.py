"""Attachments (bilag): upload checks, versions, locking, and who may download what."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_scopes import scope, scopes_disabled

from core.models import Role
from documents.tests import clamav
from meetings import uploads
from meetings.models import AgendaItem, Attachment, MeetingState
from tests import factories
from tests.world import CANARY_CLOSED

# --- Files of every kind -------------------------------------------------------------------

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def _zip(entries: dict[str, bytes], stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        if stored_first:
            package.writestr(
                zipfile.ZipInfo(stored_first),
                entries.pop(stored_first),
                compress_type=zipfile.ZIP_STORED,
            )
        for name, content in entries.items():
            package.writestr(name, content)
    return buffer.getvalue()


def ooxml(folder: str, main: str) -> bytes:
    return _zip(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
            f"{folder}/{main}": b'<?xml version="1.0"?><root/>',
        }
    )


DOCX = ooxml("word", "document.xml")
XLSX = ooxml("xl", "workbook.xml")
PPTX = ooxml("ppt", "presentation.xml")
ODT = _zip(
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"},
    stored_first="mimetype",
)
PLAIN_ZIP = _zip({"readme.txt": b"hej"})

GOOD = {
    "referat.pdf": PDF,
    "billede.png": PNG,
    "foto.jpg": JPG,
    "foto.JPEG": JPG,
    "notat.docx": DOCX,
    "budget.xlsx": XLSX,
    "oplaeg.pptx": PPTX,
    "tekst.odt": ODT,
    "noter.txt": "Æblegrød og rødgrød med fløde\n".encode(),
    "data.csv": "navn;beløb\nØkonomi;1.000\n".encode("utf-8-sig"),
}
BAD_CONTENT = {
    "zip.pdf": PLAIN_ZIP,
    "png.pdf": PNG,
    "pdf.png": PDF,
    "png.jpg": PNG,
    "zip.docx": PLAIN_ZIP,
    "xlsx.docx": XLSX,
    "docx.xlsx": DOCX,
    "docx.pptx": DOCX,
    "zip.odt": PLAIN_ZIP,
    "docx.odt": DOCX,
    "text.docx": b"not a zip at all",
    "nul.txt": b"abc\x00def",
    "latin1.csv": "navn;beløb\n".encode("latin-1"),
    "exe.txt": EXE,
    "truncated.docx": DOCX[:40],
}


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _danish(source: str, **values) -> str:
    with translation.override("da"):
        return gettext(source) % values


# --- meetings.uploads -------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(GOOD))
def test_good_files_pass(name):
    content_type = uploads.check_upload(upload(name, GOOD[name]))
    assert content_type == uploads.ALLOWED_ATTACHMENT_EXTENSIONS[name.rsplit(".", 1)[1].lower()]


@pytest.mark.parametrize("name", sorted(BAD_CONTENT))
def test_content_must_match_the_name(name):
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(upload(name, BAD_CONTENT[name]))
    assert error.value.code == "content"
    extension = name.rsplit(".", 1)[1]
    assert f"(.{extension})" in error.value.messages[0]


@pytest.mark.parametrize(
    "name",
    [
        "program.exe",
        "script.js",
        "side.html",
        "arkiv.zip",
        "makro.docm",
        "billede.svg",
        "uden-endelse",
        "punktum.",
    ],
)
def test_other_types_are_refused(name):
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(upload(name, EXE))
    assert error.value.code == "extension"
    assert ".pdf" in error.value.messages[0]


def test_the_exe_message():
    with translation.override("en"), pytest.raises(ValidationError) as error:
        uploads.check_upload(upload("program.exe", EXE))
    assert error.value.messages[0].startswith("Files of type .exe are not accepted. Allowed: ")


@override_settings(ATTACHMENT_MAX_MB=1)
def test_too_big():
    with translation.override("en"), pytest.raises(ValidationError) as error:
        uploads.check_upload(upload("stor.txt", b"a" * (1024 * 1024 + 1)))
    assert error.value.messages == ["The file is larger than 1 MB."]
    assert uploads.check_upload(upload("lige.txt", b"a" * (1024 * 1024)))


def test_empty_file_is_refused():
    with pytest.raises(ValidationError):
        uploads.check_upload(upload("tom.pdf", b""))


def test_check_rewinds_the_file():
    uploaded = upload("referat.pdf", PDF)
    uploads.check_upload(uploaded)
    assert uploaded.read() == PDF


# --- Views ------------------------------------------------------------------------------------


@pytest.fixture
def draft_item(t):
    with scopes_disabled():
        return AgendaItem.objects.get(meeting=t.draft_meeting)


def _files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file())


def _add_url(item):
    return reverse("meetings:attachment_add", kwargs={"pk": item.pk})


def _form(name="referat.pdf", content=PDF, **fields):
    return {
        "title": "Bilag 1",
        "document_number": "123",
        "journal_number": "40064/24",
        "upload": upload(name, content),
        **fields,
    }


def _attachments():
    with scopes_disabled():
        return Attachment.objects.count()


def test_secretary_adds_an_attachment(client, t, draft_item, settings):
    client.force_login(t.users[Role.SECRETARY])
    page = client.get(_add_url(draft_item))
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()
    response = client.post(_add_url(draft_item), _form("Budget 2025.xlsx", XLSX))
    assert response.status_code == 302
    assert response["Location"] == f"/moeder/{t.draft_meeting.pk}/"
    with scopes_disabled():
        attachment = Attachment.objects.get(item=draft_item)
    assert attachment.content_type == uploads.ALLOWED_ATTACHMENT_EXTENSIONS["xlsx"]
    assert attachment.size == len(XLSX)
    assert attachment.version == 1
    assert attachment.file.name.endswith(".xlsx")
    assert f"bilag/{t.municipality.pk}/" in attachment.file.name
    assert Path(attachment.file.path).read_bytes() == XLSX
    with scopes_disabled():
        assert attachment.history.first().history_user == t.users[Role.SECRETARY]


@pytest.mark.parametrize(
    ("name", "content", "source", "values"),
    [
        (
            "program.exe",
            EXE,
            "Files of type .%(extension)s are not accepted. Allowed: %(allowed)s.",
            {"extension": "exe", "allowed": uploads.allowed_list()},
        ),
        (
            "zip.pdf",
            PLAIN_ZIP,
            "The file's content does not match its name (.%(extension)s).",
            {"extension": "pdf"},
        ),
        (
            "png.pdf",
            PNG,
            "The file's content does not match its name (.%(extension)s).",
            {"extension": "pdf"},
        ),
        (
            "zip.docx",
            PLAIN_ZIP,
            "The file's content does not match its name (.%(extension)s).",
            {"extension": "docx"},
        ),
    ],
)
def test_bad_files_write_nothing(client, t, draft_item, settings, name, content, source, values):
    client.force_login(t.users[Role.SECRETARY])
    before_files, before = _files(settings), _attachments()
    response = client.post(_add_url(draft_item), _form(name, content))
    assert response.status_code == 422
    assert response.context["form"].errors["upload"] == [_danish(source, **values)]
    assert "alert-error" in response.content.decode()
    assert _files(settings) == before_files
    assert _attachments() == before


@override_settings(ATTACHMENT_MAX_MB=1)
def test_too_big_writes_nothing(client, t, draft_item, settings):
    client.force_login(t.users[Role.SECRETARY])
    before_files = _files(settings)
    response = client.post(_add_url(draft_item), _form("stor.txt", b"x" * (1024 * 1024 + 10)))
    assert response.status_code == 422
    assert response.context["form"].errors["upload"] == [
        _danish("The file is larger than %(max)d MB.", max=1)
    ]
    assert _files(settings) == before_files
    assert _attachments() == 2


def test_a_virus_is_refused_and_nothing_is_written(client, t, draft_item, settings, virus_scan):
    client.force_login(t.users[Role.SECRETARY])
    before_files = _files(settings)
    response = client.post(_add_url(draft_item), _form("eicar.txt", clamav.EICAR))
    assert response.status_code == 422
    assert response.context["form"].errors["upload"] == [clamav.virus_message("eicar.txt")]
    assert _files(settings) == before_files
    assert _attachments() == 2
    # A clean file passes the same scan.
    assert client.post(_add_url(draft_item), _form("noter.txt", b"Rent\n")).status_code == 302
    assert _attachments() == 3


@pytest.mark.parametrize(
    "data",
    [
        {"title": ""},
        {"closed": "on", "closed_reason": ""},
        {"upload": ""},
    ],
)
def test_bad_fields_write_nothing(client, t, draft_item, settings, data):
    client.force_login(t.users[Role.SECRETARY])
    before_files = _files(settings)
    form = _form(**data)
    if data.get("upload") == "":
        del form["upload"]
    response = client.post(_add_url(draft_item), form)
    assert response.status_code == 422
    assert _files(settings) == before_files
    assert _attachments() == 2


def test_approved_minutes_are_locked(client, t, settings):
    client.force_login(t.users[Role.SECRETARY])
    page = client.get(_add_url(t.open_item))
    assert page.status_code == 200
    assert page.context["locked"] is True
    assert 'type="file"' not in page.content.decode()
    before_files = _files(settings)
    response = client.post(_add_url(t.open_item), _form())
    assert response.status_code == 422
    assert "alert-error" in response.content.decode()  # the message
    assert _files(settings) == before_files
    assert _attachments() == 2
    edit = reverse("meetings:attachment_edit", kwargs={"pk": t.open_attachment.pk})
    response = client.post(edit, _form(title="Nyt navn"))
    assert response.status_code == 422
    with scopes_disabled():
        t.open_attachment.refresh_from_db()
    assert t.open_attachment.title != "Nyt navn" and t.open_attachment.version == 1


def test_attachments_may_be_added_after_the_agenda_is_sent(client, t, draft_item):
    with scopes_disabled():
        t.draft_meeting.state = MeetingState.AGENDA_SENT
        t.draft_meeting.save()
    client.force_login(t.users[Role.SECRETARY])
    assert client.post(_add_url(draft_item), _form()).status_code == 302


@pytest.mark.parametrize("role", [Role.READER, Role.PROJECT_LEADER, Role.MEMBER])
def test_only_editors_of_the_body_add_attachments(client, t, draft_item, role):
    client.force_login(t.users[role])
    assert client.get(_add_url(draft_item)).status_code == 403
    assert client.post(_add_url(draft_item), _form()).status_code == 403
    assert _attachments() == 2


def test_a_new_file_is_a_new_version(client, t, draft_item, settings):
    with scopes_disabled():
        attachment = factories.attachment(draft_item, "Oplæg", content=PDF, filename="v1.pdf")
    first_path = Path(attachment.file.path)
    url = reverse("meetings:attachment_edit", kwargs={"pk": attachment.pk})
    client.force_login(t.users[Role.SECRETARY])
    # Without a new file: the fields change, the version does not.
    response = client.post(url, {"title": "Oplæg (rettet)", "document_number": "9"})
    assert response.status_code == 302
    with scopes_disabled():
        attachment.refresh_from_db()
    assert (attachment.title, attachment.version) == ("Oplæg (rettet)", 1)
    # A wrong file: nothing changes.
    response = client.post(url, {"title": "Andet", "upload": upload("v2.pdf", PNG)})
    assert response.status_code == 422
    with scopes_disabled():
        attachment.refresh_from_db()
    assert (attachment.title, attachment.version) == ("Oplæg (rettet)", 1)
    # A new file: version 2, the old file stays on disk.
    response = client.post(url, {"title": "Oplæg", "upload": upload("v2.docx", DOCX)})
    assert response.status_code == 302
    with scopes_disabled():
        attachment.refresh_from_db()
    assert attachment.version == 2
    assert attachment.content_type == uploads.ALLOWED_ATTACHMENT_EXTENSIONS["docx"]
    assert attachment.size == len(DOCX)
    assert first_path.read_bytes() == PDF
    assert Path(attachment.file.path).read_bytes() == DOCX
    page = client.get(url)
    versions = page.context["versions"]
    assert [v.version for v in versions] == [2, 1]
    assert versions[0].history_user == t.users[Role.SECRETARY]
    html = page.content.decode()
    assert "v1.pdf" in html and "v2.docx" in html


def test_closing_needs_a_reason(client, t, draft_item):
    with scopes_disabled():
        attachment = factories.attachment(draft_item, "Oplæg")
    url = reverse("meetings:attachment_edit", kwargs={"pk": attachment.pk})
    client.force_login(t.users[Role.ADMINISTRATOR])
    response = client.post(url, {"title": "Oplæg", "closed": "on", "closed_reason": " "})
    assert response.status_code == 422
    assert "closed_reason" in response.context["form"].errors
    response = client.post(url, {"title": "Oplæg", "closed": "on", "closed_reason": "Udbud"})
    assert response.status_code == 302
    with scopes_disabled():
        attachment.refresh_from_db()
    assert attachment.closed


def test_edit_of_a_closed_attachment_is_404_for_non_members(client, t):
    url = reverse("meetings:attachment_edit", kwargs={"pk": t.closed_attachment.pk})
    for role, status in [(Role.READER, 404), (Role.MEMBER, 403), (Role.SECRETARY, 200)]:
        client.force_login(t.users[role])
        response = client.get(url)
        assert response.status_code == status, role
        assert (CANARY_CLOSED in response.content.decode()) == (status == 200)


# --- Downloads --------------------------------------------------------------------------------


def _download(client, attachment):
    return client.get(reverse("meetings:attachment_download", kwargs={"pk": attachment.pk}))


def test_download_an_open_attachment(client, t):
    client.force_login(t.users[Role.READER])
    response = _download(client, t.open_attachment)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="bilag.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.READER, 404),
        (Role.PROJECT_LEADER, 404),
        (Role.MEMBER, 200),
        (Role.SECRETARY, 200),
        (Role.ADMINISTRATOR, 200),
    ],
)
def test_closed_attachment_only_for_members(client, t, role, status):
    client.force_login(t.users[role])
    response = _download(client, t.closed_attachment)
    assert response.status_code == status
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert (CANARY_CLOSED.encode() in body) == (status == 200)


def test_an_open_attachment_of_an_unpublished_agenda_is_hidden(client, t, draft_item):
    with scopes_disabled():
        attachment = factories.attachment(draft_item, "Udkast til bilag")
    client.force_login(t.users[Role.READER])
    assert _download(client, attachment).status_code == 404
    client.force_login(t.users[Role.MEMBER])
    assert _download(client, attachment).status_code == 200


def test_an_open_attachment_of_a_closed_item_is_hidden(client, t):
    with scopes_disabled():
        attachment = factories.attachment(t.closed_item, "Åbent bilag til lukket punkt")
    client.force_login(t.users[Role.READER])
    assert _download(client, attachment).status_code == 404


def test_a_missing_file_is_404(client, t, draft_item):
    with scopes_disabled():
        attachment = factories.attachment(draft_item, "Uden fil")
        Attachment.objects.filter(pk=attachment.pk).update(file="")
    client.force_login(t.users[Role.ADMINISTRATOR])
    assert _download(client, attachment).status_code == 404
    Path(t.open_attachment.file.path).unlink()
    assert _download(client, t.open_attachment).status_code == 404


def test_another_municipality_gets_404(client, t, draft_item, other):
    client.force_login(other.users[Role.ADMINISTRATOR])
    with scope(municipality=t.municipality.pk):
        urls = [
            reverse("meetings:attachment_download", kwargs={"pk": t.open_attachment.pk}),
            reverse("meetings:attachment_edit", kwargs={"pk": t.open_attachment.pk}),
            _add_url(draft_item),
        ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(urls[2], _form()).status_code == 404
    assert _attachments() == 4
