"""Shared XLSX machinery: an exporter is a small subclass naming its columns and rows."""

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet


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
        # Write-only mode streams the rows to the file: about twice as fast as building every
        # cell object of a normal workbook, in a fraction of the memory. Its sheet takes the
        # column widths before the first row, so the rows are read once to measure them.
        rows = [list(row) for row in self.rows()]
        widths = [len(str(c)) for c in self.columns]
        for row in rows:
            for index, value in enumerate(row):
                widths[index] = max(widths[index], len(_text(value)))
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(str(self.sheet_title)[:31])
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, 60)
        sheet.freeze_panes = "A2"
        # Before the rows: a write-only sheet writes its head (page setup) first.
        _print_setup(sheet, self.print_title())
        bold = Font(bold=True)
        sheet.append([_cell(sheet, str(c), font=bold) for c in self.columns])
        for row in rows:
            sheet.append([_value(sheet, value) for value in row])
        last = f"{get_column_letter(max(len(widths), 1))}{len(rows) + 1}"
        sheet.auto_filter.ref = f"A1:{last}"
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _cell(sheet, value, **style) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _value(sheet, value):
    """A value as written: dates and times as such, with the Danish format."""
    if isinstance(value, datetime):
        return _cell(sheet, value, number_format="DD-MM-YYYY HH:MM")
    if isinstance(value, date):
        return _cell(sheet, value, number_format="DD-MM-YYYY")
    return value


def _print_setup(sheet, title: str) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
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
