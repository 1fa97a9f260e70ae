"""Import of an existing portfolio from an Excel workbook (.xlsx): parse, validate, create.

No HTTP here; `portfolio.views.imports` translates requests into these calls.

The workbook
- The sheet is the one the user picked in the preview (`Choices.sheet`); else one named
  "Projekter" or "Portefølje" (any case, also with more after it: "Portefølje 2024"); else
  the one whose header row holds the most headers the import knows (a notes sheet first is
  passed over); else the first. The preview lists every sheet.
- The header row is the one among the first `HEADER_SCAN` rows with values that holds the
  most known headers (title rows, merged or not, notes and blank rows above it are skipped);
  the preview says which row it took. Headers are Danish, read without regard to case and
  spaces, with synonyms (`COLUMNS`); "Budget 2024" and "Forbrug 2024" give the planned and
  spent amounts of a year, "Budget" and "Forbrug" those of the start date's year. A header
  not understood is ignored, with a warning, unless the user says what it holds
  (`Choices.mapping`). A merged header cell is an error: the columns under it would have no
  header.
- Every following row is a project. Blank rows are skipped; a row with values but no name is
  an error. Dates: 15-05-2024, 15.05.2024, 15/05/2024, 2024-05-15 or an Excel date. Amounts:
  1.250.000 kr., 1.250.000, 1250000, 1.250.000,50 or an Excel number. A cell holding one of
  Excel's errors (a formula that failed, #DIV/0!) is an error naming it.

The import only creates projects: a name that is already a project of the municipality, or
that appears twice in the file, is an error. Units, people and governing bodies are found by
name (a body also by its short name): as written first, then without regard to case and
accents (`fold`). The names of units and people not found are listed (`ImportResult.missing`);
when the user chooses to (`Choices.create`), the commit creates them (people; units as
sections without a parent) in its transaction. Governing bodies are never created.

What an upload may cost is bounded before openpyxl sees it: `documents.ooxml.check_workbook`
refuses a file whose parts unpack to more than `LIMITS` allows (a zip bomb), or whose sheets
reach more rows, columns or cells than it allows, with a Danish message naming what is too
large. `read_sheet` then loads the workbook once (merged cells need the full load) and keeps
only the chosen sheet's values and merged ranges: a `Sheet`.

`parse(data, municipality_id)` reads everything and returns an `ImportResult`: the projects
that would be created (unsaved) and every error, each naming its Excel row and column.
`commit(data, municipality_id)` parses again and creates all the projects in one transaction,
or raises `ImportInvalid` and writes nothing. Both take the file's bytes or its `Sheet`.

Between the preview and the commit the upload is kept in the default storage under
`imports/<municipality id>/<token>.xlsx` (`store`, `stored`, `discard`), its `Sheet` beside it
as `<token>.json`: the preview and the commit read the kept sheet (`kept`) and check it against
the database as it is then, without opening the workbook again. A file is only ever looked up
under the asking user's municipality, and files older than `MAX_AGE` are gone.
"""

import datetime
import io
import json
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import openpyxl
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from documents import ooxml
from documents.xlsx import XlsxExporter
from organisation.models import Body, OrgUnit, OrgUnitKind, Person
from portfolio.models import BudgetYear, Category, Phase, Project

# Sheet names looked for first (normalised, see `normalise`); "Portefølje 2024" is one too.
SHEET_NAMES = ("projekter", "portefølje")
# The header row is looked for among this many first rows with values (title rows, notes and
# blank rows above it are skipped).
HEADER_SCAN = 30
# What the import may create when the user asks for it, beside the projects.
CREATABLE = ("persons", "units")
# The most projects one file may hold.
MAX_PROJECTS = 2000
# A sheet of more rows than this is committed by a background job (`portfolio.jobs`).
JOB_ROWS = 300
# The largest upload accepted, in megabytes.
MAX_MB = 5
# How long an uploaded file waits for its commit.
MAX_AGE = datetime.timedelta(days=1)
IMPORT_DIR = "imports"
# What reading one upload may cost (see `documents.ooxml`): the sheet may reach five times
# the rows of MAX_PROJECTS (titles, blank and note rows) and 100,000 cells (2,000 projects of
# 50 columns); the other caps are the shared ones. At the caps a full load takes seconds.
LIMITS = ooxml.Limits(max_rows=5 * MAX_PROJECTS, max_cells=100_000)
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


