"""Shared XLSX machinery: an exporter is a small subclass naming its columns and rows."""

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


class XlsxExporter:
    """One sheet with a bold, frozen header row, column widths and an autofilter, set up to
    print: A4 landscape, as wide as the page (as many pages down as it takes), the header row
    on every page, the title in the page header and "Side 1 af 3" in the footer.

    Subclasses set `sheet_title` and `columns` and implement `rows()`; values may be text,
    numbers, dates or None.
    """

    sheet_title = "Ark"
    columns: Sequence[str] = ()

    def rows(self) -> Iterable[Sequence]:
        raise NotImplementedError

    def print_title(self) -> str:
        """The title in the printed page's header: the sheet's title unless a subclass says more."""
        return str(self.sheet_title)

    def to_bytes(self) -> bytes:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = str(self.sheet_title)[:31]
        sheet.append([str(c) for c in self.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        widths = [len(str(c)) for c in self.columns]
        for row in self.rows():
            sheet.append(list(row))
            for index, value in enumerate(row):
                widths[index] = max(widths[index], len(_text(value)))
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, 60)
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, datetime):
                    cell.number_format = "DD-MM-YYYY HH:MM"
                elif isinstance(cell.value, date):
                    cell.number_format = "DD-MM-YYYY"
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        _print_setup(sheet, self.print_title())
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _print_setup(sheet, title: str) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    # "&" starts a code in a header: a title's own ampersands are doubled.
    sheet.oddHeader.center.text = title.replace("&", "&&")
    sheet.oddFooter.right.text = "Side &P af &N"
    sheet.print_options.gridLines = False


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return "00-00-0000 00:00"
    if isinstance(value, date):
        return "00-00-0000"
    return str(value)
