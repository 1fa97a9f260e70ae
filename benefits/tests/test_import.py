"""The benefit import from Excel on the shared reader (`documents.spreadsheet`), with an ugly
workbook built here and broken input: each bad cell is a Danish message naming the sheet, the
row and the column, and nothing is written; a re-import writes no duplicate."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import Workbook

from benefits.importer import BENEFITS, BenefitImport
from benefits.models import Benefit, BenefitMeasurement, BenefitPlan, BenefitType
from core.models import Role
from organisation.models import Person
from tests import factories
from tests.once import once_per_module


@once_per_module
def world():
    municipality = factories.municipality("Norddjurs Kommune")
    admin = factories.user(municipality, Role.ADMINISTRATOR)
    leader = factories.user(municipality, Role.PROJECT_LEADER)
    rene = factories.person(municipality, "René Sørensen", title="Chef")
    aula = factories.project(municipality, "Aula", code="P-101")
    fasit = factories.project(municipality, "Fasit")
    existing = factories.benefit(
        aula, "Færre opkald til skolerne", type=BenefitType.QUALITATIVE, unit="opkald",
        accumulates=True, responsible=rene, baseline_value=1000, target_value=600,
    )  # fmt: skip
    factories.measurement(existing, datetime.date(2024, 3, 31), 900)
    other = factories.municipality("Anden Kommune")
    factories.project(other, "Borgerblikket")
    return {
        "municipality": municipality,
        "admin": admin,
        "leader": leader,
        "rene": rene,
        "aula": aula,
        "fasit": fasit,
        "existing": existing,
    }


def ugly() -> bytes:
    """A notes sheet first; the benefits under a merged title, a note and a blank row; a
    hidden column; Danish dates and amounts; a formula (openpyxl keeps no value for it); a
    person in another case and without accents; a person not in digistyr; year columns."""
    workbook = Workbook()
    notes = workbook.active
    notes.title = "Vejledning"
    notes.append(["Sådan udfylder du arket: én række pr. måling"])
    sheet = workbook.create_sheet("Gevinstoversigt 2024")
    sheet.append(["Gevinstrealisering – Norddjurs Kommune"])
    sheet.merge_cells("A1:L1")
    sheet.append(["Opdateret 1. marts 2024"])
    sheet.append([])
    sheet.append(["Projektnr", "Gevinst", "Gevinsttype", "Ansvarlig", "Måleenhed", "Baseline",
                  "Baselinedato", "Mål", "Måldato", "Dato", "Værdi", "Intern note",
                  "Plan 2026"])  # fmt: skip
    sheet.append(["P-101", "Sparet porto", "Økonomisk, budgetvirksom", "rene sørensen", "kr",
                  "0", "01-01-2024", "1.234.500,50 kr.", "31-12-2026", "15-05-2024",
                  "1.234,50 kr.", "=1/0", "500.000"])  # fmt: skip
    sheet.append([None] * 13)
    sheet.append(["aula", "sparet porto", None, None, None, None, None, None, None,
                  datetime.datetime(2024, 9, 30), 2000, "x", None])  # fmt: skip
    sheet.append(["Fasit", "Andel digitale ansøgninger", "Kvalitativ", "Mette Jensen", "%",
                  "40 %", "1. januar 2024", "85 %", "31.12.2026", "1. juni 2024", "55,5 %", None,
                  None])  # fmt: skip
    sheet.append(["Aula", "Færre opkald til skolerne", None, "RENÉ SØRENSEN", None, None, None,
                  "500", "31-12-2026", "30-06-2024", "850", None, None])  # fmt: skip
    sheet.column_dimensions["L"].hidden = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def book(rows: list, title="Gevinster") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def login(client, world, who="admin"):
    client.force_login(world[who])
    return client


def upload(client, data: bytes, filename="gevinster.xlsx"):
    return client.post(
        reverse("benefits:benefit_import"),
        {"file": SimpleUploadedFile(filename, data, content_type="application/octet-stream")},
    )


def preview(client, data: bytes):
    response = upload(client, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return client.get(response["Location"]), response["Location"]


def counts() -> tuple[int, int, int, int]:
    with scopes_disabled():
        return (
            Benefit.objects.count(),
            BenefitMeasurement.objects.count(),
            BenefitPlan.objects.count(),
            Person.objects.count(),
        )


def located(result) -> list[str]:
    return [problem.located for problem in result.errors]


def test_an_ugly_sheet_creates_updates_and_measures_and_a_reimport_writes_nothing(
    client, world, english
):
    client = login(client, world)
    page, url = preview(client, ugly())
    result = page.context["result"]
    assert result.sheet == "Gevinstoversigt 2024" and result.header_row == 4
    assert result.sheets == ["Vejledning", "Gevinstoversigt 2024"]
    html = page.content.decode()
    assert "The headers are read from row 4" in html
    assert result.missing == {"persons": ["Mette Jensen"]}
    assert located(result) == [
        "Sheet 'Gevinstoversigt 2024', row 8, Ansvarlig: 'Mette Jensen' is not a person of the "
        "municipality."
    ]
    assert "Intern note" in result.ignored_headers
    before = counts()
    # the user chooses to create the person
    page = client.get(url + "?opret=personer")
    result = page.context["result"]
    assert result.valid, located(result)
    assert [(row.state, row.changes) for row in result.rows] == [
        ("new", []),
        ("new", []),
        ("new", []),
        ("changed", ["target", "measurement"]),
    ]
    assert "New: 3. Changed: 1. Unchanged: 0." in page.content.decode()
    assert counts() == before  # nothing yet
    response = client.post(url, {"confirm": "on", "opret": "personer"})
    assert response.status_code == 302, located(response.context["result"])
    assert "2 created, 1 updated. 4 measurements recorded. 1 person created." in (
        client.get(response["Location"]).content.decode()
    )
    assert counts() == (before[0] + 2, before[1] + 4, before[2] + 1, before[3] + 1)
    with scopes_disabled():
        porto = Benefit.objects.get(title="Sparet porto")
        assert porto.project == world["aula"] and porto.unit == "kr."
        assert porto.type == BenefitType.BUDGET and porto.responsible == world["rene"]
        assert porto.target_value == Decimal("1234500.50")
        assert [(m.measured_on, m.value, m.recorded_by) for m in porto.measurements.all()] == [
            (datetime.date(2024, 9, 30), Decimal("2000"), world["admin"]),
            (datetime.date(2024, 5, 15), Decimal("1234.50"), world["admin"]),
        ]
        assert porto.plans.get().planned == Decimal("500000")
        share = Benefit.objects.get(title="Andel digitale ansøgninger")
        assert share.responsible.name == "Mette Jensen" and share.unit == "%"
        assert share.baseline_value == Decimal("40")
        assert share.baseline_date == datetime.date(2024, 1, 1)
        assert share.measurements.get().value == Decimal("55.5")
        world["existing"].refresh_from_db()
        assert world["existing"].target_value == Decimal("500")
        assert world["existing"].measurements.count() == 2
        assert porto.history.count() == 1  # saved once, through save_benefit

    # the same file again: every row unchanged, nothing written
    before = counts()
    page, url = preview(client, ugly())
    result = page.context["result"]
    assert result.valid, located(result)
    assert [row.state for row in result.rows] == ["unchanged"] * 4
    assert "New: 0. Changed: 0. Unchanged: 4." in page.content.decode()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert counts() == before


def test_bad_cells_name_sheet_row_and_column_and_nothing_is_written(client, world, english):
    client = login(client, world)
    data = book(
        [
            ["Projekt", "Gevinst", "Type", "Baseline", "Dato", "Værdi"],
            ["Aula", "Ny gevinst", "Budgetvirksom", None, "31-02-2024", "100"],
            ["Aula", "Anden gevinst", "Budgetvirksom", "tre millioner", "01-03-2024", "100"],
            ["Aula", "Tredje gevinst", "Budgetvirksom", None, "01-03-2024", "#DIV/0!"],
            ["Ukendt projekt", "Fjerde gevinst", "Budgetvirksom", None, None, None],
            ["Borgerblikket", "Femte gevinst", "Budgetvirksom", None, None, None],
        ]
    )
    page, url = preview(client, data)
    assert located(page.context["result"]) == [
        "Sheet 'Gevinster', row 2, Dato: '31-02-2024' is not a valid date. Write it as dd-mm-yyyy.",
        "Sheet 'Gevinster', row 3, Baseline: 'tre millioner' is not a valid amount. Write it "
        "as 1.250.000 or 1.250.000,50.",
        "Sheet 'Gevinster', row 4, Værdi: The cell holds a formula that fails in Excel (#DIV/0!).",
        "Sheet 'Gevinster', row 5, Projekt: 'Ukendt projekt' is not a project of the municipality.",
        # another municipality's project is not found
        "Sheet 'Gevinster', row 6, Projekt: 'Borgerblikket' is not a project of the municipality.",
    ]
    before = counts()
    assert client.post(url, {"confirm": "on"}).status_code == 422
    assert counts() == before


def test_the_models_rules_and_conflicting_measurements(client, world, english):
    client = login(client, world)
    future = datetime.date.today() + datetime.timedelta(days=40)
    data = book(
        [
            ["Projekt", "Gevinst", "Type", "Enhed", "Mål", "Dato", "Værdi", "2024"],
            ["Fasit", "Timer sparet", "Budgetvirksom", "timer", None, None, None, None],
            ["Fasit", "Ventetid", "Kvalitativ", "dage", "5", None, None, None],
            ["Aula", "Færre opkald til skolerne", None, None, None, "31-03-2024", "700", None],
            ["Aula", "Færre opkald til skolerne", None, None, None, future, "1", None],
            ["Aula", "færre opkald til skolerne", None, "stk", None, None, None, "1.000"],
        ]
    )
    result = preview(client, data)[0].context["result"]
    assert located(result) == [
        "Sheet 'Gevinster', row 2, Enhed: An economic benefit is measured in kr.",
        "Sheet 'Gevinster', row 3, target date: Give the date the target is to be reached.",
        "Sheet 'Gevinster', row 4, Værdi: A measurement of 900 opkald is already recorded "
        "on 31-03-2024. The import does not change measurements.",
        "Sheet 'Gevinster', row 5, Dato: A measurement cannot be dated in the future.",
        "Sheet 'Gevinster', row 6, Enhed: The benefit has measurements in opkald; its unit "
        "cannot change.",
        "Sheet 'Gevinster', row 6, 2024: The measurements of 2024 already give 900 "
        "opkald. The import does not change measurements; record the difference with Dato "
        "and Værdi.",
    ]


def test_a_word_document_named_xlsx_is_refused(client, world, english):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
    before = counts()
    response = upload(login(client, world), buffer.getvalue())
    assert response.status_code == 422
    assert response.context["form"].errors["file"] == [
        "The file is a Word document, not an Excel file (.xlsx)."
    ]
    assert counts() == before


def test_project_leaders_may_not_import_across_projects(client, world):
    client = login(client, world, "leader")
    assert client.get(reverse("benefits:benefit_import")).status_code == 403
    token = BENEFITS.store(book([["Projekt", "Gevinst"], ["Aula", "X"]]), world["municipality"].pk)
    url = reverse("benefits:benefit_import_preview", kwargs={"token": token})
    before = counts()
    assert client.post(url, {"confirm": "on"}).status_code == 403
    assert counts() == before
    assert reverse("benefits:benefit_import") not in (
        client.get(reverse("benefits:benefit_overview")).content.decode()
    )


def test_the_template_reads_back_and_the_overview_links_to_the_import(client, world, english):
    client = login(client, world)
    assert reverse("benefits:benefit_import") in (
        client.get(reverse("benefits:benefit_overview")).content.decode()
    )
    response = client.get(reverse("benefits:benefit_import") + "?skabelon=1")
    assert response.status_code == 200
    with scopes_disabled():
        result = BenefitImport().parse(response.content, world["municipality"].pk)
    assert result.header_row == 1 and result.ignored_headers == []
    assert [problem.message for problem in result.errors] == [
        "The sheet 'Gevinster' has no benefits under the header row."
    ]


@pytest.mark.parametrize("header", ["2099", "Realiseret 2099"])
def test_a_year_to_come_is_a_plan_not_a_measurement(client, world, header, english):
    client = login(client, world)
    data = book([["Projekt", "Gevinst", "Type", header], ["Fasit", "X", "Budgetvirksom", "10"]])
    result = preview(client, data)[0].context["result"]
    assert located(result) == [
        f"Sheet 'Gevinster', row 2, {header}: 2099 has not begun: a column of a year gives what "
        "was realised. Write “Plan 2099” for the realisation planned."
    ]
