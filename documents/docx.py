"""Shared DOCX machinery: a document with the house style and cheap paragraph styles.

python-docx looks a style up by name with a scan of all styles on every paragraph; the
builder resolves each style once, which makes long documents several times faster.
"""

import io

import docx
from docx.shared import Pt


class DocxBuilder:
    def __init__(self, title: str):
        self.document = docx.Document()
        self.document.core_properties.title = title
        self.document.core_properties.author = "digistyr"
        normal = self.document.styles["Normal"]
        normal.font.name = "IBM Plex Sans"
        normal.font.size = Pt(11)
        self._styles: dict[str, object] = {}

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

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


class DocxTable:
    """A table with a bold header row, in the document's grid style and a small font.
    `font_size` (points) is the default; a subclass may draw some values its own way in
    `write_value`."""

    font_size = 9

    def __init__(self, doc: DocxBuilder, headers: list[str], size: float | None = None):
        self.size = Pt(self.font_size if size is None else size)
        self.table = doc.document.add_table(rows=1, cols=len(headers))
        self.table.style = doc.document.styles["Table Grid"]
        for cell, text in zip(self.table.rows[0].cells, headers, strict=True):
            self._write(cell, text, bold=True)

    def _write(self, cell, text: str, bold: bool = False) -> None:
        run = cell.paragraphs[0].add_run(text)
        run.bold = bold
        run.font.size = self.size

    def write_value(self, cell, value) -> None:
        self._write(cell, str(value))

    def row(self, *values) -> list:
        cells = self.table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            self.write_value(cell, value)
        return cells
