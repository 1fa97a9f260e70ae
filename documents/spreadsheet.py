"""The one reader of the spreadsheet imports (projects, units, people, members of bodies,
benefits): everything about a workbook that is not the app's own columns and rows.

An app describes its import as a subclass of `SheetImport`: the sheet names it looks for
(`sheet_names`), its `columns` (Danish headers and synonyms, how a cell is read), the names it
may create (`creatable`), and three hooks: `load_context` (the municipality's rows it reads
against, fetched once), `parse_row` (one row of the sheet into unsaved objects and problems)
and `write` (the commit, inside the transaction this module opens). Everything else is here:

- **Opening the upload** (`open_workbook`): a file that is no workbook, a Word document named
  .xlsx, a password-protected workbook (Excel writes those as an OLE compound file, as it
  does old .xls files), and a file that would cost more than the import's `limits` to load
  (`documents.ooxml`: zip bombs, a sheet of 100,000 rows) are refused with a Danish message
  before openpyxl sees them.
- **The sheet** (`choose_sheet`): the one the user picked; else one whose name starts with
  one of `sheet_names`; else the one whose header row holds the most known headers (a notes
  sheet first is passed over); else the first. Only its values and merged ranges are kept
  (`Sheet`, stored as JSON beside the upload, so the preview does not open the workbook again).
- **The header row** (`header_row`): among the first `HEADER_SCAN` rows with values, the one
  with the most known headers; title rows (merged or not), notes and blank rows above it are
  skipped, and the preview says which row it took. A header not known is ignored with a
  warning unless the user says what it holds (`Choices.mapping`); a merged header cell is an
  error.
- **Cells** (`parse_text`, `parse_date`, `parse_amount`, `parse_bool`, `ChoiceParser`,
  `Lookup`): Danish dates (15-05-2024, 15.05.2024, 1. marts 2024) and amounts ("1.250.000,50
  kr."), ja/nej, Excel's errors (`EXCEL_ERRORS`: a formula that failed) and names of rows of
  the municipality, found as written first, then without regard to case and accents (`fold`).
  Every problem is a `Problem` naming its sheet, row and column (`Problem.located`).
- **The preview and the commit** (`parse`, `commit`): the sheet read against the database as
  it is now; every bad row and column listed; the commit writes all rows, and the units and
  people the user chose to create (`Context.find`), in one transaction, or raises
  `ImportInvalid` and writes nothing.
- **Between them** (`store`, `kept`, `discard`): the upload is kept under
  `imports/<municipality>/[<folder>/]<token>.xlsx` with its sheet beside it as JSON, only
  ever looked up under the asking user's municipality, and gone after `MAX_AGE`.
"""

import datetime
import io
import json
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import openpyxl
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents import ooxml

# The header row is looked for among this many first rows with values.
HEADER_SCAN = 30
# The largest upload accepted, in megabytes.
MAX_MB = 5
# How long an uploaded file waits for its commit.
MAX_AGE = datetime.timedelta(days=1)
IMPORT_DIR = "imports"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
# The first bytes of an OLE compound file: what Excel writes for a password-protected
# workbook (and for an old .xls file).
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# --- Problems -------------------------------------------------------------------------------


@dataclass
class Problem:
    """One problem of the file: in a row (its Excel number) and column of a sheet, or of the
    whole file. `str()` names the row and column (the preview lists them under the sheet's
    name); `located` names the sheet too."""

    message: str
    row: int | None = None
    column: str | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if not self.column:
            return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)d, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    @property
    def located(self) -> str:
        """“Sheet 'Personer', row 7, E-mail: …”: the message with its sheet, row and column."""
        if self.row is None or not self.sheet:
            return str(self)
        values = {"sheet": self.sheet, "row": self.row, "message": self.message}
        if not self.column:
            return _("Sheet '%(sheet)s', row %(row)d: %(message)s") % values
        return _("Sheet '%(sheet)s', row %(row)d, %(column)s: %(message)s") % {
            **values,
            "column": self.column,
        }


class CellError(ValueError):
    """A cell's value cannot be read as what its column holds; the message says why."""


class Missing(CellError):
    """A name that is no row of the municipality (the import may create it)."""

    def __init__(self, message: str, name: str):
        super().__init__(message)
        self.name = name


# A cell holding one of Excel's errors (a formula that failed).
EXCEL_ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!"}


