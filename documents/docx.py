"""Shared DOCX machinery: a document with the house style."""

import docx
from docx.shared import Pt


def new_document(title: str) -> docx.document.Document:
    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = "digistyr"
    style = document.styles["Normal"]
    style.font.name = "IBM Plex Sans"
    style.font.size = Pt(11)
    return document
