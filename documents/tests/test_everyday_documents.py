"""Every document the app makes, fetched once as the administrator of a municipality with a
logo, and read back: DOCX are A4 in Danish with the letterhead, PDFs are tagged (PDF/UA) with
a title, the language and bookmarks, XLSX print on A4 landscape with the header row on every
page. And the page where an administrator uploads the logo."""

import io
import zipfile

import docx
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from lxml import etree
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from core.models import Municipality, Role
from documents.docx import DocxBuilder
from tests.once import once_per_module
from tests.test_permissions import MATRIX
from tests.world import CANARY_OWN, build_tenant

pytestmark = pytest.mark.django_db

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CM = 567  # twips


def _png(size=(40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 89, 179)).save(buffer, "PNG")
    return buffer.getvalue()


def _names(extension: str) -> list[str]:
    return sorted(name for name in MATRIX if name.endswith(f"_{extension}"))


PDFS = _names("pdf")
DOCXS = _names("docx")
XLSXS = _names("xlsx")


@once_per_module
def t():
    """The world with a logo, and every document of the app, fetched once."""
    tenant = build_tenant("Norddjurs Kommune", canary=CANARY_OWN)
    tenant.municipality.logo.save("logo.png", ContentFile(_png()), save=True)
    client = Client()
    client.force_login(tenant.users[Role.ADMINISTRATOR])
    tenant.documents = {}
    for name in PDFS + DOCXS + XLSXS:
        response = client.get(reverse(name, kwargs=MATRIX[name][2](tenant)))
        assert response.status_code == 200, name
        tenant.documents[name] = response.content
    return tenant


def test_every_document_url_is_covered():
    assert {"meetings:agenda_pdf", "meetings:minutes_pdf", "pack:pack_pdf"} <= set(PDFS)
    assert {"meetings:agenda_docx", "organisation:memo_docx", "planning:plan_docx"} <= set(DOCXS)
    assert len(XLSXS) >= 8


# --- DOCX ---------------------------------------------------------------------------------------


def _xml(content: bytes, part: str):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return etree.fromstring(archive.read(part))


@pytest.mark.documents
@pytest.mark.parametrize("name", DOCXS)
def test_every_docx_is_a4_in_danish_with_the_letterhead(t, name):
    content = t.documents[name]
    document = docx.Document(io.BytesIO(content))
    for section in document.sections:
        size = {round(section.page_width.cm, 1), round(section.page_height.cm, 1)}
        assert size == {21.0, 29.7}, f"{name}: not A4"
        margins = [section.top_margin, section.bottom_margin]
        margins += [section.left_margin, section.right_margin]
        assert {round(m.cm, 2) for m in margins} == {2.5}
    assert document.core_properties.language == "da-DK"
    styles = _xml(content, "word/styles.xml")
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default.get(f"{W}val") == "da-DK"
    normal = styles.find(f"{W}style[@{W}styleId='Normal']/{W}rPr/{W}lang")
    assert normal.get(f"{W}val") == "da-DK"
    body = _xml(content, "word/document.xml")
    assert not body.findall(f".//{W}noWrap")
    text_width = (document.sections[-1].page_width.twips - 2 * 2.5 * CM) + 1
    for table in body.iter(f"{W}tbl"):
        # Columns sized from their text, within the page, the same in Word and LibreOffice.
        assert table.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"
        widths = [int(c.get(f"{W}w")) for c in table.iter(f"{W}gridCol")]
        assert sum(widths) <= text_width
    header = document.sections[0].header
    assert "Norddjurs Kommune" in header.paragraphs[0].text
    assert header.part.related_parts, f"{name}: no logo in the header"
    assert any(part.content_type == "image/png" for part in header.part.related_parts.values())


def test_a_docx_without_a_logo_has_the_name_only(t):
    municipality = t.municipality
    municipality.logo = ""
    doc = DocxBuilder("Prøve", municipality)
    header = doc.document.sections[0].header
    assert header.paragraphs[0].text == municipality.name
    assert not any(
        part.content_type.startswith("image/") for part in header.part.related_parts.values()
    )