class ImportInvalid(Exception):
    """The file has errors; nothing was written. `result` holds them."""

    def __init__(self, result: "ImportResult"):
        super().__init__(f"{len(result.errors)} error(s)")
        self.result = result


not_xlsx = ooxml.not_xlsx


# --- Reading cells --------------------------------------------------------------------------


def normalise(text) -> str:
    """“ Styrende  Organ: ” → “styrende organ”: how headers, sheet names and values compare."""
    text = str(text).replace("\xa0", " ").casefold()
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s*/\s*", "/", text)
    return text.rstrip(".:").strip()


def fold(text) -> str:
    """`normalise`, and without accents except the Danish letters: “René Sørensen” and
    “rene sørensen” are the same name, “Åse” and “Ase” are not."""
    return "".join(
        char
        if char in "æøå"
        else "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        for char in normalise(text)
    )


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def shown(value) -> str:
    """The value as the user typed it, for a message."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d-%m-%Y")
    return str(value).strip()


def written(value) -> str:
    """The value as written, its spaces tidied: how a name is compared first."""
    return " ".join(str(value).replace("\xa0", " ").split())


def parse_text(value, context=None) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d-%m-%Y")
    return str(value).strip()


DATE_FORMATS = ("%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d")
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januar", "jan"),
            ("februar", "feb"),
            ("marts", "mar"),
            ("april", "apr"),
            ("maj",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
# “1. marts 2024”, “1 mar. 2024”
_WORDED_DATE = re.compile(r"^(\d{1,2})\.? ?([a-zæøå]+)\.? (\d{4})$")


def parse_date(value, context=None) -> datetime.date:
    """An Excel date, or text as 15-05-2024, 15.05.2024, 15/05/2024, 2024-05-15 or
    15. maj 2024."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        for fmt in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        worded = _WORDED_DATE.match(normalise(text))
        if worded and worded.group(2) in MONTHS:
            try:
                return datetime.date(
                    int(worded.group(3)), MONTHS[worded.group(2)], int(worded.group(1))
                )
            except ValueError:
                pass
    raise CellError(
        _("'%(value)s' is not a valid date. Write it as dd-mm-yyyy.") % {"value": shown(value)}
    )


# 1.250.000,50 (thousands grouped by dots) or 1250000,50 (not grouped); the decimals optional.
_AMOUNT = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_CURRENCY = re.compile(r"^(kr\.?|dkk)|(kr\.?|dkk)$", re.IGNORECASE)
_CENTS = Decimal("0.01")


def parse_amount(value, context=None) -> Decimal:
    """An Excel number, or Danish text: 1.250.000 kr., 1.250.000, 1250000, 1.250.000,50."""
    if isinstance(value, bool):
        pass
    elif isinstance(value, int | Decimal):
        return Decimal(value)
    elif isinstance(value, float):
        return Decimal(repr(value)).quantize(_CENTS, rounding=ROUND_HALF_UP)
    elif isinstance(value, str):
        text = re.sub(r"\s+", "", value.replace("\xa0", " "))
        text = _CURRENCY.sub("", text)
        if _AMOUNT.match(text):
            try:
                return Decimal(text.replace(".", "").replace(",", "."))
            except InvalidOperation:
                pass
    raise CellError(
        _("'%(value)s' is not a valid amount. Write it as 1.250.000 or 1.250.000,50.")
        % {"value": shown(value)}
    )


YES = {"ja", "j", "x", "yes", "y", "true", "sand", "1"}
NO = {"nej", "n", "no", "false", "falsk", "0", "-"}


def parse_bool(value, context=None) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = normalise(value)
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError(_("'%(value)s' is not yes or no. Write ja or nej.") % {"value": shown(value)})


class ChoiceParser:
    """Reads a choice by its Danish names (or its code); `accepted` lists the names."""

    def __init__(self, names: dict[str, str], choices, message):
        self.names = {**{normalise(code): code for code in choices.values}, **names}
        self.accepted = ", ".join(names)
        self.message = message

    def __call__(self, value, context=None) -> str:
        found = self.names.get(normalise(value))
        if found is None:
            raise CellError(str(self.message) % {"value": shown(value), "accepted": self.accepted})
        return found


