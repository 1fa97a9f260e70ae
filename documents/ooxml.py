"""A guard for uploaded Office Open XML files (.xlsx, .docx, .pptx) before anything parses them.

An OOXML file is a zip of XML parts. A small upload can declare parts of gigabytes (a zip
bomb), or a sheet of a million rows, merged ranges over whole columns or tens of thousands
of styles, and a parser such as openpyxl then spends minutes and gigabytes on it. Every
import of such a file calls the guard first, on the bytes of the upload:

- `check_package(data, limits)`: a zip whose declared sizes are bounded: not too many
  members, a bounded total size once unpacked, no member compressed more than
  `max_ratio`:1, and no XML part with a document type declaration (entity expansion). The
  sizes the zip declares are what Python's `zipfile` (and so openpyxl) ever unpacks.
- `check_workbook(data, limits)`: the package check, then every worksheet read as a stream
  with a bounded reader (expat, no tree kept): its declared `<dimension>`, the rows and
  columns its cells reach, its cells, the cells its merged ranges cover, and the workbook's
  styles and shared strings, each against a cap. The reading stops at the first cap passed.

Past the guard a full load costs at most what the caps allow. Each refusal is a
`ValidationError` with a Danish message naming what is too large (code `too_large`), or
that the file is none (code `not_ooxml`, or `not_xlsx` for a workbook).
"""

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MB = 1024 * 1024
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """What one upload may cost. The defaults suit a file a person keeps in Excel or Word."""

    max_members: int = 500
    max_total: int = 50 * MB  # all members, unpacked
    max_ratio: int = 100  # unpacked : packed, for members of `ratio_from` bytes or more
    ratio_from: int = 1 * MB
    # Workbooks: per sheet the rows and columns its cells reach, and the cells of the workbook.
    max_rows: int = 20_000
    max_columns: int = 200
    max_cells: int = 200_000
    max_merged: int = 10_000  # merged ranges of a sheet
    max_styles: int = 64_000  # cell formats; Excel's own limit is 64,000
    max_strings: int = 200_000  # shared strings


DEFAULT = Limits()


def not_ooxml() -> ValidationError:
    return ValidationError(
        _("The file is not a valid Office file (.docx, .xlsx or .pptx)."), code="not_ooxml"
    )


def not_xlsx() -> ValidationError:
    return ValidationError(_("The file is not an Excel file (.xlsx)."), code="not_xlsx")


def _too_large(message: str, **values) -> ValidationError:
    return ValidationError(message % values, code="too_large")


def _number(value: int) -> str:
    """12345678 → “12.345.678”, as Danish writes it."""
    return f"{value:,}".replace(",", ".")