def test_table_columns_are_never_narrower_than_their_longest_word():
    from documents.docx import DocxTable

    doc = DocxBuilder("Prøve")
    table = DocxTable(doc, ["Projekt", "Dimension", "Fase"], size=8)
    table.row("Borgerblikket", "Grøn", "Gennemførelse")
    widths = table.widths(doc.text_width())
    assert widths[0] >= table._word[0] and widths[2] >= table._word[2]
    assert sum(widths) <= doc.text_width()


# --- PDF ----------------------------------------------------------------------------------------


def _images(reader: PdfReader) -> int:
    page = reader.pages[0]
    resources = page.get("/Resources") or {}
    xobjects = resources.get("/XObject") or {}
    return sum(1 for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image")


@pytest.mark.documents
@pytest.mark.parametrize("name", PDFS)
def test_every_pdf_is_tagged_in_danish_with_a_title_and_the_letterhead(t, name):
    reader = PdfReader(io.BytesIO(t.documents[name]))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root, f"{name}: untagged"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "da"
    assert reader.metadata.title
    assert reader.outline, f"{name}: no bookmarks"
    assert "Norddjurs Kommune" in reader.pages[0].extract_text()
    assert _images(reader) >= 1, f"{name}: no logo"


def _bookmarks(outline) -> list[str]:
    titles = []
    for entry in outline:
        titles += _bookmarks(entry) if isinstance(entry, list) else [entry.title]
    return titles


@pytest.mark.documents
@pytest.mark.parametrize("name", ["meetings:agenda_pdf", "meetings:minutes_pdf"])
def test_the_agenda_and_minutes_have_a_bookmark_per_item(t, name):
    titles = " | ".join(_bookmarks(PdfReader(io.BytesIO(t.documents[name])).outline))
    for title in (t.case.title, t.open_item.title, t.closed_item.title, "Bilag:"):
        assert title in titles, f"{name}: no bookmark for {title} in {titles}"


def test_the_letterhead_without_a_logo_is_the_name(t):
    municipality = t.municipality
    municipality.logo = ""
    html = Template("{% load letterhead %}{% letterhead m %}").render(Context({"m": municipality}))
    assert municipality.name in html and "<img" not in html


# --- XLSX ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", XLSXS)
def test_every_xlsx_prints_on_a4_landscape_with_the_header_row_on_each_page(t, name):
    sheet = load_workbook(io.BytesIO(t.documents[name])).active
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9
    assert (int(sheet.page_setup.fitToWidth), int(sheet.page_setup.fitToHeight)) == (1, 0)
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.oddHeader.center.text
    assert sheet.oddFooter.right.text == "Side &P af &N"


# --- The administrator's page -------------------------------------------------------------------


def _post(client, user, **files):
    client.force_login(user)
    return client.post(reverse("municipality"), files)


def test_the_administrator_uploads_and_removes_the_logo(client, t):
    admin = t.users[Role.ADMINISTRATOR]
    client.force_login(admin)
    page = client.get(reverse("user_list")).content.decode()
    assert reverse("municipality") in page
    response = _post(client, admin, logo=SimpleUploadedFile("nyt.png", _png((60, 30))))
    assert response.status_code == 302
    municipality = Municipality.objects.get(pk=t.municipality.pk)
    assert municipality.logo.read().startswith(b"\x89PNG")
    response = _post(client, admin, remove_logo="on")
    assert response.status_code == 302
    assert not Municipality.objects.get(pk=t.municipality.pk).logo


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>"), "PNG- eller JPEG-billede"),
        (SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\nnot really"), "PNG- eller JPEG-billede"),
        (SimpleUploadedFile("logo.png", _png() + b"\0" * (1024 * 1024)), "højst 1 MB"),
    ],
    ids=["not-an-image", "a-broken-png", "too-large"],
)
def test_the_logo_must_be_a_small_image(client, t, upload, message):
    response = _post(client, t.users[Role.ADMINISTRATOR], logo=upload)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Municipality.objects.get(pk=t.municipality.pk).logo.name.endswith(".png")


def test_the_logo_upload_is_scanned_for_viruses(client, t, monkeypatch):
    from documents import scan

    seen = []
    monkeypatch.setattr(scan, "check_clean", lambda uploaded, **kw: seen.append(uploaded.name))
    _post(client, t.users[Role.ADMINISTRATOR], logo=SimpleUploadedFile("ren.png", _png()))
    assert seen == ["ren.png"]
