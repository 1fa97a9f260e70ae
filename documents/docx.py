"""Shared DOCX machinery: a document with the house style and cheap paragraph styles.

Every document is A4 with the margins of a Danish municipality's letters (2.5 cm all round),
in Danish (da-DK: the proofing language of every style and the document's language), with
the municipality's name and logo in the page header when the document names it.

python-docx looks a style up by name with a scan of all styles on every paragraph; the
builder resolves each style once, which makes long documents several times faster.
"""

import io

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt

LANGUAGE = "da-DK"
PAGE_WIDTH = Cm(21.0)
PAGE_HEIGHT = Cm(29.7)
MARGIN = Cm(2.5)
LOGO_HEIGHT = Cm(1.2)


def _set_language(rpr) -> None:
    """`<w:lang w:val="da-DK" w:eastAsia="da-DK" w:bidi="ar-SA"/>` in a run-properties element."""
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


class DocxBuilder:
    """A Danish A4 document. `municipality` (optional) puts its name and logo in the header."""

    def __init__(self, title: str, municipality=None):
        self.document = docx.Document()
        self.document.core_properties.title = title
        self.document.core_properties.author = "digistyr"
        self.document.core_properties.language = LANGUAGE
        styles = self.document.styles
        normal = styles["Normal"]
        normal.font.name = "IBM Plex Sans"
        normal.font.size = Pt(11)
        defaults = styles.element.find(qn("w:docDefaults"))
        _set_language(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")))
        _set_language(normal.element.get_or_add_rPr())
        for section in self.document.sections:
            section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
            section.top_margin = section.bottom_margin = MARGIN
            section.left_margin = section.right_margin = MARGIN
        self._styles: dict[str, object] = {}
        self._tables: list[DocxTable] = []
        if municipality is not None:
            self._letterhead(municipality)

    def _letterhead(self, municipality) -> None:
        """The municipality's logo (when uploaded) and name, right-aligned in the header."""
        from documents.letterhead import logo_bytes

        paragraph = self.document.sections[0].header.paragraphs[0]
        paragraph.alignment = 2  # right
        logo = logo_bytes(municipality)
        if logo is not None:
            paragraph.add_run().add_picture(io.BytesIO(logo), height=LOGO_HEIGHT)
            paragraph.add_run().add_break()
        paragraph.add_run(municipality.name).bold = True

    def _style(self, name: str):
        if name not in self._styles:
            self._styles[name] = self.document.styles[name]
        return self._styles[name]

    def heading(self, text: str, level: int = 1):
        return self.document.add_paragraph(text, style=self._style(f"Heading {level}"))

    def paragraph(self, text: str = ""):
        return self.document.add_paragraph(text)

    def bullet(self, text: str):
        return self.document.add_paragraph(text, style=self._style("List Bullet"))

    def text_width(self) -> int:
        """The width between the margins of the last section (EMU), landscape or not."""
        section = self.document.sections[-1]
        # Every section has its size and margins: the builder sets them.
        return (
            int(section.page_width or 0)
            - int(section.left_margin or 0)
            - int(section.right_margin or 0)
        )

    def to_bytes(self) -> bytes:
        width = self.text_width()
        for table in self._tables:
            table.fit(width)
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


# An estimate of IBM Plex Sans' average advance (em) and a cell's padding left and right
# (Table Grid: 108 twips each side), used to size columns from their text.
CHAR_EM = 0.56
BOLD_EM = 0.61
CELL_PADDING = Emu(2 * 108 * 635)


class DocxTable:
    """A table with a bold header row, in the document's grid style and a small font.
    `font_size` (points) is the default; a subclass may draw some values its own way in
    `write_value`.

    The columns are sized from their text when the document is saved (`fit`): no column is
    narrower than its longest word where the page allows it, so Word and LibreOffice don't
    break words in the middle ("Borgerbli/kket"), and the rest of the width goes to the
    columns with the most text. python-docx alone gives every column the same width of a US
    Letter page."""

    font_size = 9

    def __init__(self, doc: DocxBuilder, headers: list[str], size: float | None = None):
        self.size = Pt(self.font_size if size is None else size)
        self.table = doc.document.add_table(rows=1, cols=len(headers))
        self.table.style = doc.document.styles["Table Grid"]
        self._word = [0] * len(headers)  # the longest word of each column (EMU)
        self._text = [0] * len(headers)  # the longest text of each column (EMU)
        doc._tables.append(self)
        for index, (cell, text) in enumerate(zip(self.table.rows[0].cells, headers, strict=True)):
            self._write(cell, text, bold=True)
            self._measure(index, str(text), bold=True)

    def _measure(self, index: int, text: str, bold: bool = False) -> None:
        per_char = self.size * (BOLD_EM if bold else CHAR_EM)
        words = text.split()
        if words:
            self._word[index] = max(self._word[index], int(max(map(len, words)) * per_char))
        longest_line = max((len(line) for line in text.splitlines()), default=0)
        self._text[index] = max(self._text[index], int(longest_line * per_char))

    def _write(self, cell, text: str, bold: bool = False) -> None:
        run = cell.paragraphs[0].add_run(text)
        run.bold = bold
        run.font.size = self.size

    def write_value(self, cell, value) -> None:
        self._write(cell, str(value))

    def row(self, *values) -> list:
        cells = self.table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            self.write_value(cell, value)
            self._measure(index, cell.text)
        return cells

    def widths(self, available: int) -> list[int]:
        """Each column's width (EMU) within `available`: its longest word at least, the rest
        shared by how much more text each column has, never more than its longest text."""
        least = [word + CELL_PADDING for word in self._word]
        most = [max(text + CELL_PADDING, low) for text, low in zip(self._text, least, strict=True)]
        if sum(least) >= available:
            return [int(available * low / sum(least)) for low in least]
        spare = available - sum(least)
        extra = [high - low for high, low in zip(most, least, strict=True)]
        if sum(extra) <= spare:
            # Everything fits on one line: the columns grow evenly to the full width.
            grow = (spare - sum(extra)) // len(most)
            return [high + grow for high in most]
        return [
            low + int(spare * more / sum(extra)) for low, more in zip(least, extra, strict=True)
        ]

    def fit(self, available: int) -> None:
        """Fixed layout with the measured widths, the same in Word and LibreOffice."""
        widths = self.widths(available)
        self.table.autofit = False
        tbl_pr = self.table._tbl.tblPr
        tbl_w = tbl_pr.find(qn("w:tblW"))
        if tbl_w is None:
            tbl_w = OxmlElement("w:tblW")
            tbl_pr.append(tbl_w)
        tbl_w.set(qn("w:type"), "dxa")
        tbl_w.set(qn("w:w"), str(sum(widths) // 635))
        for column, width in zip(self.table.columns, widths, strict=True):
            column.width = width
        for row in self.table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width
