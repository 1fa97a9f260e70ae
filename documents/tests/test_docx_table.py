"""The shared DOCX table: a bold header row, a small font, values written as text."""

from docx.shared import Pt

from documents.docx import DocxBuilder, DocxTable


class _Smaller(DocxTable):
    font_size = 8.5


def _runs(cells):
    return [cell.paragraphs[0].runs[0] for cell in cells]


def test_table_has_a_bold_header_and_plain_rows():
    doc = DocxBuilder("Test")
    table = DocxTable(doc, ["Name", "Amount"])
    cells = table.row("Projekt", 12)
    header = _runs(table.table.rows[0].cells)
    assert [run.text for run in header] == ["Name", "Amount"]
    assert all(run.bold for run in header)
    body = _runs(cells)
    assert [run.text for run in body] == ["Projekt", "12"]
    assert not any(run.bold for run in body)
    assert {run.font.size for run in header + body} == {Pt(9)}
    assert table.table.style.name == "Table Grid"


def test_font_size_from_the_class_or_the_call():
    doc = DocxBuilder("Test")
    assert _Smaller(doc, ["A"]).size == Pt(8.5)
    assert DocxTable(doc, ["A"], size=11).size == Pt(11)