class Lookup:
    """Rows of the municipality found by name (and other keys): as written first, then
    without regard to case and accents (`fold`)."""

    def __init__(self, objects: Iterable, keys: Callable, not_found, ambiguous):
        self.exact: dict[str, list] = {}
        self.folded: dict[str, list] = {}
        for obj in objects:
            self.add(obj, keys(obj))
        self.not_found = not_found
        self.ambiguous = ambiguous

    def add(self, obj, keys: Iterable) -> None:
        """Find `obj` by `keys` too (a row the import is about to create)."""
        for key in {written(k) for k in keys if k}:
            self.exact.setdefault(key, []).append(obj)
        for key in {fold(k) for k in keys if k}:
            self.folded.setdefault(key, []).append(obj)

    def __call__(self, value, context=None):
        for found in (self.exact.get(written(value), []), self.folded.get(fold(value), [])):
            if len(found) > 1:
                # Two people of the same name: the active one, if only one of them is.
                active = [obj for obj in found if getattr(obj, "active", True)]
                if len(active) == 1:
                    return active[0]
                raise CellError(str(self.ambiguous) % {"value": shown(value)})
            if len(found) == 1:
                return found[0]
        raise Missing(str(self.not_found) % {"value": shown(value)}, written(value))


# --- Columns --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column an import understands: the field it fills, its Danish headers (the first is
    the one the template uses), how a cell is read (a function, or the name of the context's
    lookup), what it accepts (for the page that explains the file) and its label."""

    field: str
    headers: tuple[str, ...]
    parse: Callable | str
    accepts: object = ""
    required: bool = False
    label: object = ""

    @property
    def header(self) -> str:
        return self.headers[0]

    @property
    def synonyms(self) -> tuple[str, ...]:
        return self.headers[1:]

    def read(self, value, context: "Context"):
        if isinstance(self.parse, str):
            return context.find(self.parse, value)
        return self.parse(value, context)


TEXT = gettext_lazy("Text")
DATES = gettext_lazy("15-05-2024, 15.05.2024, 15/05/2024, 2024-05-15 or an Excel date")
AMOUNTS = gettext_lazy("1.250.000 kr., 1.250.000, 1250000, 1.250.000,50 or an Excel number")
YES_NO = gettext_lazy("ja, nej or x; empty is no")


# --- The context a row is read against ------------------------------------------------------


@dataclass
class Context:
    """What a row is read against: the municipality's rows by kind (`lookups`), found by
    name. A name not found of a kind in `makers` is made (once per name, unsaved until the
    commit) when the user chose to create that kind (`create`); `missing` and `new` hold
    the names not found ({folded: as written}) and the rows made, by kind. `data` holds
    whatever else the app's rows are checked against (names already taken …)."""

    municipality_id: int
    lookups: dict[str, Lookup]
    makers: dict[str, Callable[[str], Any]] = field(default_factory=dict)
    create: frozenset = frozenset()
    missing: dict[str, dict[str, str]] = field(default_factory=dict)
    new: dict[str, dict[str, Any]] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)

    def find(self, kind: str, value):
        """The row of `kind` named `value`; a missing one is made when the user chose to
        create that kind, else a CellError."""
        try:
            return self.lookups[kind](value)
        except Missing as missing:
            if kind not in self.makers:
                raise
            key = fold(missing.name)
            self.missing.setdefault(kind, {}).setdefault(key, missing.name)
            if kind not in self.create:
                raise
            made = self.new.setdefault(kind, {})
            if key not in made:
                made[key] = self.makers[kind](missing.name)
            return made[key]


# --- The sheet ------------------------------------------------------------------------------


@dataclass
class Sheet:
    """The chosen sheet as an import reads it: its title, the values of its rows (row 1
    first), its merged ranges (first row, last row, “A1:D1”) and the titles of every sheet."""

    title: str
    rows: list[tuple]
    merged: list[tuple[int, int, str]] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "title": self.title,
                "rows": [[_encode(value) for value in row] for row in self.rows],
                "merged": [list(merged) for merged in self.merged],
                "sheets": self.sheets or [self.title],
            },
            ensure_ascii=False,
        ).encode()

    @classmethod
    def from_json(cls, text: bytes) -> "Sheet":
        kept = json.loads(text)
        return cls(
            str(kept["title"]),
            [tuple(_decode(value) for value in row) for row in kept["rows"]],
            [(int(first), int(last), str(coord)) for first, last, coord in kept["merged"]],
            [str(title) for title in kept.get("sheets") or [kept["title"]]],
        )


