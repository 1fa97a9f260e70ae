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
