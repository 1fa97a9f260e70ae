"""The guard for uploaded Office files: every bomb is refused from what the zip declares or
from a bounded stream of the sheet, quickly, in little memory, with a Danish message naming
what is too large.

The bombs are built here: the zip is written from a generator of repeated rows, so the test
stays cheap while the sheet it declares unpacks to hundreds of megabytes.
"""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import Workbook

from documents import ooxml
from documents.tests.bombs import CONTENT_TYPES, NS, repeated, rows, sheet_xml, workbook

MB = 1024 * 1024


@pytest.fixture(scope="module")
def deflate_bomb() -> bytes:
    """3–4 MB whose sheet unpacks to 400 MB."""
    return workbook(sheet_xml(repeated(400 * MB)))


def small_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Projekter"
    sheet.append(["Projekt", "Kategori"])
    sheet.append(["Borgerportal", "Lokal"])
    sheet.merge_cells("A4:C4")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def refusal(data: bytes, limits: ooxml.Limits = ooxml.DEFAULT, check=ooxml.check_workbook):
    """The Danish message, the seconds and the peak of memory of the refusal."""
    tracemalloc.start()
    start = time.monotonic()
    try:
        with translation.override("da"), pytest.raises(ValidationError) as refused:
            check(data, limits)
        seconds = time.monotonic() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seconds < 10, seconds  # "in seconds"; the memory bound is the strict one
    assert peak < 50 * MB, peak
    return refused.value.messages[0], refused.value.code


def test_a_deflate_bomb_is_refused_from_its_declared_size(deflate_bomb):
    assert len(deflate_bomb) < 5 * MB
    with zipfile.ZipFile(io.BytesIO(deflate_bomb)) as package:
        assert package.getinfo("xl/worksheets/sheet1.xml").file_size > 300 * MB
    message, code = refusal(deflate_bomb)
    assert code == "too_large"
    assert message.startswith("Udpakket fylder filen 400 MB, mere end de tilladte 50 MB")
    assert "'xl/worksheets/sheet1.xml'" in message


def test_a_part_packed_too_tightly_is_refused():
    data = workbook(sheet_xml(repeated(20 * MB)))
    message, code = refusal(data)
    assert code == "too_large"
    assert message.startswith("Delen 'xl/worksheets/sheet1.xml' af filen fylder udpakket ")
    assert "højst 100 gange" in message


def test_a_declared_dimension_of_a_million_rows():
    data = workbook(sheet_xml(rows(1, 2), dimension="A1:XFD1048576"))
    message, code = refusal(data)
    assert code == "too_large"
    assert message == "Arket 'Projekter' går til række 1.048.576; højst 20.000 rækker accepteres."


def test_a_sheet_whose_cells_reach_past_its_dimension():
    """The dimension says A1:B2; the cells reach row 2.001 and are counted as they come."""
    data = workbook(sheet_xml(rows(1, 2_001)))
    message, _ = refusal(data, ooxml.Limits(max_rows=2_000))
    assert message == "Arket 'Projekter' går til række 2.001; højst 2.000 rækker accepteres."


def test_two_cells_far_apart_span_too_many_cells():
    far = '<row r="1"><c r="A1"><v>1</v></c></row><row r="19999"><c r="GR19999"><v>1</v></c></row>'
    message, _ = refusal(workbook(sheet_xml([far], dimension="A1")))
    assert message == (
        "Arket 'Projekter' spænder over 19.999 rækker og 200 kolonner, mere end 200.000 celler."
    )


def test_a_column_too_far_to_the_right():
    far = '<row r="1"><c r="XFD1"><v>1</v></c></row>'
    message, _ = refusal(workbook(sheet_xml([far], dimension="A1")))
    assert message == (
        "Arket 'Projekter' går til kolonne XFD (16.384); højst 200 kolonner accepteres."
    )


def test_a_merged_range_over_the_whole_sheet():
    merged = '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
    message, _ = refusal(workbook(sheet_xml(rows(1, 2), dimension="A1:A2", after=merged)))
    assert message == (
        "De flettede celler i arket 'Projekter' dækker mere end 200.000 celler (A1:XFD1048576)."
    )


def test_too_many_merged_ranges():
    cells = "".join(f'<mergeCell ref="A{n}:B{n}"/>' for n in range(1, 13))
    data = workbook(sheet_xml(rows(1, 2), after=f"<mergeCells>{cells}</mergeCells>"))
    message, _ = refusal(data, ooxml.Limits(max_merged=10))
    assert message == "Arket 'Projekter' har mere end 10 flettede celleområder."


def test_too_many_styles():
    message, _ = refusal(small_workbook(), ooxml.Limits(max_styles=1))
    assert message == "Projektmappen har mere end 1 celleformater."


def test_too_many_cells():
    cells = "".join(f'<c r="{letter}1"><v>1</v></c>' for letter in "ABCDEFGHIJK")
    data = workbook(sheet_xml([f'<row r="1">{cells}</row>'], dimension="A1"))
    message, _ = refusal(data, ooxml.Limits(max_cells=10))
    assert message == "Projektmappen har mere end 10 celler."


def test_too_many_members():
    message, code = refusal(workbook(sheet_xml(rows(1, 2)), extra=600))
    assert code == "too_large"
    assert message == "Filen består af 604 dele; højst 500 accepteres."


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7 not a workbook",
        b"",
        b"PK\x03\x04 broken",
    ],
)
def test_not_a_zip(data):
    message, code = refusal(data)
    assert code == "not_xlsx"
    assert message == "Filen er ikke en Excel-fil (.xlsx)."


def test_a_zip_that_is_no_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("word/document.xml", "<document/>")
    assert refusal(buffer.getvalue())[0] == "Filen er ikke en Excel-fil (.xlsx)."
    ooxml.check_package(buffer.getvalue())  # a valid package, only no workbook


def test_a_package_that_is_no_office_file():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("readme.txt", "hello")
    message, code = refusal(buffer.getvalue(), check=ooxml.check_package)
    assert code == "not_ooxml"
    assert message == "Filen er ikke en gyldig Office-fil (.docx, .xlsx eller .pptx)."


def test_entities_are_refused():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    data = workbook([laughs.encode(), f'<worksheet xmlns="{NS}"><sheetData/></worksheet>'.encode()])
    assert refusal(data)[0] == "Filen er ikke en Excel-fil (.xlsx)."


def test_a_normal_workbook_passes():
    start = time.monotonic()
    ooxml.check_workbook(small_workbook())
    ooxml.check_workbook(workbook(sheet_xml(rows(1, 2_000), dimension="A1:A2000")))
    assert time.monotonic() - start < 10