# --- Errors ---------------------------------------------------------------------------------


@dataclass
class Problem:
    """One problem of the file: in a row (its Excel number) and column, or of the whole file."""

    message: str
    row: int | None = None
    column: str | None = None

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


class CellError(ValueError):
    """A cell's value cannot be read as what its column holds; the message says why."""


class Missing(CellError):
    """A name that is no unit or person of the municipality (the import may create it)."""

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


def _shown(value) -> str:
    """The value as the user typed it, for a message."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d-%m-%Y")
    return str(value).strip()


def parse_text(value, context=None) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d-%m-%Y")
    return str(value).strip()


DATE_FORMATS = ("%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d")


def parse_date(value, context=None) -> datetime.date:
    """An Excel date, or text as 15-05-2024, 15.05.2024, 15/05/2024 or 2024-05-15."""
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
    raise CellError(
        _("'%(value)s' is not a valid date. Write it as dd-mm-yyyy.") % {"value": _shown(value)}
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
        % {"value": _shown(value)}
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
    raise CellError(_("'%(value)s' is not yes or no. Write ja or nej.") % {"value": _shown(value)})


class ChoiceParser:
    """Reads a choice by its Danish names (or its code); `accepted` lists the names."""

    def __init__(self, names: dict[str, str], choices, message):
        self.names = {**{normalise(code): code for code in choices.values}, **names}
        self.accepted = ", ".join(names)
        self.message = message

    def __call__(self, value, context=None) -> str:
        found = self.names.get(normalise(value))
        if found is None:
            raise CellError(str(self.message) % {"value": _shown(value), "accepted": self.accepted})
        return found


CATEGORY_NAMES = {
    "national/fælleskommunal": Category.NATIONAL,
    "national": Category.NATIONAL,
    "fælleskommunal": Category.NATIONAL,
    "tværkommunal": Category.CROSS_MUNICIPAL,
    "tværgående": Category.CROSS_CUTTING,
    "lokal": Category.LOCAL,
}
PHASE_NAMES = {
    "idé": Phase.IDEA,
    "ide": Phase.IDEA,
    "analyse": Phase.ANALYSIS,
    "anskaffelse": Phase.PROCUREMENT,
    "gennemførelse": Phase.IMPLEMENTATION,
    "realisering": Phase.REALISATION,
    "gevinstrealisering": Phase.REALISATION,
    "afsluttet": Phase.CLOSED,
}
parse_category = ChoiceParser(
    CATEGORY_NAMES,
    Category,
    gettext_lazy("'%(value)s' is not a category. Use one of: %(accepted)s."),
)
parse_phase = ChoiceParser(
    PHASE_NAMES, Phase, gettext_lazy("'%(value)s' is not a phase. Use one of: %(accepted)s.")
)


class Lookup:
    """Rows of the municipality found by name (and other keys): as written first, then
    without regard to case and accents (`fold`)."""

    def __init__(self, objects: Iterable, keys: Callable, not_found, ambiguous):
        self.exact: dict[str, list] = {}
        self.folded: dict[str, list] = {}
        for obj in objects:
            for key in {_written(k) for k in keys(obj) if k}:
                self.exact.setdefault(key, []).append(obj)
            for key in {fold(k) for k in keys(obj) if k}:
                self.folded.setdefault(key, []).append(obj)
        self.not_found = not_found
        self.ambiguous = ambiguous

    def __call__(self, value, context=None):
        for found in (self.exact.get(_written(value), []), self.folded.get(fold(value), [])):
            if len(found) > 1:
                # Two people of the same name: the active one, if only one of them is.
                active = [obj for obj in found if getattr(obj, "active", True)]
                if len(active) == 1:
                    return active[0]
                raise CellError(str(self.ambiguous) % {"value": _shown(value)})
            if len(found) == 1:
                return found[0]
        raise Missing(str(self.not_found) % {"value": _shown(value)}, _written(value))


def _written(value) -> str:
    """The value as written, its spaces tidied: how a name is compared first."""
    return " ".join(str(value).replace("\xa0", " ").split())


@dataclass
class Context:
    """What a row is read against: the municipality's units, people, bodies and projects."""

    municipality_id: int
    units: Lookup
    persons: Lookup
    bodies: Lookup
    existing_names: set[str]
    # What the user chose to create (`CREATABLE`), the names not found of each kind ({folded:
    # as written}) and the rows made for them (unsaved until the commit).
    create: frozenset = frozenset()
    missing: dict[str, dict[str, str]] = field(default_factory=dict)
    new: dict[str, dict[str, Person | OrgUnit]] = field(default_factory=dict)

    def find(self, kind: str, value):
        """The unit, person or body named `value`; a missing unit or person is made (once
        per name) when the user chose to create them, else a CellError."""
        try:
            return getattr(self, kind)(value)
        except Missing as missing:
            key = fold(missing.name)
            if kind not in CREATABLE:
                raise
            self.missing.setdefault(kind, {}).setdefault(key, missing.name)
            if kind not in self.create:
                raise
            made = self.new.setdefault(kind, {})
            if key not in made:
                made[key] = (
                    Person(municipality_id=self.municipality_id, name=missing.name)
                    if kind == "persons"
                    else OrgUnit(
                        municipality_id=self.municipality_id,
                        name=missing.name,
                        kind=OrgUnitKind.AFDELING,
                    )
                )
            return made[key]

    @classmethod
    def load(cls, municipality_id: int, create: Iterable[str] = ()) -> "Context":
        """Four queries, however many rows the file and the municipality have."""
        return cls(
            municipality_id,
            create=frozenset(create) & set(CREATABLE),
            units=Lookup(
                OrgUnit.objects.filter(municipality_id=municipality_id),
                lambda u: [u.name],
                gettext_lazy("'%(value)s' is not a unit of the municipality."),
                gettext_lazy("'%(value)s' is the name of more than one unit."),
            ),
            persons=Lookup(
                Person.objects.filter(municipality_id=municipality_id),
                lambda p: [p.name],
                gettext_lazy("'%(value)s' is not a person of the municipality."),
                gettext_lazy("'%(value)s' is the name of more than one person."),
            ),
            bodies=Lookup(
                Body.objects.filter(municipality_id=municipality_id),
                lambda b: [b.name, b.short_name],
                gettext_lazy("'%(value)s' is not a governing body of the municipality."),
                gettext_lazy("'%(value)s' is the name of more than one governing body."),
            ),
            existing_names={
                normalise(name)
                for name in Project.objects.filter(municipality_id=municipality_id).values_list(
                    "name", flat=True
                )
            },
        )


