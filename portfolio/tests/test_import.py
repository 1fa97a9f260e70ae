"""The portfolio import: an Excel file becomes projects, all or none, with clear errors.

Workbooks are built here with openpyxl. Every bad input is its own test: its message names
the row and the column, and nothing is written.
"""

import datetime
import io
import time
import tracemalloc
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from openpyxl import Workbook

from core.models import Role
from documents import spreadsheet
from documents.tests import bombs, clamav
from organisation.models import BodyKind, Person
from portfolio import importer
from portfolio.models import BudgetYear, Category, Phase, Project
from tests import factories

HEADERS = [
    "Projekt",
    "Projektnummer",
    "Kategori",
    "KOMBIT",
    "Fyrtårnsprojekt",
    "Fase",
    "Enhed",
    "Projektejer",
    "Projektleder",
    "Styregruppe",
    "Startdato",
    "Slutdato",
    "Budget 2024",
    "Forbrug 2024",
    "Budget 2025",
    "Formål",
    "Bemærkninger",
]
GOOD_ROWS = [
    [
        "Borgerportal",
        "P-1",
        "National / fælleskommunal",
        "ja",
        "x",
        "Gennemførelse",
        "digitalisering og it",
        "Mette Jensen",
        "søren madsen",
        "SDI",
        "15-05-2024",
        datetime.datetime(2025, 6, 30),
        "1.250.000 kr.",
        "1.250.000,50",
        1_500_000,
        "Én indgang for borgerne",
        "Husk leverandørmøde",
    ],
    [
        "Ny hjemmeside",
        17,
        "Tværgående",
        "nej",
        None,
        "Analyse",
        "Digitalisering og IT",
        None,
        "Søren Madsen",
        "Styregruppen for digitalisering",
        "15.05.2024",
        "15/05/2025",
        "1.250.000",
        "1250000",
        None,
        None,
        None,
    ],
    [None] * len(HEADERS),  # a blank row: skipped
    [
        "Robotter i økonomi",
        None,
        "lokal",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        "2024-05-15",
        None,
        1_250_000.5,
        None,
        "2.000.000 kr.",
        None,
        None,
    ],
]