def _mb(size: int) -> str:
    return _number(-(-size // MB))


# --- The package ---------------------------------------------------------------------------


def check_package(data: bytes, limits: Limits = DEFAULT, *, invalid=not_ooxml) -> None:
    """Refuse a file that is no zip, or whose declared sizes pass `limits`; no unpacking
    beyond the first bytes of each XML part."""
    with _open(data, invalid) as package:
        _check_members(package, limits, invalid)


def _open(data: bytes, invalid) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise invalid() from error


def _check_members(package: zipfile.ZipFile, limits: Limits, invalid) -> None:
    members = package.infolist()
    if "[Content_Types].xml" not in {member.filename for member in members}:
        raise invalid()
    if len(members) > limits.max_members:
        raise _too_large(
            _("The file has %(count)s parts; at most %(max)s are accepted."),
            count=_number(len(members)),
            max=_number(limits.max_members),
        )
    if any(member.flag_bits & 0x1 for member in members):  # encrypted
        raise invalid()
    total = sum(member.file_size for member in members)
    if total > limits.max_total:
        largest = max(members, key=lambda member: member.file_size)
        raise _too_large(
            _(
                "Unpacked, the file is %(size)s MB, more than %(max)s MB; its largest part is "
                "'%(part)s' (%(part_size)s MB)."
            ),
            size=_mb(total),
            max=_number(limits.max_total // MB),
            part=largest.filename,
            part_size=_mb(largest.file_size),
        )
    for member in members:
        if member.file_size >= limits.ratio_from and (
            member.file_size > limits.max_ratio * max(member.compress_size, 1)
        ):
            raise _too_large(
                _(
                    "The part '%(part)s' of the file unpacks to %(ratio)s times its packed size; "
                    "at most %(max)s times is accepted."
                ),
                part=member.filename,
                ratio=_number(member.file_size // max(member.compress_size, 1)),
                max=_number(limits.max_ratio),
            )
    for member in members:
        if member.filename.endswith((".xml", ".rels")):
            _check_prolog(package, member, invalid)


class _Stop(Exception):
    """Raised inside an expat handler to end the reading early."""


def _parser(invalid) -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=" ")

    def doctype(*args):
        raise invalid()

    def entity(*args):
        raise invalid()

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    return parser


def _check_prolog(package: zipfile.ZipFile, member: zipfile.ZipInfo, invalid) -> None:
    """An XML part without a document type declaration: read up to its first element."""
    parser = _parser(invalid)

    def start(name, attributes):
        raise _Stop

    parser.StartElementHandler = start
    _feed(package, member, parser, invalid)


def _feed(package: zipfile.ZipFile, member: zipfile.ZipInfo, parser, invalid) -> None:
    """Stream the part through `parser` in chunks until the end or a `_Stop`."""
    try:
        with package.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Stop:
        return
    except ValidationError:
        raise
    except (expat.ExpatError, zipfile.BadZipFile, OSError, ValueError, RuntimeError) as error:
        raise invalid() from error
    except NotImplementedError as error:  # a compression zipfile does not know
        raise invalid() from error


# --- Workbooks -----------------------------------------------------------------------------

_REF = re.compile(r"^\$?([A-Za-z]{1,3})?\$?(\d{1,7})?$")


def _cell(ref: str) -> tuple[int, int]:
    """“C12” → (12, 3); “C” → (0, 3); “12” → (12, 0); a reference that is none → (0, 0)."""
    match = _REF.match(ref.strip())
    if not match:
        return 0, 0
    letters, digits = match.groups()
    column = 0
    for letter in (letters or "").upper():
        column = column * 26 + ord(letter) - 64
    return int(digits or 0), column


def _letters(column: int) -> str:
    """16384 → “XFD”: a column's letters."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _range(ref: str) -> tuple[int, int]:
    """“A1:XFD1048576” → (1048576, 16384): the rows and columns the range spans."""
    first, _sep, last = ref.partition(":")
    row1, col1 = _cell(first)
    row2, col2 = _cell(last or first)
    return abs(row2 - row1) + 1, abs(col2 - col1) + 1


def check_workbook(data: bytes, limits: Limits = DEFAULT) -> None:
    """Refuse an upload that is no .xlsx workbook, or that would cost more than `limits` to
    load; it reads the sheets as streams and keeps nothing of them."""
    with _open(data, not_xlsx) as package:
        _check_members(package, limits, not_xlsx)
        names = {member.filename: member for member in package.infolist()}
        if "xl/workbook.xml" not in names:
            raise not_xlsx()
        titles = _sheet_titles(package, names)
        cells = 0
        for name, member in names.items():
            folder, file = posixpath.split(name)
            if folder == "xl/worksheets" and file.endswith(".xml"):
                title = titles.get(name) or posixpath.splitext(file)[0]
                cells = _check_sheet(package, member, title, limits, cells)
        if "xl/styles.xml" in names:
            refusal = _too_large(
                _("The workbook has more than %(max)s cell styles."),
                max=_number(limits.max_styles),
            )
            _count(package, names["xl/styles.xml"], "xf", limits.max_styles, refusal)
        if "xl/sharedStrings.xml" in names:
            refusal = _too_large(
                _("The workbook has more than %(max)s different texts."),
                max=_number(limits.max_strings),
            )
            _count(package, names["xl/sharedStrings.xml"], "si", limits.max_strings, refusal)


def _count(package, member, local_name: str, most: int, refusal: ValidationError) -> None:
    """Count the elements `local_name` of a part; `refusal` past `most`."""
    parser = _parser(not_xlsx)
    seen = 0

    def start(name, attributes):
        nonlocal seen
        if name.rpartition(" ")[2] == local_name:
            seen += 1
            if seen > most:
                raise refusal

    parser.StartElementHandler = start
    _feed(package, member, parser, not_xlsx)


def _sheet_titles(package, names: dict) -> dict[str, str]:
    """The title of each worksheet part (“xl/worksheets/sheet1.xml” → “Projekter”)."""
    targets: dict[str, str] = {}
    titles: dict[str, str] = {}

    def relation(name, attributes):
        if name.rpartition(" ")[2] == "Relationship" and "Id" in attributes:
            target = attributes.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            targets[attributes["Id"]] = posixpath.normpath(path)

    def sheet(name, attributes):
        if name.rpartition(" ")[2] == "sheet":
            for key, value in attributes.items():
                if key.rpartition(" ")[2] == "id" and key != "sheetId":
                    titles[value] = attributes.get("name", "")

    for part, handler in (("xl/_rels/workbook.xml.rels", relation), ("xl/workbook.xml", sheet)):
        if part in names:
            parser = _parser(not_xlsx)
            parser.StartElementHandler = handler
            _feed(package, names[part], parser, not_xlsx)
    return {targets[rid]: title for rid, title in titles.items() if rid in targets}


def _check_sheet(package, member, sheet: str, limits: Limits, cells: int) -> int:
    """Stream one worksheet; refuse at the first cap passed. The cells counted so far in the
    workbook come in, the new count goes out."""
    parser = _parser(not_xlsx)
    state = {"row": 0, "column": 0, "rows": 0, "columns": 0, "merged": 0, "merged_cells": 0}
    count = cells

    def too_many_rows(rows: int) -> ValidationError:
        return _too_large(
            _("The sheet '%(sheet)s' reaches row %(rows)s; at most %(max)s rows are accepted."),
            sheet=sheet,
            rows=_number(rows),
            max=_number(limits.max_rows),
        )

    def too_many_columns(columns: int) -> ValidationError:
        return _too_large(
            _(
                "The sheet '%(sheet)s' reaches column %(columns)s; at most %(max)s columns are "
                "accepted."
            ),
            sheet=sheet,
            columns=f"{_letters(columns)} ({_number(columns)})",
            max=_number(limits.max_columns),
        )

    def start(name, attributes):
        nonlocal count
        tag = name.rpartition(" ")[2]
        if tag == "c":
            ref = attributes.get("r")
            column = _cell(ref)[1] if ref else state["column"] + 1
            state["column"] = column
            if column > limits.max_columns:
                raise too_many_columns(column)
            state["columns"] = max(state["columns"], column)
            count += 1
            if count > limits.max_cells:
                raise _too_large(
                    _("The workbook has more than %(max)s cells."), max=_number(limits.max_cells)
                )
        elif tag == "row":
            ref = attributes.get("r")
            row = int(ref) if ref and ref.isdigit() else state["row"] + 1
            state["row"], state["column"] = row, 0
            if row > limits.max_rows:
                raise too_many_rows(row)
            state["rows"] = max(state["rows"], row)
            if row * max(state["columns"], 1) > limits.max_cells:
                raise _extent(sheet, row, state["columns"], limits)
        elif tag == "dimension":
            rows, columns = _range(attributes.get("ref", "A1"))
            _check_extent(sheet, rows, columns, limits, too_many_rows, too_many_columns)
        elif tag == "mergeCell":
            state["merged"] += 1
            if state["merged"] > limits.max_merged:
                raise _too_large(
                    _("The sheet '%(sheet)s' has more than %(max)s merged cell ranges."),
                    sheet=sheet,
                    max=_number(limits.max_merged),
                )
            rows, columns = _range(attributes.get("ref", "A1"))
            state["merged_cells"] += rows * columns
            if state["merged_cells"] > limits.max_cells:
                raise _too_large(
                    _(
                        "The merged cells of the sheet '%(sheet)s' cover more than %(max)s "
                        "cells (%(range)s)."
                    ),
                    sheet=sheet,
                    max=_number(limits.max_cells),
                    range=attributes.get("ref", ""),
                )

    parser.StartElementHandler = start
    _feed(package, member, parser, not_xlsx)
    if state["rows"] * state["columns"] > limits.max_cells:
        raise _extent(sheet, state["rows"], state["columns"], limits)
    return count


def _check_extent(sheet, rows, columns, limits, too_many_rows, too_many_columns) -> None:
    """The sheet's declared size (`<dimension ref="A1:XFD1048576">`)."""
    if rows > limits.max_rows:
        raise too_many_rows(rows)
    if columns > limits.max_columns:
        raise too_many_columns(columns)
    if rows * columns > limits.max_cells:
        raise _extent(sheet, rows, columns, limits)


def _extent(sheet: str, rows: int, columns: int, limits: Limits) -> ValidationError:
    return _too_large(
        _(
            "The sheet '%(sheet)s' spans %(rows)s rows and %(columns)s columns, more than "
            "%(max)s cells."
        ),
        sheet=sheet,
        rows=_number(rows),
        columns=_number(max(columns, 1)),
        max=_number(limits.max_cells),
    )
