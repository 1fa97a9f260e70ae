"""The organisation's imports from Excel (units, people, members of bodies) on the shared
reader (`documents.spreadsheet`), with ugly workbooks built here and broken files: each bad
input is a Danish message naming the sheet, the row and the column, and nothing is written."""

import datetime
import io
import time

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import Workbook

from core.models import Role
from documents.tests import bombs
from organisation.importer import MEMBERS, PEOPLE, UNITS
from organisation.models import BodyKind, Membership, MembershipRole, OrgUnit, OrgUnitKind, Person
from tests import factories
from tests.once import once_per_module


@once_per_module
def org():
    municipality = factories.municipality("Norddjurs Kommune")
    admin = factories.user(municipality, Role.ADMINISTRATOR)
    reader = factories.user(municipality, Role.READER)
    top = factories.unit(municipality, "Fællesforvaltningen", kind=OrgUnitKind.FORVALTNING)
    unit = factories.unit(municipality, "Digitalisering og IT", parent=top)
    rene = factories.person(municipality, "René Sørensen", title="Chef", unit=unit)
    body = factories.body(
        municipality, "Styregruppen for digitalisering", BodyKind.STEERING_GROUP, short_name="SDI"
    )
    factories.membership(rene, body, start=datetime.date(2024, 1, 1))
    return {
        "municipality": municipality,
        "admin": admin,
        "reader": reader,
        "top": top,
        "unit": unit,
        "rene": rene,
        "body": body,
    }


@pytest.fixture(scope="module")
def hundred_thousand_rows() -> bytes:
    """A sheet of 100,000 rows, written as a stream (about a second)."""
    header = '<row r="1"><c r="A1" t="inlineStr"><is><t>Navn</t></is></c></row>'
    return bombs.workbook(bombs.sheet_xml([header, *bombs.rows(2, 99_999)], dimension="A1:A100000"))


def book(sheets: dict) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ugly_people() -> bytes:
    """A notes sheet first; the list under a merged title, a note and a blank row; a hidden
    column; names in another case; a formula that fails; a unit not in digistyr."""
    workbook = Workbook()
    notes = workbook.active
    notes.title = "Vejledning"
    notes.append(["Sådan udfylder du arket"])
    sheet = workbook.create_sheet("Medarbejdere 2024")
    sheet.append(["Medarbejdere i Norddjurs (demo)"])
    sheet.merge_cells("A1:E1")
    sheet.append(["Opdateret 1. marts 2024"])
    sheet.append([])
    sheet.append(["Navn", "Stilling", "Afdeling", "E-mail", "Intern note"])
    sheet.append(["rene sørensen", "Digitaliseringschef", "DIGITALISERING OG IT", None, "x"])
    sheet.append([None] * 5)
    sheet.append(["Mette Jensen", "Konsulent", "Borgerservice", "mette@norddjurs.dk", "=1/0"])
    sheet.column_dimensions["E"].hidden = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def login(client, org, role="admin"):
    client.force_login(org[role])
    return client


def upload(client, name: str, data: bytes, filename="fil.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse(f"organisation:{name}_import"),
        {"file": SimpleUploadedFile(filename, data, content_type="application/octet-stream")},
    )