_TYPES = {
    "datetime": (datetime.datetime, datetime.datetime.fromisoformat),
    "date": (datetime.date, datetime.date.fromisoformat),
    "time": (datetime.time, datetime.time.fromisoformat),
}


def _encode(value):
    """A cell's value as JSON: dates, times and durations tagged with their type."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    for name, (kind, _read) in _TYPES.items():
        if isinstance(value, kind):
            return {name: value.isoformat()}
    if isinstance(value, datetime.timedelta):
        return {"seconds": value.total_seconds()}
    return str(value)


def _decode(value):
    if isinstance(value, dict):
        if "seconds" in value:
            return datetime.timedelta(seconds=value["seconds"])
        ((name, text),) = value.items()
        return _TYPES[name][1](text)
    return value


def refuse_other_files(data: bytes) -> None:
    """A clear Danish message for the files people upload by mistake: a password-protected
    workbook, an old .xls file, a Word document named .xlsx."""
    if data.startswith(OLE):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise ValidationError(
                _(
                    "The workbook is password protected. Remove the password in Excel (File, "
                    "Info, Protect workbook) and upload it again."
                ),
                code="encrypted",
            )
        raise ValidationError(
            _("The file is an old Excel file (.xls). Save it as .xlsx in Excel and upload it."),
            code="xls",
        )
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            return  # the guard names it
        if "word/document.xml" in names:
            raise ValidationError(
                _("The file is a Word document, not an Excel file (.xlsx)."), code="not_xlsx"
            )
        if "ppt/presentation.xml" in names:
            raise ValidationError(
                _("The file is a PowerPoint presentation, not an Excel file (.xlsx)."),
                code="not_xlsx",
            )


def open_workbook(data: bytes, limits: ooxml.Limits = ooxml.DEFAULT):
    """The workbook in `data` (values, not formulas), or ValidationError when it is none, is
    password protected, or would cost more than `limits` to load."""
    refuse_other_files(data)
    ooxml.check_workbook(data, limits)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # openpyxl raises many kinds of errors on a broken file
        raise not_xlsx() from error


def header_row(rows: list[tuple], known: Callable[[str], bool]) -> tuple[int | None, int]:
    """(row number, headers known) of the header row among the first HEADER_SCAN rows with
    values: the one holding the most headers `known` (normalised) accepts, the first of them
    on a tie; the first row with values when none holds one; (None, 0) when empty."""
    first, best, best_score, seen = None, None, 0, 0
    for number, row in enumerate(rows, start=1):
        values = [value for value in row if not blank(value)]
        if not values:
            continue
        first = first or number
        score = sum(1 for value in values if known(normalise(value)))
        if score > best_score:
            best, best_score = number, score
        seen += 1
        if seen == HEADER_SCAN:
            break
    return (best or first), best_score


@dataclass
class Layout:
    """Where the headers are and what each column holds."""

    header_row: int
    columns: dict[int, Any]  # 0-based column index -> what it holds (a Column or the app's)
    headers: dict[int, str]  # 0-based column index -> the header as written
    ignored: list[str]
    width: int  # up to the last column with a header
    unknown: list[tuple[str, str]] = field(default_factory=list)  # (header, mapped field)

    def header_of(self, field_name: str) -> str | None:
        for index, column in self.columns.items():
            if getattr(column, "field", None) == field_name:
                return self.headers[index]
        return None

    def has(self, field_name: str) -> bool:
        return self.header_of(field_name) is not None


# --- The choices of the preview -------------------------------------------------------------


@dataclass
class Choices:
    """What the user chose in the preview: the sheet (None: the likely one), what an unknown
    column holds ({header as normalised: field}), and which kinds of names to create."""

    sheet: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    create: frozenset = frozenset()

    def to_dict(self) -> dict:
        return {"sheet": self.sheet, "mapping": self.mapping, "create": sorted(self.create)}


# --- The result -----------------------------------------------------------------------------


@dataclass
class Row:
    """One row of the sheet: what it would write (unsaved) and its problems."""

    row: int
    obj: Any = None
    errors: list[Problem] = field(default_factory=list)
    # “new”, “changed” or “unchanged” for an import that updates what it finds; the
    # changed fields' labels.
    state: str = "new"
    changes: list[str] = field(default_factory=list)
    shown: list = field(default_factory=list)  # what the preview shows of the row


@dataclass
class ImportResult:
    sheet: str = ""
    rows: list = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)  # every sheet of the workbook
    header_row: int | None = None
    # The headers not understood by name, as written, with the field the user gave each
    # ("" for none): the mapping step of the preview.
    unknown_headers: list[tuple[str, str]] = field(default_factory=list)
    # Names not found, as written, by kind, sorted; and what the commit creates.
    missing: dict[str, list[str]] = field(default_factory=dict)
    creates: dict[str, list[str]] = field(default_factory=dict)
    choices: Choices = field(default_factory=Choices)
    new: dict[str, dict] = field(default_factory=dict)  # the rows the commit creates, unsaved
    context: Context | None = None

    @property
    def valid(self) -> bool:
        return not self.errors and bool(self.rows)

    def count(self, state: str) -> int:
        return sum(1 for row in self.rows if getattr(row, "state", "new") == state)

    @property
    def changed(self) -> int:
        return self.count("changed")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def added(self) -> int:
        return self.count("new")


# --- An import ------------------------------------------------------------------------------


class SheetImport:
    """One kind of import; an app subclasses it (see the module's docstring)."""

    folder: str = ""  # under imports/<municipality>/; "" for the project import's own place
    sheet_names: tuple[str, ...] = ()  # normalised; "Personer 2024" starts with "personer"
    columns: tuple[Column, ...] = ()
    creatable: tuple[str, ...] = ()
    max_rows: int = 2000
    result_class: type = ImportResult
    # What reading one upload may cost (`documents.ooxml`): five times the rows (titles,
    # blank and note rows) and 100,000 cells. At the caps a full load takes seconds.
    limits = ooxml.Limits(max_rows=10_000, max_cells=100_000)

    # --- What the app says ---

    def dynamic(self, key: str):
        """A column whose header carries a value (“Budget 2024”), or None."""
        return None

    def label(self, column) -> str:
        return str(column.label)

    def too_many_message(self) -> str:
        return _("The file has more than %(max)d rows. Import them in parts.") % {
            "max": self.max_rows
        }

    def empty_message(self, sheet: str) -> str:
        return _("The sheet '%(sheet)s' has no rows under the header row.") % {"sheet": sheet}

    def load_context(self, municipality_id: int, create: frozenset) -> Context:
        raise NotImplementedError

    def parse_row(self, number: int, values: tuple, layout: Layout, context: Context) -> Row:
        raise NotImplementedError

    def check(self, result: ImportResult, layout: Layout, context: Context) -> None:
        """Checks across the rows (a name twice in the file …), after every row is read."""

    def preview(self, result: ImportResult) -> list[tuple[Row, list]]:
        """Each row with what the preview shows of it (`Row.shown`)."""
        return [(row, getattr(row, "shown", [])) for row in result.rows]

    def write(self, result: ImportResult):
        """Save what `result` holds (inside the commit's transaction); what it returns the
        commit returns."""
        raise NotImplementedError

    # --- The machinery ---

    @property
    def by_header(self) -> dict:
        return {normalise(h): column for column in self.columns for h in column.headers}

    @property
    def by_field(self) -> dict:
        return {column.field: column for column in self.columns}

    @property
    def required(self) -> list[Column]:
        return [column for column in self.columns if column.required]

    def choices(self, values: dict | None) -> Choices:
        """Choices from a dict (`Choices.to_dict`, a job's arguments, the query string):
        what this import does not know is left out."""
        values = values or {}
        fields = self.by_field
        return Choices(
            values.get("sheet") or None,
            {
                normalise(header): name
                for header, name in (values.get("mapping") or {}).items()
                if name in fields
            },
            frozenset(values.get("create") or ()) & set(self.creatable),
        )

    def known(self, key: str, mapping: dict[str, str]) -> bool:
        return key in self.by_header or key in mapping or self.dynamic(key) is not None

    def choose_sheet(self, workbook, name: str | None = None):
        """The sheet named `name`; else the likely one (see the module's docstring)."""
        sheets = workbook.worksheets
        listed = ", ".join(f"'{sheet.title}'" for sheet in sheets)
        if name is not None:
            for sheet in sheets:
                if sheet.title == name:
                    return sheet
            raise ValidationError(
                _("The sheet '%(sheet)s' does not exist. The file has the sheets: %(sheets)s.")
                % {"sheet": name, "sheets": listed},
                code="sheet",
            )
        for sheet in sheets:
            title = normalise(sheet.title)
            if any(title == known or title.startswith(known + " ") for known in self.sheet_names):
                return sheet
        likely, most = None, 0
        for sheet in sheets:
            rows = list(sheet.iter_rows(values_only=True, max_row=4 * HEADER_SCAN))
            known = header_row(rows, lambda key: self.known(key, {}))[1]
            if known > most:
                likely, most = sheet, known
        if likely is not None:
            return likely
        if not sheets:
            raise not_xlsx()
        return sheets[0]  # the preview says what it lacks, and offers the other sheets

    def open_workbook(self, data: bytes):
        return open_workbook(data, self.limits)

    def read_sheet(self, data: bytes, name: str | None = None) -> Sheet:
        """Open the workbook (guarded) and keep the values of the sheet `name`, or of the
        likely one; ValidationError when the file is none, too large, or has no such sheet."""
        workbook = self.open_workbook(data)
        try:
            sheet = self.choose_sheet(workbook, name)
            return Sheet(
                sheet.title,
                [tuple(row) for row in sheet.iter_rows(values_only=True)],
                [(m.min_row, m.max_row, m.coord) for m in sheet.merged_cells.ranges],
                [each.title for each in workbook.worksheets],
            )
        finally:
            workbook.close()

    def read_layout(self, sheet: Sheet, mapping: dict[str, str] | None = None) -> Layout:
        """Find the header row and read it, with the user's `mapping` of headers the import
        does not know; ValidationError for a sheet that cannot be read."""
        mapping = mapping or {}
        number, _known_count = header_row(sheet.rows, lambda key: self.known(key, mapping))
        if number is None:
            raise ValidationError(
                _("The sheet '%(sheet)s' is empty.") % {"sheet": sheet.title}, code="empty"
            )
        values = sheet.rows[number - 1]
        for first, last, coord in sheet.merged:
            if first <= number <= last:
                raise ValidationError(
                    _(
                        "The header in row %(row)d has merged cells (%(cells)s). Unmerge them so "
                        "every column has a header of its own."
                    )
                    % {"row": number, "cells": coord},
                    code="merged",
                )
        by_header, by_field = self.by_header, self.by_field
        columns, headers, ignored, unknown, seen = {}, {}, [], [], {}
        errors = []
        for index, value in enumerate(values):
            if blank(value):
                continue
            header = str(value).strip()
            key = normalise(header)
            column = by_header.get(key) or self.dynamic(key)
            if column is None:
                unknown.append((header, mapping.get(key, "")))
                column = by_field.get(mapping.get(key, ""))
            if column is None:
                ignored.append(header)
                continue
            if column in seen:
                errors.append(
                    _("The columns '%(first)s' and '%(second)s' both give the %(field)s.")
                    % {"first": seen[column], "second": header, "field": self.label(column)}
                )
                continue
            seen[column] = header
            columns[index] = column
            headers[index] = header
        missing = [column.header for column in self.required if column not in seen]
        if missing:
            errors.append(
                _("The header row (row %(row)d) has no column %(columns)s.")
                % {"row": number, "columns": " / ".join(f"'{m}'" for m in missing)}
            )
        if errors:
            raise ValidationError(errors, code="headers")
        width = max(i for i, value in enumerate(values) if not blank(value)) + 1
        return Layout(number, columns, headers, ignored, width, unknown)

    def cells(self, row: Row, values: tuple, layout: Layout, context: Context, failed: set):
        """(column, header, value read) of each filled cell of the row; a cell that cannot be
        read (an Excel error, a bad value) adds its problem to `row` and its field to
        `failed`, and is left out."""
        for index, column in layout.columns.items():
            value = values[index] if index < len(values) else None
            if blank(value):
                continue
            header = layout.headers[index]
            try:
                if isinstance(value, str) and value.strip() in EXCEL_ERRORS:
                    raise CellError(
                        _("The cell holds a formula that fails in Excel (%(error)s).")
                        % {"error": value.strip()}
                    )
                yield column, header, column.read(value, context)
            except CellError as error:
                row.errors.append(Problem(str(error), row.row, header))
                failed.add(getattr(column, "field", header))

    def require(self, row: Row, obj, layout: Layout, failed: set) -> None:
        """A problem for each required column left empty in the row."""
        for column in self.required:
            if column.field not in failed and not getattr(obj, column.field, None):
                row.errors.append(
                    Problem(
                        _("The %(field)s is missing.") % {"field": self.label(column)},
                        row.row,
                        layout.header_of(column.field),
                    )
                )
                failed.add(column.field)

    def clean(self, row: Row, obj, layout: Layout, exclude: Iterable[str]) -> None:
        """The model's own checks (`full_clean`), each problem under its column."""
        try:
            obj.full_clean(exclude=sorted(set(exclude)))
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name in exclude:
                    continue
                header = (
                    None
                    if name == NON_FIELD_ERRORS
                    else (layout.header_of(name) or str(obj._meta.get_field(name).verbose_name))
                )
                for message in messages:
                    row.errors.append(Problem(message, row.row, header))

    def clean_fields(self, row: Row, obj, layout: Layout, exclude: Iterable[str]) -> None:
        """The fields' own checks (`clean_fields`: lengths, e-mail addresses …), each under
        its column; for a model whose `clean` would ask the database once per row."""
        exclude = set(exclude)
        try:
            obj.clean_fields(exclude=sorted(exclude))
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name in exclude:
                    continue
                header = layout.header_of(name) or str(obj._meta.get_field(name).verbose_name)
                for message in messages:
                    row.errors.append(Problem(message, row.row, header))

    def parse(
        self, data: "bytes | Sheet", municipality_id: int, choices: Choices | None = None
    ) -> ImportResult:
        """Read and validate the whole file (or its kept sheet) as the user chose; write
        nothing."""
        choices = choices or Choices()
        sheets: list[str] = []
        title = ""
        try:
            sheet = data if isinstance(data, Sheet) else self.read_sheet(data, choices.sheet)
            sheets, title = sheet.sheets or [sheet.title], sheet.title
            layout = self.read_layout(sheet, choices.mapping)
        except ValidationError as error:
            return self.result_class(
                errors=[Problem(message, sheet=title or None) for message in error.messages],
                sheets=sheets,
                sheet=title,
                choices=choices,
            )
        result = self.result_class(
            sheet=sheet.title,
            ignored_headers=layout.ignored,
            sheets=sheets,
            header_row=layout.header_row,
            unknown_headers=layout.unknown,
            choices=choices,
        )
        context = self.load_context(municipality_id, choices.create)
        merged_rows: dict[int, str] = {}
        for first, last, coord in sheet.merged:
            for number in range(first, last + 1):
                merged_rows.setdefault(number, coord)
        rows = (row[: layout.width] for row in sheet.rows[layout.header_row :])
        for number, values in enumerate(rows, start=layout.header_row + 1):
            if all(blank(value) for value in values):
                continue
            if len(result.rows) == self.max_rows:
                result.errors.append(Problem(self.too_many_message()))
                break
            parsed = self.parse_row(number, values, layout, context)
            if number in merged_rows:
                parsed.errors.append(
                    Problem(
                        _("The row has merged cells (%(cells)s). Unmerge them.")
                        % {"cells": merged_rows[number]},
                        number,
                    )
                )
            result.rows.append(parsed)
        self.check(result, layout, context)
        for parsed in result.rows:
            result.errors.extend(parsed.errors)
        if not result.rows and not result.errors:
            result.errors.append(Problem(self.empty_message(sheet.title)))
        for problem in result.errors:
            problem.sheet = sheet.title
        result.missing = {
            kind: sorted(names.values(), key=fold) for kind, names in context.missing.items()
        }
        result.creates = {
            kind: sorted((obj.name for obj in made.values()), key=fold)
            for kind, made in context.new.items()
        }
        result.new = context.new
        result.context = context
        return result

    def commit(self, data: "bytes | Sheet", municipality_id: int, choices: Choices | None = None):
        """Write every row of the file, or none, with the names the user chose to create:
        check the file (or its kept sheet) against the database again, then write in one
        transaction. Raises ImportInvalid (writing nothing) when the file has errors now."""
        with transaction.atomic():
            result = self.parse(data, municipality_id, choices)
            if not result.valid:
                raise ImportInvalid(result)
            return self.write(result)

    # --- Storage between the preview and the commit ---

    def _path(self, municipality_id: int, token: str, suffix: str = "xlsx") -> str:
        return f"{self._folder(municipality_id)}/{token}.{suffix}"

    def _folder(self, municipality_id: int) -> str:
        folder = f"{IMPORT_DIR}/{int(municipality_id)}"
        return f"{folder}/{self.folder}" if self.folder else folder

    def store(self, data: bytes, municipality_id: int, sheet: Sheet | None = None) -> str:
        """Keep an uploaded file for its preview and commit, and its sheet as read at the
        upload; the token names them."""
        self.remove_expired(municipality_id)
        token = uuid.uuid4().hex
        default_storage.save(self._path(municipality_id, token), ContentFile(data))
        if sheet is not None:
            self._keep(municipality_id, token, sheet)
        return token

    def _keep(self, municipality_id: int, token: str, sheet: Sheet) -> None:
        path = self._path(municipality_id, token, "json")
        default_storage.delete(path)
        default_storage.save(path, ContentFile(sheet.to_json()))

    def _live(self, municipality_id: int | None, token: str) -> str | None:
        """The path of the municipality's kept file of that token, or None (unknown, expired,
        another's); an expired file is deleted."""
        if municipality_id is None or not _TOKEN.match(token):
            return None
        path = self._path(municipality_id, token)
        if not default_storage.exists(path):
            return None
        if _expired(path):
            self.discard(municipality_id, token)
            return None
        return path

    def stored(self, municipality_id: int | None, token: str) -> bytes | None:
        """The municipality's kept file of that token, or None (unknown, expired, another's)."""
        path = self._live(municipality_id, token)
        return None if path is None else _read(path)

    def kept(
        self, municipality_id: int | None, token: str, sheet: str | None = None
    ) -> "Sheet | bytes | None":
        """What the preview and the commit read: the sheet kept at the upload (or the sheet
        `sheet` the user chose since); for another sheet, or a file kept without its sheet,
        the sheet read now (and kept in its place), or the file itself when it cannot be read
        (its parse names why). None as for `stored`."""
        path = self._live(municipality_id, token)
        if path is None:
            return None
        assert municipality_id is not None
        text = _read(self._path(municipality_id, token, "json"))
        if text is not None:
            try:
                found = Sheet.from_json(text)
            except (ValueError, KeyError, TypeError):
                pass
            else:
                if sheet is None or found.title == sheet:
                    return found
        data = _read(path)
        if data is None:
            return None
        try:
            read = self.read_sheet(data, sheet)
        except ValidationError:
            return data
        self._keep(municipality_id, token, read)
        return read

    def discard(self, municipality_id: int, token: str) -> None:
        if _TOKEN.match(token):
            default_storage.delete(self._path(municipality_id, token))
            default_storage.delete(self._path(municipality_id, token, "json"))

    def remove_expired(self, municipality_id: int) -> None:
        """Delete the municipality's kept files older than MAX_AGE (abandoned previews)."""
        folder = self._folder(municipality_id)
        try:
            _, files = default_storage.listdir(folder)
        except (OSError, NotImplementedError):
            return
        for name in files:
            path = f"{folder}/{name}"
            if _expired(path):
                default_storage.delete(path)


def _expired(path: str) -> bool:
    try:
        return timezone.now() - default_storage.get_modified_time(path) > MAX_AGE
    except (OSError, NotImplementedError):
        return False


def _read(path: str) -> bytes | None:
    try:
        with default_storage.open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


# --- Carrying the choices through the pages -------------------------------------------------
# The preview's choices travel in its query string and in the commit's hidden fields: the
# sheet (`ark`), each unknown header (`overskrift`) with the field it holds (`felt`), in pairs,
# and what to create (`opret`: `personer`, `enheder`).
CREATE_PARAMS = {"personer": "persons", "enheder": "units"}


def choices_from(data, sheet_import: SheetImport) -> Choices:
    """The user's choices from a query string or a post (a QueryDict); what it does not
    understand it leaves out."""
    headers, fields = data.getlist("overskrift"), data.getlist("felt")
    return sheet_import.choices(
        {
            "sheet": data.get("ark") or None,
            "mapping": dict(zip(headers, fields, strict=False)),
            "create": [CREATE_PARAMS[v] for v in data.getlist("opret") if v in CREATE_PARAMS],
        }
    )


def choice_params(choices: Choices, unknown: list[tuple[str, str]]) -> list:
    """The (name, value) pairs that carry `choices` into the commit's form."""
    pairs = [("ark", choices.sheet)] if choices.sheet else []
    for header, mapped in unknown:
        if mapped:
            pairs += [("overskrift", header), ("felt", mapped)]
    params = {kind: param for param, kind in CREATE_PARAMS.items()}
    pairs += [("opret", params[kind]) for kind in sorted(choices.create)]
    return pairs
