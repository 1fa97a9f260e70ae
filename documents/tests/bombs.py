"""Office files built for the tests of the upload guard: small zips that declare huge
sheets. A sheet is streamed into the zip from a generator, so building a bomb stays cheap."""

import io
import zipfile
from collections.abc import Iterable

MB = 1024 * 1024
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Projekter" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
    "</Relationships>"
)


def sheet_xml(rows: Iterable[str], dimension="A1:B2", after="") -> Iterable[bytes]:
    yield (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">'
        f'<dimension ref="{dimension}"/><sheetData>'
    ).encode()
    for row in rows:
        yield row.encode()
    yield f"</sheetData>{after}</worksheet>".encode()


def workbook(sheet: Iterable[bytes], extra: int = 0) -> bytes:
    """A workbook of one sheet, written part by part: `sheet` is streamed into the zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("xl/workbook.xml", WORKBOOK)
        package.writestr("xl/_rels/workbook.xml.rels", RELS)
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for chunk in sheet:
                part.write(chunk)
        for number in range(extra):
            package.writestr(f"xl/media/empty{number}.xml", "<a/>")
    return buffer.getvalue()


def rows(first: int, count: int) -> Iterable[str]:
    for number in range(first, first + count):
        yield f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>x</t></is></c></row>'


def repeated(size: int) -> Iterable[str]:
    """About `size` bytes of one row repeated (the same row number: openpyxl would read it)."""
    block = '<row r="2"><c r="A2"><v>1</v></c></row>' * 25_000  # about 1 MB
    for _ in range(size // len(block)):
        yield block
