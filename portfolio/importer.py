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

The workbook is read by the shared reader (`documents.spreadsheet`: opening it safely, the
sheet, the header row, the cells, the names, the preview and the commit, the kept upload);
this module says what a project row holds (`ProjectImport`, its one instance `PROJECTS`).

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

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from documents import ooxml, spreadsheet
from documents.spreadsheet import (  # noqa: F401  (the import's vocabulary, used by its tests)
    AMOUNTS,
    EXCEL_ERRORS,
    HEADER_SCAN,
    TEXT,
    CellError,
    ChoiceParser,
    Choices,
    Column,
    Context,
    ImportInvalid,
    Layout,
    Lookup,
    Missing,
    Problem,
    Sheet,
    blank,
    fold,
    normalise,
    not_xlsx,
    parse_amount,
    parse_bool,
    parse_date,
    parse_text,
)
from documents.xlsx import XlsxExporter
from organisation.models import Body, OrgUnit, OrgUnitKind, Person
from portfolio.models import BudgetYear, Category, Phase, Project

# Sheet names looked for first (normalised, see `normalise`); "Portefølje 2024" is one too.
SHEET_NAMES = ("projekter", "portefølje")
# What the import may create when the user asks for it, beside the projects.
CREATABLE = ("persons", "units")
# The most projects one file may hold.
MAX_PROJECTS = 2000
# A sheet of more rows than this is committed by a background job (`portfolio.jobs`).
JOB_ROWS = 300
MAX_MB = spreadsheet.MAX_MB
# What reading one upload may cost (see `documents.ooxml`): the sheet may reach five times
# the rows of MAX_PROJECTS (titles, blank and note rows) and 100,000 cells (2,000 projects of
# 50 columns); the other caps are the shared ones. At the caps a full load takes seconds.
LIMITS = ooxml.Limits(max_rows=5 * MAX_PROJECTS, max_cells=100_000)


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


def _label(name: str):
    return Project._meta.get_field(name).verbose_name


def person_maker(municipality_id: int):
    return lambda name: Person(municipality_id=municipality_id, name=name)


def unit_maker(municipality_id: int):
    """A unit the import creates: a section without a parent."""
    return lambda name: OrgUnit(
        municipality_id=municipality_id, name=name, kind=OrgUnitKind.AFDELING
    )


def unit_lookup(municipality_id: int) -> Lookup:
    return Lookup(
        OrgUnit.objects.filter(municipality_id=municipality_id),
        lambda u: [u.name],
        gettext_lazy("'%(value)s' is not a unit of the municipality."),
        gettext_lazy("'%(value)s' is the name of more than one unit."),
    )


def person_lookup(municipality_id: int) -> Lookup:
    return Lookup(
        Person.objects.filter(municipality_id=municipality_id),
        lambda p: [p.name],
        gettext_lazy("'%(value)s' is not a person of the municipality."),
        gettext_lazy("'%(value)s' is the name of more than one person."),
    )


def body_lookup(municipality_id: int) -> Lookup:
    return Lookup(
        Body.objects.filter(municipality_id=municipality_id),
        lambda b: [b.name, b.short_name],
        gettext_lazy("'%(value)s' is not a governing body of the municipality."),
        gettext_lazy("'%(value)s' is the name of more than one governing body."),
    )


COLUMNS = (
    Column(
        "name",
        ("Projekt", "Projektnavn", "Navn"),
        parse_text,
        TEXT,
        required=True,
        label=_label("name"),
    ),
    Column(
        "code",
        ("Projektnummer", "Projektnr", "Nr", "Nummer"),
        parse_text,
        TEXT,
        label=_label("code"),
    ),
    Column(
        "category",
        ("Kategori",),
        parse_category,
        parse_category.accepted,
        required=True,
        label=_label("category"),
    ),
    Column(
        "kombit",
        ("KOMBIT", "KOMBIT-projekt"),
        parse_bool,
        gettext_lazy("ja, nej or x; empty is no"),
        label=_label("kombit"),
    ),
    Column(
        "lighthouse",
        ("Fyrtårnsprojekt", "Fyrtårn"),
        parse_bool,
        gettext_lazy("ja, nej or x; empty is no"),
        label=_label("lighthouse"),
    ),
    Column(
        "phase",
        ("Fase",),
        parse_phase,
        format_lazy("{}; {}", parse_phase.accepted, gettext_lazy("empty is Idé")),
        label=_label("phase"),
    ),
    Column(
        "owning_unit",
        ("Enhed", "Ejerenhed", "Ejende enhed"),
        "units",
        gettext_lazy("The name of a unit of the municipality"),
        label=_label("owning_unit"),
    ),
    Column(
        "owner",
        ("Projektejer",),
        "persons",
        gettext_lazy("The name of a person of the municipality"),
        label=_label("owner"),
    ),
    Column(
        "leader",
        ("Projektleder",),
        "persons",
        gettext_lazy("The name of a person of the municipality"),
        label=_label("leader"),
    ),
    Column(
        "body",
        ("Styregruppe", "Styrende organ"),
        "bodies",
        gettext_lazy("The name or short name of a body of the municipality"),
        label=_label("body"),
    ),
    Column(
        "start_date",
        ("Startdato", "Start"),
        parse_date,
        gettext_lazy("15-05-2024, 15.05.2024, 15/05/2024, 2024-05-15 or an Excel date"),
        label=_label("start_date"),
    ),
    Column(
        "end_date",
        ("Slutdato", "Slut"),
        parse_date,
        gettext_lazy("15-05-2024, 15.05.2024, 15/05/2024, 2024-05-15 or an Excel date"),
        label=_label("end_date"),
    ),
    Column("purpose", ("Formål",), parse_text, TEXT, label=_label("purpose")),
    Column("deliverables", ("Leverancer",), parse_text, TEXT, label=_label("deliverables")),
    Column(
        "success_criteria", ("Succeskriterier",), parse_text, TEXT, label=_label("success_criteria")
    ),
    Column("scope", ("Afgrænsning",), parse_text, TEXT, label=_label("scope")),
)
REQUIRED = [column for column in COLUMNS if column.required]