def xlsx(rows, headers=HEADERS, title="Projekter", extra_sheets=(), before=()) -> bytes:
    """A workbook: `before` rows above the headers, the headers, then `rows`."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in before:
        sheet.append(row)
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for name in extra_sheets:
        workbook.create_sheet(name)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name="portefølje.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def fillers(count=35, first=2):
    """Valid projects in rows first … first + count - 1."""
    return [
        [f"Projekt {first + i}", None, "Lokal"] + [None] * (len(HEADERS) - 3) for i in range(count)
    ]


def row37(**values):
    """35 valid rows (2–36), then row 37 with `values` by header."""
    row = dict.fromkeys(HEADERS)
    row.update({"Projekt": "Projekt 37", "Kategori": "Lokal"})
    row.update(values)
    return fillers() + [[row[h] for h in HEADERS]]


@pytest.fixture
def org(municipality):
    with scopes_disabled():
        unit = factories.unit(municipality, "Digitalisering og IT")
        return {
            "unit": unit,
            "mette": factories.person(municipality, "Mette Jensen", unit=unit),
            "soren": factories.person(municipality, "Søren Madsen", unit=unit),
            "body": factories.body(
                municipality,
                "Styregruppen for digitalisering",
                BodyKind.STEERING_GROUP,
                short_name="SDI",
            ),
        }


def count() -> int:
    with scopes_disabled():
        return Project.objects.count()


def parse(data: bytes, municipality) -> importer.ImportResult:
    with scope(municipality=municipality.pk):
        return importer.parse(data, municipality.pk)


def messages(result) -> list[str]:
    return [str(problem) for problem in result.errors]


def preview_url(token: str) -> str:
    return reverse("portfolio:import_preview", kwargs={"token": token})


def upload_and_preview(client, data: bytes):
    """Upload through the page; the preview it leads to."""
    response = client.post(reverse("portfolio:import_upload"), {"file": upload(data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"]), response["Location"]


# --- The whole way through the pages ---------------------------------------------------------


def test_a_good_file_imports_every_project(admin_client, municipality, org, english):
    preview, url = upload_and_preview(admin_client, xlsx(GOOD_ROWS))
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Borgerportal" in page and "Robotter i økonomi" in page
    assert "Styregruppen for digitalisering" in page  # SDI, resolved by its short name
    assert "Bemærkninger" in page  # the ignored column is named
    assert 'name="confirm"' in page

    response = admin_client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("portfolio:project_list")
    follow = admin_client.get(response["Location"])
    assert "3 projects imported." in follow.content.decode()

    with scopes_disabled():
        projects = {p.name: p for p in Project.objects.filter(municipality=municipality)}
        assert set(projects) == {"Borgerportal", "Ny hjemmeside", "Robotter i økonomi"}
        portal = projects["Borgerportal"]
        assert portal.code == "P-1"
        assert portal.category == Category.NATIONAL and portal.kombit and portal.lighthouse
        assert portal.phase == Phase.IMPLEMENTATION
        assert portal.owning_unit == org["unit"]
        assert portal.owner == org["mette"] and portal.leader == org["soren"]
        assert portal.body == org["body"]
        assert portal.start_date == datetime.date(2024, 5, 15)
        assert portal.end_date == datetime.date(2025, 6, 30)
        assert portal.purpose == "Én indgang for borgerne"
        budget = {b.year: (b.planned, b.spent) for b in portal.budget_years.all()}
        assert budget == {
            2024: (Decimal("1250000"), Decimal("1250000.50")),
            2025: (Decimal("1500000"), Decimal("0")),
        }

        site = projects["Ny hjemmeside"]
        assert site.code == "17" and site.category == Category.CROSS_CUTTING
        assert not site.kombit and site.phase == Phase.ANALYSIS
        assert (site.start_date, site.end_date) == (
            datetime.date(2024, 5, 15),
            datetime.date(2025, 5, 15),
        )
        assert [(b.year, b.planned, b.spent) for b in site.budget_years.all()] == [
            (2024, Decimal("1250000"), Decimal("1250000"))
        ]

        robots = projects["Robotter i økonomi"]
        assert robots.category == Category.LOCAL and robots.phase == Phase.IDEA
        assert robots.start_date == datetime.date(2024, 5, 15)
        assert {b.year: b.planned for b in robots.budget_years.all()} == {
            2024: Decimal("1250000.50"),
            2025: Decimal("2000000"),
        }
        # recorded in the history, by the importing user
        assert portal.history.get().history_user.username == Role.ADMINISTRATOR
    # the kept file is gone after the commit
    assert admin_client.get(url).status_code == 404


def test_the_kept_file_is_under_the_municipality(admin_client, municipality, org):
    _, url = upload_and_preview(admin_client, xlsx(GOOD_ROWS))
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert default_storage.exists(f"imports/{municipality.pk}/{token}.xlsx")


def test_the_upload_page_explains_the_headers(admin_client, english):
    page = admin_client.get(reverse("portfolio:import_upload")).content.decode()
    for header in (
        "Projektnavn",
        "Projektnummer",
        "Kategori",
        "Fyrtårnsprojekt",
        "Ejerenhed",
        "Styrende organ",
        "Startdato",
        "Forbrug 2024",
        "Succeskriterier",
        "Afgrænsning",
    ):
        assert header in page
    assert "only creates new projects" in page


def test_the_template_holds_every_header(admin_client, municipality, english):
    response = admin_client.get(reverse("portfolio:import_upload") + "?skabelon=1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    data = response.content
    sheet = importer.open_workbook(data)["Projekter"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[0] == "Projekt" and "Formål" in headers
    assert f"Budget {datetime.date.today().year}" in headers
    # the template itself reads without errors, only without projects
    assert messages(parse(data, municipality)) == [
        "The sheet 'Projekter' has no projects under the header row."
    ]


# --- Files that are refused at the upload ----------------------------------------------------


def _upload_refused(client, data, name="portefølje.xlsx") -> str:
    before = count()
    response = client.post(reverse("portfolio:import_upload"), {"file": upload(data, name)})
    assert response.status_code == 422
    assert count() == before
    return response.context["form"].errors["file"][0]


def test_not_an_xlsx_file(admin_client, english):
    assert _upload_refused(admin_client, b"Projekt;Kategori\nA;Lokal\n", "projekter.csv") == (
        "The file is not an Excel file (.xlsx)."
    )


def test_a_file_named_xlsx_that_is_not_one(admin_client, english):
    assert _upload_refused(admin_client, b"%PDF-1.7 not a workbook") == (
        "The file is not an Excel file (.xlsx)."
    )


def test_a_too_large_file(admin_client, english, monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_MB", 0)
    assert "larger than 0 MB" in _upload_refused(admin_client, xlsx(GOOD_ROWS))


def test_a_file_with_a_virus_is_refused_and_not_kept(admin_client, municipality, virus_scan):
    data = clamav.with_eicar(xlsx(GOOD_ROWS))
    assert _upload_refused(admin_client, data) == clamav.virus_message("portefølje.xlsx")
    assert _kept_files(municipality) == []
    # A clean workbook passes the same scan.
    response = admin_client.post(reverse("portfolio:import_upload"), {"file": upload(xlsx([]))})
    assert response.status_code == 302
    assert len(_kept_files(municipality)) == 2  # the workbook and the sheet it read


def test_a_sheet_is_chosen_by_its_headers_and_another_may_be_picked(
    admin_client, municipality, org, english
):
    """No sheet is named for projects: the one whose headers the import knows is read (not the
    first); the preview lists every sheet, and one that holds no project list says so."""
    workbook = Workbook()
    workbook.active.title = "Ark1"
    workbook.active.append(["Noter", "Skrevet af Mette"])
    sheet = workbook.create_sheet("Ark2")
    sheet.append(HEADERS)
    sheet.append(GOOD_ROWS[0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview, url = upload_and_preview(admin_client, buffer.getvalue())
    result = preview.context["result"]
    assert result.valid and result.sheet == "Ark2" and result.sheets == ["Ark1", "Ark2"]
    assert '<option value="Ark2" selected>Ark2</option>' in preview.content.decode()

    other = admin_client.get(url + "?ark=Ark1").context["result"]
    assert other.sheet == "Ark1" and not other.valid
    assert messages(other) == ["The header row (row 1) has no column 'Projekt' / 'Kategori'."]
    missing = admin_client.get(url + "?ark=Ark9").context["result"]
    assert messages(missing) == [
        "The sheet 'Ark9' does not exist. The file has the sheets: 'Ark1', 'Ark2'."
    ]


def test_the_only_sheet_may_have_any_name(municipality, org, english):
    assert parse(xlsx(GOOD_ROWS, title="Ark1"), municipality).valid


def test_a_sheet_named_projekter_among_others(municipality, org, english):
    workbook = Workbook()
    workbook.active.title = "Forside"
    workbook.active.append(["Det her er ikke projekter"])
    sheet = workbook.create_sheet(" PROJEKTER ")
    sheet.append(HEADERS)
    sheet.append(GOOD_ROWS[0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = parse(buffer.getvalue(), municipality)
    assert result.valid and [r.project.name for r in result.rows] == ["Borgerportal"]


def test_merged_header_cells(admin_client, english):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Projekter"
    sheet.append(HEADERS)
    sheet.merge_cells("A1:B1")
    sheet.append(GOOD_ROWS[0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _preview_refused(
        admin_client,
        buffer.getvalue(),
        "The header in row 1 has merged cells (A1:B1). Unmerge them so every column has a "
        "header of its own.",
    )


def test_headers_in_the_first_non_empty_row(municipality, org):
    data = xlsx(GOOD_ROWS[:1], before=[[], [None, None]])
    result = parse(data, municipality)
    assert result.valid
    assert result.rows[0].row == 4


def test_a_missing_required_column(admin_client, english):
    headers = [h for h in HEADERS if h != "Kategori"]
    _preview_refused(
        admin_client,
        xlsx(GOOD_ROWS, headers=headers),
        "The header row (row 1) has no column 'Kategori'.",
    )


def test_two_columns_for_the_same_field(admin_client, english):
    _preview_refused(
        admin_client,
        xlsx([["A", "B", "Lokal"]], headers=["Projekt", "Projektnavn", "Kategori"]),
        "The columns 'Projekt' and 'Projektnavn' both give the name.",
    )


def test_an_empty_sheet(admin_client, english):
    workbook = Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    _preview_refused(admin_client, buffer.getvalue(), "The sheet 'Sheet' is empty.")


# --- Errors in the rows: shown in the preview, nothing imported ------------------------------


def _preview_refused(client, data, expected: str) -> None:
    """The preview names the error and offers no commit; a commit anyway writes nothing."""
    before = count()
    preview, url = upload_and_preview(client, data)
    assert preview.status_code == 200
    page = preview.content.decode()
    shown = [str(p) for p in preview.context["result"].errors]
    assert expected in shown, shown
    assert 'name="confirm"' not in page
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 422
    assert expected in [str(p) for p in response.context["result"].errors]
    assert count() == before


def test_blank_rows_are_skipped(municipality, org):
    rows = [GOOD_ROWS[0], [None] * 5, ["  ", "", None], GOOD_ROWS[1]]
    result = parse(xlsx(rows), municipality)
    assert result.valid, messages(result)
    assert [r.row for r in result.rows] == [2, 5]


def test_bad_date_in_row_37(admin_client, org, english):
    _preview_refused(
        admin_client,
        xlsx(row37(Startdato="31-02-2024")),
        "Row 37, Startdato: '31-02-2024' is not a valid date. Write it as dd-mm-yyyy.",
    )


def test_bad_amount_in_row_37(admin_client, org, english):
    _preview_refused(
        admin_client,
        xlsx(row37(**{"Budget 2024": "1,250.000"})),
        "Row 37, Budget 2024: '1,250.000' is not a valid amount. Write it as 1.250.000 or "
        "1.250.000,50.",
    )


def test_unknown_category(admin_client, org, english):
    _preview_refused(
        admin_client,
        xlsx(row37(Kategori="Regional")),
        "Row 37, Kategori: 'Regional' is not a category. Use one of: national/fælleskommunal, "
        "national, fælleskommunal, tværkommunal, tværgående, lokal.",
    )


def test_unknown_person(admin_client, org, english):
    _preview_refused(
        admin_client,
        xlsx(row37(Projektleder="Ukendt Person")),
        "Row 37, Projektleder: 'Ukendt Person' is not a person of the municipality.",
    )


def test_a_person_of_another_municipality_is_unknown(
    admin_client, org, other_municipality, english
):
    with scopes_disabled():
        factories.person(other_municipality, "Fremmed Leder")
    _preview_refused(
        admin_client,
        xlsx(row37(Projektleder="Fremmed Leder")),
        "Row 37, Projektleder: 'Fremmed Leder' is not a person of the municipality.",
    )


def test_unknown_unit_and_body(municipality, org, english):
    result = parse(xlsx(row37(Enhed="Skoler", Styregruppe="KB")), municipality)
    assert messages(result) == [
        "Row 37, Enhed: 'Skoler' is not a unit of the municipality.",
        "Row 37, Styregruppe: 'KB' is not a governing body of the municipality.",
    ]


def test_missing_name(admin_client, org, english):
    _preview_refused(
        admin_client, xlsx(row37(Projekt=None)), "Row 37, Projekt: The name is missing."
    )


def test_missing_category(municipality, org, english):
    result = parse(xlsx(row37(Kategori=" ")), municipality)
    assert messages(result) == ["Row 37, Kategori: The category is missing."]


def test_duplicate_names_in_the_file(admin_client, org, english):
    _preview_refused(
        admin_client,
        xlsx(row37(Projekt="projekt 12")),
        "Row 37, Projekt: 'projekt 12' is also the name in row 12. Each project must have its "
        "own name.",
    )


def test_a_name_already_in_the_portfolio(admin_client, municipality, org, english):
    with scopes_disabled():
        factories.project(municipality, "Projekt 37")
    _preview_refused(
        admin_client,
        xlsx(row37()),
        "Row 37, Projekt: A project named 'Projekt 37' already exists. The import only "
        "creates new projects.",
    )


def test_a_name_in_another_municipality_is_no_duplicate(municipality, other_municipality, org):
    with scopes_disabled():
        factories.project(other_municipality, "Projekt 37")
    assert parse(xlsx(row37()), municipality).valid


def test_model_rules_name_the_row(municipality, org, english):
    result = parse(
        xlsx(row37(Kategori="Lokal", KOMBIT="ja", Startdato="01-06-2024", Slutdato="01-01-2024")),
        municipality,
    )
    assert messages(result) == [
        "Row 37, Slutdato: The end date is before the start date.",
        "Row 37, KOMBIT: A KOMBIT project is national / joint-municipal.",
    ]


def test_bad_yes_no_and_phase(municipality, org, english):
    result = parse(xlsx(row37(Fyrtårnsprojekt="måske", Fase="Pause")), municipality)
    assert messages(result) == [
        "Row 37, Fyrtårnsprojekt: 'måske' is not yes or no. Write ja or nej.",
        "Row 37, Fase: 'Pause' is not a phase. Use one of: idé, ide, analyse, anskaffelse, "
        "gennemførelse, realisering, gevinstrealisering, afsluttet.",
    ]


def test_a_negative_amount(municipality, org, english):
    result = parse(xlsx(row37(**{"Forbrug 2024": "-5.000 kr."})), municipality)
    assert messages(result) == ["Row 37, Forbrug 2024: The amount cannot be negative."]


def test_a_budget_without_a_year_takes_the_start_year(municipality, org):
    headers = ["Projekt", "Kategori", "Startdato", "Budget (kr.)", "Forbrug"]
    result = parse(
        xlsx([["A", "Lokal", "01-03-2023", "100.000 kr.", 5000]], headers=headers), municipality
    )
    assert result.valid
    [budget] = result.rows[0].budget_years
    assert (budget.year, budget.planned, budget.spent) == (2023, Decimal("100000"), Decimal("5000"))


def test_a_budget_without_a_year_needs_a_start_date(municipality, org, english):
    headers = ["Projekt", "Kategori", "Budget"]
    result = parse(xlsx([["A", "Lokal", 1000]], headers=headers), municipality)
    assert messages(result) == [
        "Row 2, Budget: Without a start date the year of the amount is unknown. Give the start "
        "date, or write the year in the header (“Budget 2024”)."
    ]


def test_the_same_year_twice(municipality, org, english):
    headers = ["Projekt", "Kategori", "Startdato", "Budget 2024", "Budget"]
    result = parse(xlsx([["A", "Lokal", "01-03-2024", 1, 2]], headers=headers), municipality)
    assert messages(result) == [
        "Row 2, Budget: The amount of 2024 is also in the column 'Budget 2024'."
    ]


def test_merged_cells_in_a_row(municipality, org, english):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Projekt", "Kategori", "Formål"])
    sheet.append(["A", "Lokal", "Et formål"])
    sheet.append(["B", "Lokal", "Langt formål"])
    sheet.merge_cells("C3:D3")
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = parse(buffer.getvalue(), municipality)
    assert messages(result) == ["Row 3: The row has merged cells (C3:D3). Unmerge them."]


def test_every_error_of_the_file_is_listed(municipality, org, english):
    rows = [["A", "Lokal", "32-01-2024"], [None, "Lokal", None], ["C", "Ukendt", "x"]]
    headers = ["Projekt", "Kategori", "Startdato"]
    result = parse(xlsx(rows, headers=headers), municipality)
    assert messages(result) == [
        "Row 2, Startdato: '32-01-2024' is not a valid date. Write it as dd-mm-yyyy.",
        "Row 3, Projekt: The name is missing.",
        "Row 4, Kategori: 'Ukendt' is not a category. Use one of: national/fælleskommunal, "
        "national, fælleskommunal, tværkommunal, tværgående, lokal.",
        "Row 4, Startdato: 'x' is not a valid date. Write it as dd-mm-yyyy.",
    ]


# --- Reading values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["15-05-2024", "15.05.2024", "15/05/2024", "2024-05-15", " 15-5-2024 "]
)
def test_danish_dates(text):
    assert importer.parse_date(text) == datetime.date(2024, 5, 15)


def test_excel_dates():
    assert importer.parse_date(datetime.datetime(2024, 5, 15, 0, 0)) == datetime.date(2024, 5, 15)
    assert importer.parse_date(datetime.date(2024, 5, 15)) == datetime.date(2024, 5, 15)


@pytest.mark.parametrize("value", ["31-02-2024", "2024", 45000, "15-05-24x", "maj 2024"])
def test_not_dates(value):
    with pytest.raises(importer.CellError):
        importer.parse_date(value)


@pytest.mark.parametrize(
    "value, amount",
    [
        ("1.250.000 kr.", "1250000"),
        ("1.250.000", "1250000"),
        ("1250000", "1250000"),
        ("1.250.000,50", "1250000.50"),
        ("1 250 000 kr", "1250000"),
        ("DKK 1.250", "1250"),
        ("1250000,5", "1250000.5"),
        (1_250_000, "1250000"),
        (1_250_000.5, "1250000.50"),
        (0.1 + 0.2, "0.30"),
        ("-1.000", "-1000"),
        (Decimal("12.5"), "12.5"),
    ],
)
def test_danish_amounts(value, amount):
    assert importer.parse_amount(value) == Decimal(amount)


@pytest.mark.parametrize("value", ["1,250.000", "12.50", "1.25.000", "tusind", "1.250.000,", True])
def test_not_amounts(value):
    with pytest.raises(importer.CellError):
        importer.parse_amount(value)


@pytest.mark.parametrize(
    "value, expected",
    [("ja", True), ("X", True), ("Nej", False), (True, True), (0, False), ("-", False)],
)
def test_yes_and_no(value, expected):
    assert importer.parse_bool(value) is expected


# --- Who may import, and whose files --------------------------------------------------------


@pytest.mark.parametrize("role", [Role.MEMBER, Role.READER, Role.PROJECT_LEADER])
def test_only_those_who_run_the_portfolio_import(client, users, municipality, role):
    client.force_login(users[role])
    assert client.get(reverse("portfolio:import_upload")).status_code == 403
    data = xlsx([["A", None, "Lokal"] + [None] * (len(HEADERS) - 3)])
    response = client.post(reverse("portfolio:import_upload"), {"file": upload(data)})
    assert response.status_code == 403
    token = importer.store(data, municipality.pk)
    assert client.post(preview_url(token), {"confirm": "on"}).status_code == 403
    assert count() == 0


def test_a_token_of_another_municipality_is_not_found(admin_client, other_municipality):
    token = importer.store(xlsx(GOOD_ROWS), other_municipality.pk)
    assert admin_client.get(preview_url(token)).status_code == 404
    assert admin_client.post(preview_url(token), {"confirm": "on"}).status_code == 404
    assert count() == 0
    assert default_storage.exists(f"imports/{other_municipality.pk}/{token}.xlsx")


@pytest.mark.parametrize("token", ["0" * 32, "..", "abc", "A" * 32])
def test_unknown_tokens_are_not_found(admin_client, token):
    assert admin_client.get(preview_url(token)).status_code == 404


def test_a_post_without_confirm_imports_nothing(admin_client, municipality, org):
    _, url = upload_and_preview(admin_client, xlsx(GOOD_ROWS))
    response = admin_client.post(url, {})
    assert response.status_code == 400
    assert count() == 0


def test_an_expired_file_is_gone(admin_client, municipality, org, monkeypatch):
    _, url = upload_and_preview(admin_client, xlsx(GOOD_ROWS))
    monkeypatch.setattr(spreadsheet, "MAX_AGE", datetime.timedelta(seconds=-1))
    assert admin_client.get(url).status_code == 404
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert not default_storage.exists(f"imports/{municipality.pk}/{token}.xlsx")


def test_old_files_are_removed_at_the_next_upload(municipality, monkeypatch):
    old = importer.store(b"old", municipality.pk)
    monkeypatch.setattr(spreadsheet, "MAX_AGE", datetime.timedelta(seconds=-1))
    importer.store(b"new", municipality.pk)
    assert not default_storage.exists(f"imports/{municipality.pk}/{old}.xlsx")


def test_a_commit_is_all_or_nothing(municipality, org, monkeypatch):
    """A failure while writing the third project leaves none of them."""
    saved = []
    original = Project.save

    def failing_save(self, *args, **kwargs):
        if len(saved) == 2:
            raise RuntimeError("disk full")
        saved.append(self.name)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Project, "save", failing_save)
    with scope(municipality=municipality.pk), pytest.raises(RuntimeError):
        importer.commit(xlsx(GOOD_ROWS), municipality.pk)
    assert count() == 0
    with scopes_disabled():
        assert BudgetYear.objects.count() == 0


def test_the_preview_queries_do_not_grow_with_the_rows(admin_client, municipality, org):
    _, small = upload_and_preview(admin_client, xlsx(GOOD_ROWS))
    _, large = upload_and_preview(admin_client, xlsx(fillers(60)))
    with CaptureQueriesContext(connection) as few:
        admin_client.get(small)
    with CaptureQueriesContext(connection) as many:
        admin_client.get(large)
    assert len(few) == len(many)


# --- Uploads that would exhaust the server --------------------------------------------------
# The bombs are built here (`documents.tests.bombs`); each is refused by the upload page
# with a Danish message, in a few seconds and little memory, and nothing is kept.


def _kept_files(municipality) -> list[str]:
    try:
        return default_storage.listdir(f"imports/{municipality.pk}")[1]
    except FileNotFoundError:
        return []


def _bomb_refused(client, municipality, data: bytes) -> str:
    tracemalloc.start()
    start = time.monotonic()
    try:
        message = _upload_refused(client, data)
        seconds = time.monotonic() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seconds < 10, seconds  # "in seconds"; the memory bound is the strict one
    assert peak < 50 * 1024 * 1024, peak
    assert _kept_files(municipality) == []
    return message


def test_a_deflate_bomb_is_refused_at_the_upload(admin_client, municipality):
    data = bombs.workbook(bombs.sheet_xml(bombs.repeated(300 * 1024 * 1024)))
    assert len(data) < importer.MAX_MB * 1024 * 1024
    message = _bomb_refused(admin_client, municipality, data)
    assert message.startswith("Udpakket fylder filen 300 MB, mere end de tilladte 50 MB")


def test_a_million_rows_are_refused_at_the_upload(admin_client, municipality):
    data = bombs.workbook(bombs.sheet_xml(bombs.rows(1, 2), dimension="A1:Q1048576"))
    assert _bomb_refused(admin_client, municipality, data) == (
        "Arket 'Projekter' går til række 1.048.576; højst 10.000 rækker accepteres."
    )


def test_rows_past_the_cap_are_refused_at_the_upload(admin_client, municipality):
    data = bombs.workbook(bombs.sheet_xml(bombs.rows(1, 10_001), dimension="A1"))
    assert _bomb_refused(admin_client, municipality, data) == (
        "Arket 'Projekter' går til række 10.001; højst 10.000 rækker accepteres."
    )


def test_too_many_parts_are_refused_at_the_upload(admin_client, municipality):
    data = bombs.workbook(bombs.sheet_xml(bombs.rows(1, 2)), extra=1_000)
    assert _bomb_refused(admin_client, municipality, data) == (
        "Filen består af 1.004 dele; højst 500 accepteres."
    )


def test_a_file_that_is_no_zip_is_refused_at_the_upload(admin_client, municipality):
    data = b"PK\x03\x04" + b"\x00" * 1000
    assert _bomb_refused(admin_client, municipality, data) == "Filen er ikke en Excel-fil (.xlsx)."


def test_a_merged_range_bomb_is_refused_at_the_upload(admin_client, municipality):
    merged = '<mergeCells count="1"><mergeCell ref="A3:XFD1048576"/></mergeCells>'
    data = bombs.workbook(bombs.sheet_xml(bombs.rows(1, 2), dimension="A1:A2", after=merged))
    assert _bomb_refused(admin_client, municipality, data) == (
        "De flettede celler i arket 'Projekter' dækker mere end 100.000 celler (A3:XFD1048576)."
    )


def _count_loads(monkeypatch) -> list[int]:
    calls: list[int] = []
    load = spreadsheet.openpyxl.load_workbook

    def counting(*args, **kwargs):
        calls.append(1)
        return load(*args, **kwargs)

    monkeypatch.setattr(spreadsheet.openpyxl, "load_workbook", counting)
    return calls


def test_the_workbook_is_opened_once_for_upload_preview_and_commit(
    admin_client, municipality, org, monkeypatch
):
    loads = _count_loads(monkeypatch)
    response = admin_client.post(
        reverse("portfolio:import_upload"), {"file": upload(xlsx(GOOD_ROWS))}
    )
    assert response.status_code == 302
    url = response["Location"]
    assert len(loads) == 1
    for _ in range(3):
        assert admin_client.get(url).status_code == 200
    assert len(loads) == 1  # the preview reads the kept sheet
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert default_storage.exists(f"imports/{municipality.pk}/{token}.json")
    assert admin_client.post(url, {"confirm": "on"}).status_code == 302
    assert len(loads) == 1
    assert count() == 3
    assert not default_storage.exists(f"imports/{municipality.pk}/{token}.json")


def test_the_preview_checks_the_kept_sheet_against_the_database_again(
    admin_client, municipality, org, english
):
    """A project of the same name created after the upload is found by the next preview."""
    _, url = upload_and_preview(admin_client, xlsx(GOOD_ROWS))
    with scopes_disabled():
        factories.project(municipality, "Borgerportal")
    page = admin_client.get(url).content.decode()
    assert "A project named &#x27;Borgerportal&#x27; already exists." in page
    assert admin_client.post(url, {"confirm": "on"}).status_code == 422
    assert count() == 1


def test_a_file_kept_without_its_sheet_is_read_once(admin_client, municipality, org, monkeypatch):
    token = importer.store(xlsx(GOOD_ROWS), municipality.pk)
    loads = _count_loads(monkeypatch)
    assert admin_client.get(preview_url(token)).status_code == 200
    assert admin_client.get(preview_url(token)).status_code == 200
    assert len(loads) == 1


def test_the_kept_sheet_keeps_every_kind_of_value():
    sheet = importer.Sheet(
        "Projekter",
        [
            ("a", 1, 1.5, True, None),
            (datetime.datetime(2024, 5, 15, 8, 30), datetime.date(2024, 5, 15)),
            (datetime.time(8, 30), datetime.timedelta(hours=2)),
        ],
        [(1, 1, "A1:C1")],
        ["Noter", "Projekter"],
    )
    assert importer.Sheet.from_json(sheet.to_json()) == sheet


# --- Real workbooks: notes, titles, unknown people, columns named otherwise ------------------


def ugly_workbook() -> bytes:
    """As a municipality keeps its portfolio: a notes sheet first, the list on a sheet named
    with a year under a merged title, a date and a note row, then the headers (row 5) with a
    hidden column, a column named otherwise ("Ansvarlig"), Danish dates and amounts, a blank
    row, leaders who are not people in digistyr yet, names in other cases than digistyr's
    and a formula without a value."""
    workbook = Workbook()
    notes = workbook.active
    notes.title = "Læs mig"
    notes.append(["Sådan bruger du arket"])
    notes.append(["Udfyld én række pr. projekt. Kategori: Lokal, Tværgående, …"])
    sheet = workbook.create_sheet("Portefølje 2024")
    sheet.append(["Digitaliseringsporteføljen 2024 (demo)"])
    sheet.merge_cells("A1:H1")
    sheet.append(["Opdateret 03-06-2024"])
    sheet.append([])
    sheet.append(["Bemærk: beløb i kr."])
    sheet.append(
        ["Projektnavn", "Kategori", "Fase", "Ansvarlig", "Ejerenhed", "Startdato",
         "Budget 2024", "Intern note"]
    )  # fmt: skip
    sheet.append(
        ["Aula", "Lokal", "Gennemførelse", "Jurist Maria Drejer Petersen",
         "DIGITALISERING OG IT", "01.02.2024", "1.250.000 kr.", "skjult"]
    )  # fmt: skip
    sheet.append([None] * 8)
    sheet.append(
        ["Sagsbehandling", "Tværgående", "Analyse", "søren madsen", "Digitalisering og IT",
         datetime.datetime(2024, 3, 1), 450000, "=1/0"]
    )  # fmt: skip
    sheet.append(
        ["Robotter", "Lokal", None, "Ny Leder", "Borgerservice", "15-05-2024", "2.000.000,50",
         None]
    )  # fmt: skip
    sheet.column_dimensions["H"].hidden = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_real_workbook_imports_after_the_preview_with_people_and_units_created(
    admin_client, municipality, org, english
):
    preview, url = upload_and_preview(admin_client, ugly_workbook())
    result = preview.context["result"]
    page = preview.content.decode()
    # the notes sheet is skipped, the title rows too: the preview says which row it read
    assert result.sheet == "Portefølje 2024" and result.header_row == 5
    assert "The headers are read from row 5 of the sheet “Portefølje 2024”" in page
    assert result.unknown_headers == [("Ansvarlig", ""), ("Intern note", "")]
    assert result.missing == {"units": ["Borgerservice"]}
    assert not result.valid

    # the user says that "Ansvarlig" is the leader: now the names are looked up
    chosen = "?overskrift=Ansvarlig&felt=leader&overskrift=Intern+note&felt="
    result = admin_client.get(url + chosen).context["result"]
    assert result.missing == {
        "persons": ["Jurist Maria Drejer Petersen", "Ny Leder"],
        "units": ["Borgerservice"],
    }
    assert "Row 9, Ansvarlig: 'Ny Leder' is not a person of the municipality." in messages(result)
    # … and chooses to create the people and the unit with the import
    chosen += "&opret=personer&opret=enheder"
    preview = admin_client.get(url + chosen)
    result = preview.context["result"]
    assert result.valid, messages(result)
    assert result.creates == result.missing
    assert [r.row for r in result.rows] == [6, 8, 9]
    page = preview.content.decode()
    for hidden in (
        'name="overskrift" value="Ansvarlig"',
        'name="felt" value="leader"',
        'name="opret" value="enheder"',
        'name="opret" value="personer"',
    ):
        assert hidden in page
    with scopes_disabled():
        assert not Project.objects.filter(municipality=municipality).exists()  # not yet

    form = {
        "confirm": "on",
        "overskrift": ["Ansvarlig", "Intern note"],
        "felt": ["leader", ""],
        "opret": ["personer", "enheder"],
    }
    response = admin_client.post(url, form)
    assert response.status_code == 302
    follow = admin_client.get(response["Location"]).content.decode()
    assert "3 projects imported. 2 people created. 1 unit created." in follow
    with scopes_disabled():
        projects = {p.name: p for p in Project.objects.filter(municipality=municipality)}
        assert set(projects) == {"Aula", "Sagsbehandling", "Robotter"}
        aula = projects["Aula"]
        assert aula.leader.name == "Jurist Maria Drejer Petersen"
        assert aula.owning_unit == org["unit"]  # "DIGITALISERING OG IT", another case
        assert aula.start_date == datetime.date(2024, 2, 1)
        assert aula.budget_years.get().planned == Decimal("1250000")
        assert projects["Sagsbehandling"].leader == org["soren"]  # "søren madsen"
        robots = projects["Robotter"]
        assert robots.leader.name == "Ny Leder" and robots.owning_unit.name == "Borgerservice"
        assert robots.budget_years.get().planned == Decimal("2000000.50")
        # the people and the unit made are the municipality's, recorded in history
        assert robots.leader.municipality == municipality
        assert robots.leader.history.get().history_user.username == Role.ADMINISTRATOR
        assert robots.owning_unit.history.count() == 1


def test_names_match_as_written_first_then_without_case_and_accents(municipality, org):
    with scopes_disabled():
        rene = factories.person(municipality, "René Sørensen")
        factories.person(municipality, "Åse Holm")
        result = parse(
            xlsx(
                [
                    ["A", "Lokal", "rene sørensen"],
                    ["B", "Lokal", "Ase Holm"],  # Å is a letter of its own, not an accent
                ],
                headers=["Projekt", "Kategori", "Projektleder"],
            ),
            municipality,
        )
    assert result.rows[0].project.leader == rene
    assert result.missing == {"persons": ["Ase Holm"]}


def test_an_excel_error_in_a_cell_names_the_cell(municipality, org, english):
    result = parse(
        xlsx([["A", "Lokal", "#DIV/0!"]], headers=["Projekt", "Kategori", "Budget 2024"]),
        municipality,
    )
    assert messages(result) == [
        "Row 2, Budget 2024: The cell holds a formula that fails in Excel (#DIV/0!)."
    ]


def test_a_bad_row_writes_none_of_the_people_to_create(admin_client, municipality, org):
    rows = [["A", "Lokal", "Ny Person"], ["B", "Ukendt kategori", "Anden Ny"]]
    _, url = upload_and_preview(
        admin_client, xlsx(rows, headers=["Projekt", "Kategori", "Projektleder"])
    )
    response = admin_client.post(url, {"confirm": "on", "opret": "personer"})
    assert response.status_code == 422
    with scopes_disabled():
        assert not Project.objects.filter(municipality=municipality).exists()
        assert not Person.objects.filter(name__in=["Ny Person", "Anden Ny"]).exists()


def test_bodies_are_never_created(municipality, org, english):
    with scope(municipality=municipality.pk):
        result = importer.parse(
            xlsx(row37(Styregruppe="Ny styregruppe")),
            municipality.pk,
            importer.Choices(create=frozenset(importer.CREATABLE)),
        )
    assert "Row 37, Styregruppe: 'Ny styregruppe' is not a governing body of the municipality." in (
        messages(result)
    )
    assert "bodies" not in result.missing