# --- Columns --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column the import understands: the project field, its Danish headers (the first is
    the one the template uses), and how a cell is read."""

    field: str
    headers: tuple[str, ...]
    parse: Callable | str  # a function, or the name of the context's lookup
    accepts: object = ""
    required: bool = False

    @property
    def label(self):
        return Project._meta.get_field(self.field).verbose_name

    @property
    def header(self) -> str:
        return self.headers[0]

    @property
    def synonyms(self) -> tuple[str, ...]:
        return self.headers[1:]

    def read(self, value, context: Context):
        if isinstance(self.parse, str):
            return context.find(self.parse, value)
        return self.parse(value, context)


TEXT = gettext_lazy("Text")
COLUMNS = (
    Column("name", ("Projekt", "Projektnavn", "Navn"), parse_text, TEXT, required=True),
    Column("code", ("Projektnummer", "Projektnr", "Nr", "Nummer"), parse_text, TEXT),
    Column("category", ("Kategori",), parse_category, parse_category.accepted, required=True),
    Column(
        "kombit",
        ("KOMBIT", "KOMBIT-projekt"),
        parse_bool,
        gettext_lazy("ja, nej or x; empty is no"),
    ),
    Column(
        "lighthouse",
        ("Fyrtårnsprojekt", "Fyrtårn"),
        parse_bool,
        gettext_lazy("ja, nej or x; empty is no"),
    ),
    Column(
        "phase",
        ("Fase",),
        parse_phase,
        format_lazy("{}; {}", parse_phase.accepted, gettext_lazy("empty is Idé")),
    ),
    Column(
        "owning_unit",
        ("Enhed", "Ejerenhed", "Ejende enhed"),
        "units",
        gettext_lazy("The name of a unit of the municipality"),
    ),
    Column(
        "owner",
        ("Projektejer",),
        "persons",
        gettext_lazy("The name of a person of the municipality"),
    ),
    Column(
        "leader",
        ("Projektleder",),
        "persons",
        gettext_lazy("The name of a person of the municipality"),
    ),
    Column(
        "body",
        ("Styregruppe", "Styrende organ"),
        "bodies",
        gettext_lazy("The name or short name of a body of the municipality"),
    ),
    Column(
        "start_date",
        ("Startdato", "Start"),
        parse_date,
        gettext_lazy("15-05-2024, 15.05.2024, 15/05/2024, 2024-05-15 or an Excel date"),
    ),
    Column(
        "end_date",
        ("Slutdato", "Slut"),
        parse_date,
        gettext_lazy("15-05-2024, 15.05.2024, 15/05/2024, 2024-05-15 or an Excel date"),
    ),
    Column("purpose", ("Formål",), parse_text, TEXT),
    Column("deliverables", ("Leverancer",), parse_text, TEXT),
    Column("success_criteria", ("Succeskriterier",), parse_text, TEXT),
    Column("scope", ("Afgrænsning",), parse_text, TEXT),
)
REQUIRED = [column for column in COLUMNS if column.required]
_BY_HEADER = {normalise(h): column for column in COLUMNS for h in column.headers}
_BY_FIELD = {column.field: column for column in COLUMNS}
AMOUNTS = gettext_lazy("1.250.000 kr., 1.250.000, 1250000, 1.250.000,50 or an Excel number")


@dataclass(frozen=True)
class BudgetColumn:
    """“Budget 2024” (planned) or “Forbrug 2024” (spent); without a year, the start date's."""

    kind: str  # "planned" or "spent"
    year: int | None