@dataclass(frozen=True)
class BudgetColumn:
    """“Budget 2024” (planned) or “Forbrug 2024” (spent); without a year, the start date's."""

    kind: str  # "planned" or "spent"
    year: int | None

    @property
    def field(self) -> str:
        return f"{self.kind} {self.year or ''}".strip()

    def read(self, value, context=None) -> Decimal:
        return parse_amount(value)


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
class ParsedRow(spreadsheet.Row):
    """One row of the file: the project it would create (unsaved) and its budget years."""

    budget_years: list[BudgetYear] = field(default_factory=list)

    @property
    def project(self) -> Project:
        return self.obj


@dataclass
class ImportResult(spreadsheet.ImportResult):
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


# --- The import -----------------------------------------------------------------------------


class ProjectImport(spreadsheet.SheetImport):
    sheet_names = SHEET_NAMES
    columns = COLUMNS
    creatable = CREATABLE
    max_rows = MAX_PROJECTS
    limits = LIMITS
    result_class = ImportResult

    def dynamic(self, key: str):
        return budget_column(key)

    def label(self, column) -> str:
        if isinstance(column, Column):
            return str(column.label)
        label = _("budget") if column.kind == "planned" else _("spending")
        return f"{label} {column.year}" if column.year else str(label)

    def too_many_message(self) -> str:
        return _("The file has more than %(max)d projects. Import them in parts.") % {
            "max": MAX_PROJECTS
        }

    def empty_message(self, sheet: str) -> str:
        return _("The sheet '%(sheet)s' has no projects under the header row.") % {"sheet": sheet}

    def load_context(self, municipality_id: int, create=()) -> Context:
        """Four queries, however many rows the file and the municipality have."""
        return Context(
            municipality_id,
            {
                "units": unit_lookup(municipality_id),
                "persons": person_lookup(municipality_id),
                "bodies": body_lookup(municipality_id),
            },
            makers={
                "persons": person_maker(municipality_id),
                "units": unit_maker(municipality_id),
            },
            create=frozenset(create) & set(CREATABLE),
            data={
                "existing_names": {
                    normalise(name)
                    for name in Project.objects.filter(municipality_id=municipality_id).values_list(
                        "name", flat=True
                    )
                },
            },
        )

    def parse_row(self, number: int, values: tuple, layout: Layout, context: Context) -> ParsedRow:
        project = Project(municipality_id=context.municipality_id)
        parsed = ParsedRow(number, project)
        failed: set = set()  # fields whose cell could not be read: no second error from the model
        amounts: dict[tuple[str, int | None], tuple[str, Decimal]] = {}
        for column, header, value in self.cells(parsed, values, layout, context, failed):
            if isinstance(column, BudgetColumn):
                amounts[(column.kind, column.year)] = (header, value)
            else:
                setattr(project, column.field, value)
        self.require(parsed, project, layout, failed)
        # The related rows were just read from the municipality's own: no query per row.
        exclude = failed | {"municipality", "owning_unit", "owner", "leader", "body"}
        self.clean(parsed, project, layout, exclude)
        parsed.budget_years = _budget_years(parsed, amounts, "start_date" in failed)
        return parsed

    def check(self, result, layout: Layout, context: Context) -> None:
        names: dict[str, int] = {}
        for parsed in result.rows:
            _check_name(parsed, layout, context, names)

    def write(self, result) -> "Committed":
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


PROJECTS = ProjectImport()


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
    if key in context.data["existing_names"]:
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


# --- The module's calls (the views, the job and the tests use these) ---------------------------


def open_workbook(data: bytes):
    """The workbook in `data`, guarded by `LIMITS` (`spreadsheet.open_workbook`)."""
    return spreadsheet.open_workbook(data, LIMITS)


def read_sheet(data: bytes, name: str | None = None) -> Sheet:
    return PROJECTS.read_sheet(data, name)


def check_structure(data: bytes) -> Sheet:
    """The file's likely sheet; ValidationError when the file is no workbook or too large."""
    return PROJECTS.read_sheet(data)


def parse(data, municipality_id: int, choices: Choices | None = None) -> ImportResult:
    """Read and validate the whole file (or its kept sheet) as the user chose; create
    nothing."""
    return PROJECTS.parse(data, municipality_id, choices)


def commit(data, municipality_id: int, choices: Choices | None = None) -> "Committed":
    """Create every project of the file, or none (`SheetImport.commit`)."""
    return PROJECTS.commit(data, municipality_id, choices)


store = PROJECTS.store
stored = PROJECTS.stored
kept = PROJECTS.kept
discard = PROJECTS.discard
remove_expired = PROJECTS.remove_expired


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