def preview(client, name: str, data: bytes):
    response = upload(client, name, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return client.get(response["Location"]), response["Location"]


def counts() -> tuple[int, int, int]:
    with scopes_disabled():
        return OrgUnit.objects.count(), Person.objects.count(), Membership.objects.count()


def located(result) -> list[str]:
    return [problem.located for problem in result.errors]


# --- People ---------------------------------------------------------------------------------


def test_an_ugly_people_sheet_updates_one_and_creates_one(client, org, english):
    client = login(client, org)
    page, url = preview(client, "person", ugly_people())
    result = page.context["result"]
    assert result.sheet == "Medarbejdere 2024" and result.header_row == 4
    assert "The headers are read from row 4" in page.content.decode()
    assert result.missing == {"units": ["Borgerservice"]}
    assert not result.valid
    assert "Sheet 'Medarbejdere 2024', row 7, Afdeling: 'Borgerservice' is not a unit of " in (
        " ".join(located(result))
    )
    before = counts()
    # the user chooses to create the unit
    page = client.get(url + "?opret=enheder")
    result = page.context["result"]
    assert result.valid, located(result)
    rene, mette = result.rows
    assert (rene.state, rene.changes) == ("changed", ["title"])
    assert mette.state == "new"
    html = page.content.decode()
    assert "Changes title" in html and "New: 1. Changed: 1. Unchanged: 0." in html
    assert counts() == before  # nothing yet
    response = client.post(url, {"confirm": "on", "opret": "enheder"})
    assert response.status_code == 302
    assert (
        "1 created, 1 updated. 1 unit created." in client.get(response["Location"]).content.decode()
    )
    with scopes_disabled():
        org["rene"].refresh_from_db()
        assert org["rene"].title == "Digitaliseringschef"
        assert org["rene"].name == "René Sørensen"  # found by it, kept as stored
        mette = Person.objects.get(name="Mette Jensen")
        assert mette.unit.name == "Borgerservice" and mette.email == "mette@norddjurs.dk"
    assert counts() == (before[0] + 1, before[1] + 1, before[2])

    # the same file again changes nothing and duplicates nothing
    page, _ = preview(client, "person", ugly_people())
    result = page.context["result"]
    assert [row.state for row in result.rows] == ["unchanged", "unchanged"]


def test_a_bad_e_mail_and_a_failing_formula_name_sheet_row_and_column(client, org, english):
    client = login(client, org)
    data = book({"Personer": [["Navn", "E-mail", "Titel"], ["A", "ikke en adresse", "=1/0"]]})
    page, url = preview(client, "person", data)
    result = page.context["result"]
    # the formula has no value Excel computed (openpyxl writes none): its cell is empty
    assert located(result) == ["Sheet 'Personer', row 2, E-mail: Enter a valid email address."]
    before = counts()
    assert client.post(url, {"confirm": "on"}).status_code == 422
    assert counts() == before


def test_excel_errors_in_cells_are_named(client, org, english):
    """A formula that failed is kept by Excel as its error value: named, not imported."""
    client = login(client, org)
    data = book({"Personer": [["Navn", "Titel"], ["A", "#DIV/0!"]]})
    result = preview(client, "person", data)[0].context["result"]
    assert located(result) == [
        "Sheet 'Personer', row 2, Titel: The cell holds a formula that fails in Excel (#DIV/0!)."
    ]


def test_the_same_person_twice(client, org, english):
    client = login(client, org)
    data = book({"Personer": [["Navn"], ["Ny Person"], ["ny person"]]})
    result = preview(client, "person", data)[0].context["result"]
    assert located(result) == ["Sheet 'Personer', row 3, Navn: The same person is also in row 2."]


# --- Units ----------------------------------------------------------------------------------


def test_units_with_parents_in_the_file_and_in_digistyr(client, org, english):
    client = login(client, org)
    data = book(
        {
            "Noter": [["Læs mig"]],
            "Enheder": [
                ["Enhed", "Type", "Overordnet enhed"],
                ["Skoler", "Afdeling", "Børn og Unge"],  # its parent is below it
                ["Børn og Unge", "Fagområde", "fællesforvaltningen"],
                ["Digitalisering og IT", "Afdeling", "Børn og Unge"],  # moves
            ],
        }
    )
    page, url = preview(client, "orgunit", data)
    result = page.context["result"]
    assert result.valid, located(result)
    assert [row.state for row in result.rows] == ["new", "new", "changed"]
    assert client.post(url, {"confirm": "on"}).status_code == 302
    with scopes_disabled():
        schools = OrgUnit.objects.get(name="Skoler")
        assert schools.parent.name == "Børn og Unge"
        assert schools.parent.parent == org["top"]
        assert schools.parent.kind == OrgUnitKind.FAGOMRAADE
        org["unit"].refresh_from_db()
        assert org["unit"].parent.name == "Børn og Unge"


def test_a_unit_below_itself_is_refused(client, org, english):
    client = login(client, org)
    data = book({"Enheder": [["Enhed", "Overordnet enhed"], ["A", "B"], ["B", "A"]]})
    result = preview(client, "orgunit", data)[0].context["result"]
    assert "Sheet 'Enheder', row 2, Overordnet enhed: A unit cannot be placed below itself." in (
        located(result)
    )
    data = book({"Enheder": [["Enhed", "Overordnet enhed"], ["C", "Findes ikke"]]})
    result = preview(client, "orgunit", data)[0].context["result"]
    assert located(result) == [
        "Sheet 'Enheder', row 2, Overordnet enhed: 'Findes ikke' is not a unit of the "
        "municipality or of the file."
    ]


# --- Members of bodies ----------------------------------------------------------------------


def test_members_with_danish_dates_and_people_created(client, org, english):
    client = login(client, org)
    data = book(
        {
            "Medlemmer": [
                ["Medlemmer af styregrupperne"],
                [],
                ["Organ", "Person", "Rolle", "Fra", "Til"],
                ["SDI", "René Sørensen", "Formand", datetime.datetime(2024, 1, 1), "31-12-2024"],
                ["Styregruppen for digitalisering", "Ny Sekretær", "sekretær", "1. marts 2024",
                 None],
            ]
        }
    )  # fmt: skip
    page, url = preview(client, "membership", data)
    result = page.context["result"]
    assert result.missing == {"persons": ["Ny Sekretær"]}
    result = client.get(url + "?opret=personer").context["result"]
    assert result.valid, located(result)
    assert [(row.state, row.changes) for row in result.rows] == [
        ("changed", ["role", "to"]),
        ("new", []),
    ]
    before = counts()
    response = client.post(url, {"confirm": "on", "opret": "personer"})
    assert response.status_code == 302
    assert counts() == (before[0], before[1] + 1, before[2] + 1)
    with scopes_disabled():
        chair = Membership.objects.get(person=org["rene"], body=org["body"])
        assert chair.role == MembershipRole.CHAIR and chair.end == datetime.date(2024, 12, 31)
        secretary = Membership.objects.get(person__name="Ny Sekretær")
        assert secretary.start == datetime.date(2024, 3, 1)
        assert secretary.role == MembershipRole.SECRETARY


def test_overlapping_and_impossible_members(client, org, english):
    client = login(client, org)
    data = book(
        {
            "Medlemmer": [
                ["Organ", "Person", "Fra", "Til"],
                ["SDI", "René Sørensen", "01-06-2024", None],  # overlaps the one held
                ["SDI", "René Sørensen", "31-02-2024", None],
                ["KB", "René Sørensen", "01-01-2024", "01-01-2023"],
            ]
        }
    )
    page, url = preview(client, "membership", data)
    assert located(page.context["result"]) == [
        "Sheet 'Medlemmer', row 2, Fra: The person is already a member of the body in this period.",
        "Sheet 'Medlemmer', row 3, Fra: '31-02-2024' is not a valid date. Write it as dd-mm-yyyy.",
        "Sheet 'Medlemmer', row 4, Organ: 'KB' is not a governing body of the municipality.",
        "Sheet 'Medlemmer', row 4, Til: A membership cannot end before it starts.",
    ]
    before = counts()
    assert client.post(url, {"confirm": "on"}).status_code == 422
    assert counts() == before


# --- Broken files: refused at the upload, in Danish, nothing kept or written -------------------


def _refused(client, org, name: str, data: bytes, filename="fil.xlsx") -> str:
    before = counts()
    response = upload(login(client, org), name, data, filename)
    assert response.status_code == 422
    assert counts() == before
    return response.context["form"].errors["file"][0]


def _docx() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def _encrypted() -> bytes:
    """What Excel writes for a workbook with a password: an OLE compound file whose
    directory holds the streams EncryptionInfo and EncryptedPackage."""
    header = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504
    directory = "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le")
    return header + directory + b"\x00" * 1024