_BUDGET = re.compile(r"^(budget|forbrug)(?: (\d{4}))?$")
_BUDGET_UNIT = re.compile(r"\s*\(?(kr\.?|dkk)\)?$")


def budget_column(header: str) -> BudgetColumn | None:
    match = _BUDGET.match(_BUDGET_UNIT.sub("", header))
    if not match:
        return None
    kind = "planned" if match.group(1) == "budget" else "spent"
    return BudgetColumn(kind, int(match.group(2)) if match.group(2) else None)


def budget_help() -> list[dict]:
    """The budget headers, for the page that explains the file."""
    return [
        {
            "header": "Budget 2024",
            "synonyms": ("Budget",),
            "label": gettext_lazy(
                "planned budget of the year (without a year: the start date's year)"
            ),
            "accepts": AMOUNTS,
        },
        {
            "header": "Forbrug 2024",
            "synonyms": ("Forbrug",),
            "label": gettext_lazy("spent in the year (without a year: the start date's year)"),
            "accepts": AMOUNTS,
        },
    ]


# --- The result -----------------------------------------------------------------------------


@dataclass
class ParsedRow:
    """One row of the file: the project it would create (unsaved) and its budget years."""

    row: int
    project: Project
    budget_years: list[BudgetYear] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)


@dataclass
class Choices:
    """What the user chose in the preview: the sheet (None: the likely one), what an unknown
    column holds ({header as normalised: project field}), and what to create (`CREATABLE`)."""

    sheet: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    create: frozenset = frozenset()

    def to_dict(self) -> dict:
        return {"sheet": self.sheet, "mapping": self.mapping, "create": sorted(self.create)}

    @classmethod
    def from_dict(cls, values: dict | None) -> "Choices":
        values = values or {}
        return cls(
            values.get("sheet") or None,
            {
                normalise(header): name
                for header, name in (values.get("mapping") or {}).items()
                if name in _BY_FIELD
            },
            frozenset(values.get("create") or ()) & set(CREATABLE),
        )


@dataclass
class ImportResult:
    sheet: str = ""
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)  # every sheet of the workbook
    header_row: int | None = None
    # The headers not understood by name, as written, with the field the user gave each
    # ("" for none): the mapping step of the preview.
    unknown_headers: list[tuple[str, str]] = field(default_factory=list)
    # Names not found, as written, by kind (`CREATABLE`), sorted; and what the commit creates.
    missing: dict[str, list[str]] = field(default_factory=dict)
    creates: dict[str, list[str]] = field(default_factory=dict)
    choices: Choices = field(default_factory=Choices)
    new: dict[str, dict] = field(default_factory=dict)  # the rows the commit creates, unsaved

    @property
    def valid(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def budget_years(self) -> list[int]:
        """The years that have a budget in some row: the columns of the preview."""
        return sorted({b.year for row in self.rows for b in row.budget_years})

    def preview(self) -> list[tuple[ParsedRow, list[BudgetYear | None]]]:
        """Each row with its budget of each of `budget_years` (None where it has none)."""
        years = self.budget_years
        lines = []
        for row in self.rows:
            by_year = {budget.year: budget for budget in row.budget_years}
            lines.append((row, [by_year.get(year) for year in years]))
        return lines


# --- The sheet ------------------------------------------------------------------------------


def open_workbook(data: bytes):
    """The workbook in `data` (values, not formulas), or ValidationError when it is none or
    would cost more than `LIMITS` to load."""
    ooxml.check_workbook(data, LIMITS)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # openpyxl raises many kinds of errors on a broken file
        raise not_xlsx() from error


@dataclass
class Sheet:
    """The chosen sheet as the import reads it: its title, the values of its rows (row 1
    first) and its merged ranges (first row, last row, “A1:D1”). Kept as JSON beside the
    upload, so the preview does not open the workbook again."""

    title: str
    rows: list[tuple]
    merged: list[tuple[int, int, str]] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)  # the titles of every sheet of the file

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


