"""Importing a portfolio from Excel with the keyboard: upload, preview, errors, commit (axe on
every page)."""

import io

import pytest
from django_scopes import scopes_disabled
from openpyxl import Workbook

from portfolio.models import Project
from tests.browser.conftest import tab_to

pytestmark = pytest.mark.browser

HEADERS = [
    "Projekt",
    "Kategori",
    "KOMBIT",
    "Fase",
    "Enhed",
    "Projektleder",
    "Styregruppe",
    "Startdato",
    "Slutdato",
    "Budget 2024",
    "Forbrug 2024",
    "Noter",
]


def _workbook(path, rows) -> str:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Projekter"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return str(path)


GOOD = [
    [
        "Borgerportal",
        "National / fælleskommunal",
        "ja",
        "Gennemførelse",
        "Digitalisering og IT",
        "Søren Madsen",
        "SDI",
        "15-05-2024",
        "30.06.2025",
        "1.250.000 kr.",
        "400.000",
        "x",
    ],
    [
        "Ny hjemmeside",
        "Tværgående",
        "nej",
        "Analyse",
        "Velfærd",
        "Jonas Berg",
        "Styregruppen for digitalisering",
        "01/09/2024",
        None,
        "750000",
        None,
        None,
    ],
    [None] * len(HEADERS),
    [
        "Robotter i økonomi",
        "Lokal",
        None,
        None,
        None,
        None,
        None,
        "2024-02-01",
        None,
        "1.250.000,50",
        None,
        None,
    ],
]


def test_secretary_imports_a_portfolio(page, org, login, visit, submit, tmp_path):
    login(org.secretary)
    visit("/projekter/import/")
    assert "Projektnavn" in page.locator("main table").inner_text()  # the headers explained

    # A file with an impossible date: the preview names row and column, and offers no import.
    bad = [list(GOOD[0]), *GOOD[1:]]
    bad[1] = list(GOOD[1])
    bad[1][7] = "31-02-2024"
    page.set_input_files("#id_file", _workbook(tmp_path / "fejl.xlsx", bad))
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    assert "/projekter/import/" in page.url
    errors = page.locator("#import-errors").inner_text()
    assert "3" in errors and "Startdato" in errors and "31-02-2024" in errors
    assert page.locator("button[name=confirm]").count() == 0
    with scopes_disabled():
        assert not Project.objects.exists()

    # The corrected file: the preview shows the projects, then the import creates them.
    tab_to(page, "main a.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    page.set_input_files("#id_file", _workbook(tmp_path / "portefolje.xlsx", GOOD))
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    table = page.locator("main table").first.inner_text()
    assert "Borgerportal" in table and "Jonas Berg" in table and "1.250.000 kr." in table
    assert "Noter" in page.locator("main .alert-warning").inner_text()
    tab_to(page, "button[name=confirm]")
    submit(lambda: page.keyboard.press("Enter"))
    assert "/projekter/import/" not in page.url
    assert "3" in page.locator("#messages").inner_text()
    with scopes_disabled():
        names = set(Project.objects.values_list("name", flat=True))
        portal = Project.objects.get(name="Borgerportal")
        assert portal.leader == org.people["digichef"] and portal.body == org.steering
    assert names == {"Borgerportal", "Ny hjemmeside", "Robotter i økonomi"}


def test_a_real_workbook_is_read_as_the_secretary_chooses(
    page, org, login, visit, submit, tmp_path
):
    """A notes sheet first, a merged title, a column named otherwise and a leader who is no
    person yet: the secretary says what the column holds and has the leader created, with
    the keyboard, then imports."""
    workbook = Workbook()
    workbook.active.title = "Læs mig"
    workbook.active.append(["Én række pr. projekt"])
    sheet = workbook.create_sheet("Portefølje 2024")
    sheet.append(["Porteføljen 2024 (demo)"])
    sheet.merge_cells("A1:C1")
    sheet.append([])
    sheet.append(["Projektnavn", "Kategori", "Ansvarlig"])
    sheet.append(["Aula", "Lokal", "Ny Leder"])
    path = tmp_path / "portefolje-2024.xlsx"
    workbook.save(path)

    login(org.secretary)
    visit("/projekter/import/")
    page.set_input_files("#id_file", str(path))
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    assert page.locator("#choice-sheet").input_value() == "Portefølje 2024"
    assert "3" in page.locator(".import-choices p").first.inner_text()  # the header row

    tab_to(page, "#choice-column-1")
    page.select_option("#choice-column-1", "leader")
    tab_to(page, "#import-choices button")
    submit(lambda: page.keyboard.press("Enter"))
    assert "Ny Leder" in page.locator("#choice-missing-persons").inner_text()
    assert page.locator("button[name=confirm]").count() == 0

    tab_to(page, "#choice-create-persons")
    page.keyboard.press("Space")
    tab_to(page, "#import-choices button")
    submit(lambda: page.keyboard.press("Enter"))
    tab_to(page, "button[name=confirm]")
    submit(lambda: page.keyboard.press("Enter"))
    assert "/projekter/import/" not in page.url
    with scopes_disabled():
        assert Project.objects.get(name="Aula").leader.name == "Ny Leder"