@pytest.mark.parametrize("name", ["person", "orgunit", "membership"])
def test_a_word_document_named_xlsx(client, org, name, english):
    assert _refused(client, org, name, _docx()) == (
        "The file is a Word document, not an Excel file (.xlsx)."
    )


@pytest.mark.parametrize("name", ["person", "orgunit", "membership"])
def test_a_password_protected_workbook(client, org, name, english):
    message = _refused(client, org, name, _encrypted())
    assert message.startswith("The workbook is password protected.")


def test_an_old_xls_file(client, org, english):
    data = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 2048
    assert "(.xls)" in _refused(client, org, "person", data)


def test_a_sheet_of_100000_rows_is_refused_quickly(client, org, hundred_thousand_rows):
    start = time.monotonic()
    message = _refused(client, org, "person", hundred_thousand_rows)
    assert time.monotonic() - start < 5
    assert message == "Arket 'Projekter' går til række 100.000; højst 10.000 rækker accepteres."


def test_not_an_xlsx_file(client, org):
    assert _refused(client, org, "person", b"Navn;Titel\n", "personer.csv") == (
        "Filen er ikke en Excel-fil (.xlsx)."
    )


# --- Who may import, the template ------------------------------------------------------------


@pytest.mark.parametrize("name", ["person", "orgunit", "membership"])
def test_readers_may_not_import(client, org, name):
    client = login(client, org, "reader")
    assert client.get(reverse(f"organisation:{name}_import")).status_code == 403
    token = {"person": PEOPLE, "orgunit": UNITS, "membership": MEMBERS}[name].store(
        book({"Ark": [["Navn"], ["X"]]}), org["municipality"].pk
    )
    url = reverse(f"organisation:{name}_import_preview", kwargs={"token": token})
    before = counts()
    assert client.post(url, {"confirm": "on"}).status_code == 403
    assert counts() == before


@pytest.mark.parametrize(
    "name, sheet_import", [("person", PEOPLE), ("orgunit", UNITS), ("membership", MEMBERS)]
)
def test_the_template_reads_back(client, org, name, sheet_import, english):
    client = login(client, org)
    response = client.get(reverse(f"organisation:{name}_import") + "?skabelon=1")
    assert response.status_code == 200
    with scopes_disabled():
        result = sheet_import.parse(response.content, org["municipality"].pk)
    assert result.header_row == 1 and result.ignored_headers == []
    assert len(result.errors) == 1 and "under the header row" in result.errors[0].message


def test_the_list_pages_link_to_the_imports(client, org):
    client = login(client, org)
    for page, name in (
        ("person_list", "person_import"),
        ("orgunit_list", "orgunit_import"),
        ("body_list", "membership_import"),
    ):
        html = client.get(reverse(f"organisation:{page}")).content.decode()
        assert reverse(f"organisation:{name}") in html