def read_sheet(data: bytes, name: str | None = None) -> Sheet:
    """Open the workbook (guarded) and keep the values of the sheet `name`, or of the likely
    one (`choose_sheet`); ValidationError when the file is none, too large, or has no such
    sheet."""
    workbook = open_workbook(data)
    try:
        sheet = choose_sheet(workbook, name)
        return Sheet(
            sheet.title,
            [tuple(row) for row in sheet.iter_rows(values_only=True)],
            [(m.min_row, m.max_row, m.coord) for m in sheet.merged_cells.ranges],
            [each.title for each in workbook.worksheets],
        )
    finally:
        workbook.close()


def choose_sheet(workbook, name: str | None = None):
    """The sheet named `name`; else the likely one: named "Projekter" or "Portefølje" (also
    with more after it, as "Portefølje 2024"), else the one whose header row holds the most
    headers the import knows (a notes sheet holds none), else the first sheet."""
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
        if any(title == known or title.startswith(known + " ") for known in SHEET_NAMES):
            return sheet
    likely, most = None, 0
    for sheet in sheets:
        rows = list(sheet.iter_rows(values_only=True, max_row=4 * HEADER_SCAN))
        known = _header_row(rows, {})[1]
        if known > most:
            likely, most = sheet, known
    if likely is not None:
        return likely
    if not sheets:
        raise not_xlsx()
    return sheets[0]  # the preview says what it lacks, and offers the other sheets


def _known(key: str, mapping: dict[str, str]) -> bool:
    return key in _BY_HEADER or key in mapping or budget_column(key) is not None


def _header_row(rows: list[tuple], mapping: dict[str, str]) -> tuple[int | None, int]:
    """(row number, headers known) of the header row among the first HEADER_SCAN rows with
    values: the one holding the most headers the import knows (or the user mapped), the first
    of them on a tie; the first row with values when none holds one; (None, 0) when empty."""
    first, best, best_score, seen = None, None, 0, 0
    for number, row in enumerate(rows, start=1):
        values = [value for value in row if not blank(value)]
        if not values:
            continue
        first = first or number
        score = sum(1 for value in values if _known(normalise(value), mapping))
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
    columns: dict[int, Column | BudgetColumn]  # 0-based column index -> what it holds
    headers: dict[int, str]  # 0-based column index -> the header as written
    ignored: list[str]
    width: int  # up to the last column with a header
    unknown: list[tuple[str, str]] = field(default_factory=list)  # (header, mapped field)

    def header_of(self, field_name: str) -> str | None:
        for index, column in self.columns.items():
            if isinstance(column, Column) and column.field == field_name:
                return self.headers[index]
        return None


