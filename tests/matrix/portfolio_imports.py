"""Permission-matrix entries of portfolio_imports; see tests/test_permissions.py for the kinds."""

import io


def _stored_import(t) -> str:
    """A valid uploaded file kept for the own municipality (its token): one project that
    names the tenant's unit, project leader and governing body."""
    from openpyxl import Workbook

    from portfolio import importer

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Projekter"
    sheet.append(["Projekt", "Kategori", "Enhed", "Projektleder", "Styregruppe", "Budget 2024"])
    sheet.append(
        [
            "Importeret projekt",
            "Lokal",
            t.unit.name,
            t.leader_person.name,
            t.body.name,
            "1.250.000 kr.",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return importer.store(buffer.getvalue(), t.municipality.pk)


MATRIX: dict = {
    "portfolio:import_upload": ("change", None, lambda t: {}, "portfolio.change"),
    # The token is the import: another municipality's user gets 404 for it. An empty POST
    # (no `confirm`) is 400 and creates nothing.
    "portfolio:import_preview": (
        "change",
        "import",
        lambda t: {"token": _stored_import(t)},
        "core.view",
    ),
}
SHOWS_OWN_DATA: set[str] = set()
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
QUERY_PAGES: dict = {
    "import_upload": lambda t: ("portfolio:import_upload", {}),
    "import_preview": lambda t: ("portfolio:import_preview", {"token": _stored_import(t)}),
}
