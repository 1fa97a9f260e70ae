"""Permission-matrix entries of the organisation's imports (units, people, members of
bodies) and the benefit import; see tests/test_permissions.py for the kinds. The project
import is in portfolio_imports."""

import io


def _stored(sheet_import, title: str, rows: list, t) -> str:
    """A valid uploaded file kept for the own municipality (its token)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return sheet_import.store(buffer.getvalue(), t.municipality.pk)


def _units(t) -> str:
    from organisation.importer import UNITS

    rows = [["Enhed", "Type", "Overordnet enhed"], ["Importeret enhed", "Afdeling", t.unit.name]]
    return _stored(UNITS, "Enheder", rows, t)


def _people(t) -> str:
    from organisation.importer import PEOPLE

    rows = [["Navn", "Titel", "Enhed"], ["Importeret Person", "Konsulent", t.unit.name]]
    return _stored(PEOPLE, "Personer", rows, t)


def _members(t) -> str:
    from organisation.importer import MEMBERS

    rows = [["Organ", "Person", "Rolle", "Fra"], [t.body.name, t.leader_person.name, "Medlem",
            "01-01-2020"]]  # fmt: skip
    return _stored(MEMBERS, "Medlemmer", rows, t)


def _benefits(t) -> str:
    from benefits.importer import BENEFITS

    rows = [["Projekt", "Gevinst", "Type", "Ansvarlig", "Dato", "Værdi"],
            [t.project.name, "Importeret gevinst", "Budgetvirksom", t.leader_person.name,
             "30-06-2024", "1.250,50 kr."]]  # fmt: skip
    return _stored(BENEFITS, "Gevinster", rows, t)


MATRIX: dict = {
    "organisation:orgunit_import": ("change", None, lambda t: {}, "organisation.change"),
    "organisation:person_import": ("change", None, lambda t: {}, "organisation.change"),
    "organisation:membership_import": ("change", None, lambda t: {}, "organisation.change"),
    # The token is the import: another municipality's user gets 404 for it. An empty POST
    # (no `confirm`) is 400 and writes nothing.
    "organisation:orgunit_import_preview": (
        "change",
        "import",
        lambda t: {"token": _units(t)},
        "core.view",
    ),
    "organisation:person_import_preview": (
        "change",
        "import",
        lambda t: {"token": _people(t)},
        "core.view",
    ),
    "organisation:membership_import_preview": (
        "change",
        "import",
        lambda t: {"token": _members(t)},
        "core.view",
    ),
    # Across projects: those who run the portfolio.
    "benefits:benefit_import": ("change", None, lambda t: {}, "portfolio.change"),
    "benefits:benefit_import_preview": (
        "change",
        "import",
        lambda t: {"token": _benefits(t)},
        "core.view",
    ),
}
SHOWS_OWN_DATA: set[str] = set()
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
QUERY_PAGES: dict = {
    "orgunit_import_preview": lambda t: (
        "organisation:orgunit_import_preview",
        {"token": _units(t)},
    ),
    "person_import_preview": lambda t: (
        "organisation:person_import_preview",
        {"token": _people(t)},
    ),
    "membership_import_preview": lambda t: (
        "organisation:membership_import_preview",
        {"token": _members(t)},
    ),
    "benefit_import_preview": lambda t: (
        "benefits:benefit_import_preview",
        {"token": _benefits(t)},
    ),
}