def read_layout(sheet: Sheet, mapping: dict[str, str] | None = None) -> Layout:
    """Find the header row (`_header_row`) and read it, with the user's `mapping` of headers
    the import does not know; ValidationError for a sheet that cannot be read."""
    mapping = mapping or {}
    header_row, _known_count = _header_row(sheet.rows, mapping)
    if header_row is None:
        raise ValidationError(
            _("The sheet '%(sheet)s' is empty.") % {"sheet": sheet.title}, code="empty"
        )
    values = sheet.rows[header_row - 1]
    for first, last, coord in sheet.merged:
        if first <= header_row <= last:
            raise ValidationError(
                _(
                    "The header in row %(row)d has merged cells (%(cells)s). Unmerge them so "
                    "every column has a header of its own."
                )
                % {"row": header_row, "cells": coord},
                code="merged",
            )
    columns, headers, ignored, unknown, seen = {}, {}, [], [], {}
    errors = []
    for index, value in enumerate(values):
        if blank(value):
            continue
        header = str(value).strip()
        key = normalise(header)
        column = _BY_HEADER.get(key) or budget_column(key)
        if column is None:
            unknown.append((header, mapping.get(key, "")))
            column = _BY_FIELD.get(mapping.get(key, ""))
        if column is None:
            ignored.append(header)
            continue
        if column in seen:
            errors.append(
                _("The columns '%(first)s' and '%(second)s' both give the %(field)s.")
                % {"first": seen[column], "second": header, "field": _column_label(column)}
            )
            continue
        seen[column] = header
        columns[index] = column
        headers[index] = header
    missing = [column.header for column in REQUIRED if column not in seen]
    if missing:
        errors.append(
            _("The header row (row %(row)d) has no column %(columns)s.")
            % {"row": header_row, "columns": " / ".join(f"'{m}'" for m in missing)}
        )
    if errors:
        raise ValidationError(errors, code="headers")
    width = max(i for i, value in enumerate(values) if not blank(value)) + 1
    return Layout(header_row, columns, headers, ignored, width, unknown)


def _column_label(column) -> str:
    if isinstance(column, Column):
        return str(column.label)
    label = _("budget") if column.kind == "planned" else _("spending")
    return f"{label} {column.year}" if column.year else str(label)


def check_structure(data: bytes) -> Sheet:
    """The file's likely sheet; ValidationError when the file is no workbook or is too large.
    What the sheet lacks (a header, a column) the preview says, where the user may choose
    another sheet or say what a column holds."""
    return read_sheet(data)


# --- Parsing --------------------------------------------------------------------------------


def parse(
    data: bytes | Sheet, municipality_id: int, choices: Choices | None = None
) -> ImportResult:
    """Read and validate the whole file (or its kept sheet) as the user chose; create
    nothing."""
    choices = choices or Choices()
    sheets: list[str] = []
    try:
        sheet = data if isinstance(data, Sheet) else read_sheet(data, choices.sheet)
        sheets = sheet.sheets or [sheet.title]
        layout = read_layout(sheet, choices.mapping)
    except ValidationError as error:
        return ImportResult(
            errors=[Problem(message) for message in error.messages],
            sheets=sheets,
            sheet=sheets and sheet.title or "",
            choices=choices,
        )
    result = ImportResult(
        sheet=sheet.title,
        ignored_headers=layout.ignored,
        sheets=sheets,
        header_row=layout.header_row,
        unknown_headers=layout.unknown,
        choices=choices,
    )
    context = Context.load(municipality_id, choices.create)
    merged_rows: dict[int, str] = {}
    for first, last, coord in sheet.merged:
        for number in range(first, last + 1):
            merged_rows.setdefault(number, coord)
    names: dict[str, int] = {}
    rows = (row[: layout.width] for row in sheet.rows[layout.header_row :])
    for number, values in enumerate(rows, start=layout.header_row + 1):
        if all(blank(value) for value in values):
            continue
        if len(result.rows) == MAX_PROJECTS:
            result.errors.append(
                Problem(
                    _("The file has more than %(max)d projects. Import them in parts.")
                    % {"max": MAX_PROJECTS}
                )
            )
            break
        parsed = _parse_row(number, values, layout, context)
        if number in merged_rows:
            parsed.errors.append(
                Problem(
                    _("The row has merged cells (%(cells)s). Unmerge them.")
                    % {"cells": merged_rows[number]},
                    number,
                )
            )
        _check_name(parsed, layout, context, names)
        result.rows.append(parsed)
        result.errors.extend(parsed.errors)
    if not result.rows and not result.errors:
        result.errors.append(
            Problem(
                _("The sheet '%(sheet)s' has no projects under the header row.")
                % {"sheet": sheet.title}
            )
        )
    result.missing = {
        kind: sorted(names.values(), key=fold) for kind, names in context.missing.items()
    }
    result.creates = {
        kind: sorted((obj.name for obj in made.values()), key=fold)
        for kind, made in context.new.items()
    }
    result.new = context.new
    return result


def _parse_row(number: int, values: tuple, layout: Layout, context: Context) -> ParsedRow:
    project = Project(municipality_id=context.municipality_id)
    parsed = ParsedRow(number, project)
    failed = set()  # fields whose cell could not be read: no second error from the model
    amounts: dict[tuple[str, int | None], tuple[str, Decimal]] = {}
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
            if isinstance(column, BudgetColumn):
                amounts[(column.kind, column.year)] = (header, parse_amount(value))
            else:
                setattr(project, column.field, column.read(value, context))
        except CellError as error:
            parsed.errors.append(Problem(str(error), number, header))
            failed.add(column.field if isinstance(column, Column) else header)
    for column in REQUIRED:
        if column.field not in failed and not getattr(project, column.field):
            header = layout.header_of(column.field)
            parsed.errors.append(
                Problem(_("The %(field)s is missing.") % {"field": column.label}, number, header)
            )
            failed.add(column.field)
    # The related rows were just read from the municipality's own: no query per row for them.
    exclude = failed | {"municipality", "owning_unit", "owner", "leader", "body"}
    try:
        project.full_clean(exclude=sorted(exclude))
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            if name in failed:
                continue
            header = (
                None
                if name == NON_FIELD_ERRORS
                else (layout.header_of(name) or str(Project._meta.get_field(name).verbose_name))
            )
            for message in messages:
                parsed.errors.append(Problem(message, number, header))
    parsed.budget_years = _budget_years(parsed, amounts, "start_date" in failed)
    return parsed


def _budget_years(parsed: ParsedRow, amounts: dict, start_failed: bool) -> list[BudgetYear]:
    """One BudgetYear per year with an amount; a column without a year is the start year's."""
    project, number = parsed.project, parsed.row
    years: dict[int, BudgetYear] = {}
    headers: dict[int, list[str]] = {}
    given: dict[tuple[int, str], str] = {}
    for (kind, year), (header, amount) in sorted(
        amounts.items(), key=lambda item: item[0][1] is None
    ):
        if year is None:
            if project.start_date is None:
                if not start_failed:
                    parsed.errors.append(
                        Problem(
                            _(
                                "Without a start date the year of the amount is unknown. Give the "
                                "start date, or write the year in the header (“%(header)s 2024”)."
                            )
                            % {"header": header},
                            number,
                            header,
                        )
                    )
                continue
            year = project.start_date.year
        if (year, kind) in given:
            parsed.errors.append(
                Problem(
                    _("The amount of %(year)d is also in the column '%(other)s'.")
                    % {"year": year, "other": given[(year, kind)]},
                    number,
                    header,
                )
            )
            continue
        given[(year, kind)] = header
        budget = years.setdefault(
            year, BudgetYear(municipality_id=project.municipality_id, year=year)
        )
        setattr(budget, kind, amount)
        headers.setdefault(year, []).append(header)
    for year, budget in years.items():
        try:
            budget.full_clean(exclude=["project", "municipality"])
        except ValidationError as error:
            for messages in error.message_dict.values():
                for message in messages:
                    parsed.errors.append(Problem(message, number, " / ".join(headers[year])))
    return [years[year] for year in sorted(years)]


def _check_name(parsed: ParsedRow, layout: Layout, context: Context, names: dict) -> None:
    """A name already in the portfolio, or twice in the file, is an error (create only)."""
    name = parsed.project.name
    if not name:
        return
    key = normalise(name)
    header = layout.header_of("name")
    if key in context.existing_names:
        parsed.errors.append(
            Problem(
                _(
                    "A project named '%(name)s' already exists. The import only creates new "
                    "projects."
                )
                % {"name": name},
                parsed.row,
                header,
            )
        )
    elif key in names:
        parsed.errors.append(
            Problem(
                _(
                    "'%(name)s' is also the name in row %(row)d. Each project must have its own "
                    "name."
                )
                % {"name": name, "row": names[key]},
                parsed.row,
                header,
            )
        )
    else:
        names[key] = parsed.row


# --- Creating -------------------------------------------------------------------------------


@dataclass
class Committed:
    """What a commit created."""

    projects: int
    persons: int = 0
    units: int = 0

    def message(self) -> str:
        """“12 projects imported.”, and the people and units created with them."""
        parts = [
            ngettext("%(count)d project imported.", "%(count)d projects imported.", self.projects)
            % {"count": self.projects}
        ]
        if self.persons:
            parts.append(
                ngettext("%(count)d person created.", "%(count)d people created.", self.persons)
                % {"count": self.persons}
            )
        if self.units:
            parts.append(
                ngettext("%(count)d unit created.", "%(count)d units created.", self.units)
                % {"count": self.units}
            )
        return " ".join(parts)


def commit(data: bytes | Sheet, municipality_id: int, choices: Choices | None = None) -> Committed:
    """Create every project of the file, or none, with the units and people the user chose
    to create: check the file (or its kept sheet) against the database again, then write in
    one transaction.

    Raises ImportInvalid (writing nothing) when the file has errors now.
    """
    with transaction.atomic():
        result = parse(data, municipality_id, choices)
        if not result.valid:
            raise ImportInvalid(result)
        for kind in ("units", "persons"):  # before the projects that point at them
            for obj in result.new.get(kind, {}).values():
                obj.save()
        for row in result.rows:
            row.project.save()
            for budget in row.budget_years:
                budget.project = row.project
                budget.save()
    return Committed(
        len(result.rows),
        persons=len(result.new.get("persons", {})),
        units=len(result.new.get("units", {})),
    )


# --- The template file ----------------------------------------------------------------------


class ImportTemplate(XlsxExporter):
    """An empty sheet “Projekter” with every header the import understands."""

    sheet_title = "Projekter"

    def __init__(self, year: int):
        budget = [f"Budget {year}", f"Forbrug {year}"]
        headers = [column.header for column in COLUMNS]
        at = headers.index("Slutdato") + 1
        self.columns = headers[:at] + budget + headers[at:]

    def rows(self):
        return []


# --- Storage between the preview and the commit ---------------------------------------------


def _path(municipality_id: int, token: str, suffix: str = "xlsx") -> str:
    return f"{IMPORT_DIR}/{int(municipality_id)}/{token}.{suffix}"


def store(data: bytes, municipality_id: int, sheet: Sheet | None = None) -> str:
    """Keep an uploaded file for its preview and commit, and its sheet as read at the upload;
    the token names them."""
    remove_expired(municipality_id)
    token = uuid.uuid4().hex
    default_storage.save(_path(municipality_id, token), ContentFile(data))
    if sheet is not None:
        _keep(municipality_id, token, sheet)
    return token


def _keep(municipality_id: int, token: str, sheet: Sheet) -> None:
    path = _path(municipality_id, token, "json")
    default_storage.delete(path)
    default_storage.save(path, ContentFile(sheet.to_json()))


def _expired(path: str) -> bool:
    try:
        return timezone.now() - default_storage.get_modified_time(path) > MAX_AGE
    except (OSError, NotImplementedError):
        return False


def _live(municipality_id: int | None, token: str) -> str | None:
    """The path of the municipality's kept file of that token, or None (unknown, expired,
    another's); an expired file is deleted."""
    if municipality_id is None or not _TOKEN.match(token):
        return None
    path = _path(municipality_id, token)
    if not default_storage.exists(path):
        return None
    if _expired(path):
        discard(municipality_id, token)
        return None
    return path


def _read(path: str) -> bytes | None:
    try:
        with default_storage.open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def stored(municipality_id: int | None, token: str) -> bytes | None:
    """The municipality's kept file of that token, or None (unknown, expired, another's)."""
    path = _live(municipality_id, token)
    return None if path is None else _read(path)


def kept(municipality_id: int | None, token: str, sheet: str | None = None) -> Sheet | bytes | None:
    """What the preview and the commit read: the sheet kept at the upload (or the sheet
    `sheet` the user chose since); for another sheet, or a file kept without its sheet, the
    sheet read now (and kept in its place), or the file itself when it cannot be read (its
    parse names why). None as for `stored`."""
    path = _live(municipality_id, token)
    if path is None:
        return None
    assert municipality_id is not None
    text = _read(_path(municipality_id, token, "json"))
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
        read = read_sheet(data, sheet)
    except ValidationError:
        return data
    _keep(municipality_id, token, read)
    return read


def discard(municipality_id: int, token: str) -> None:
    if _TOKEN.match(token):
        default_storage.delete(_path(municipality_id, token))
        default_storage.delete(_path(municipality_id, token, "json"))


def remove_expired(municipality_id: int) -> None:
    """Delete the municipality's kept files older than MAX_AGE (abandoned previews)."""
    folder = f"{IMPORT_DIR}/{int(municipality_id)}"
    try:
        _, files = default_storage.listdir(folder)
    except (OSError, NotImplementedError):
        return
    for name in files:
        path = f"{folder}/{name}"
        if _expired(path):
            default_storage.delete(path)
