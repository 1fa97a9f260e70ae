"""Import of benefits and their measurements from Excel, on the shared reader
(`documents.spreadsheet`: the sheet, the header row below title rows and notes, Danish headers
and synonyms with a mapping step, Danish dates and amounts, Excel's errors, names matched as
written first and then without regard to case and accents).

The sheet (“Gevinster”, else the one whose headers the import knows) is kept the way a
municipality keeps its benefits: one row per benefit, or one row per measurement of a benefit
(several rows for one benefit, its facts repeated or left empty after the first):

- **Projekt** (required): the project's name or project number. Never created; another
  municipality's project is not found.
- **Gevinst** (required): the benefit's title. A benefit of the project with that title
  (without regard to case and accents) is updated, not created again.
- Type, Enhed/måleenhed, Summeres, Baseline, Baselinedato, Mål, Måldato, Målemetode, Måles,
  Ansvarlig (a person of the municipality; one not found is created when the user chooses),
  Beskrivelse: the benefit's facts. An empty cell leaves the fact as it is.
- **Dato** + **Værdi** (+ Note): one measurement of the benefit on that day, recorded by
  `benefits.services.record_measurement` as on the measurement page. A measurement already
  recorded on that day with that value is not recorded again; another value that day is an
  error (the import does not change measurements).
- Year columns: “2024” or “Realiseret 2024” is what was realised in a year that has begun,
  recorded as one measurement on the year's last day (today for this year) when the benefit
  has none that year, and an error when its measurements that year give another value.
  “Plan 2026” (Planlagt, Forventet) is the realisation planned for the year (`BenefitPlan`);
  years not in the file keep their plan.

The models' own rules (`Benefit.clean`, `BenefitMeasurement.clean`: economic benefits in kr.,
a target with its date, no measurement in the future, a benefit with measurements keeps its
unit) are checked in the preview, each under its column; the commit writes every row (and the
people the user chose to create) or none.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from benefits import services
from benefits.models import (
    ECONOMIC,
    Benefit,
    BenefitMeasurement,
    BenefitPlan,
    BenefitType,
    Frequency,
)
from core.forms import format_danish_decimal
from core.validators import FIRST_YEAR, LAST_YEAR
from documents import spreadsheet
from documents.spreadsheet import (
    DATES,
    TEXT,
    YES_NO,
    CellError,
    ChoiceParser,
    Column,
    Context,
    Layout,
    Lookup,
    Problem,
    Row,
    fold,
    parse_amount,
    parse_bool,
    parse_date,
    parse_text,
)
from documents.xlsx import XlsxExporter
from organisation.importer import make_person, person_lookup
from portfolio.models import Project


def _label(model, name: str):
    return model._meta.get_field(name).verbose_name


def parse_value(value, context=None) -> Decimal:
    """An amount (`parse_amount`: 1.234,50 kr., 1.250.000) or a share: “12 %”, “12,5%”."""
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            try:
                return parse_amount(text[:-1].strip())
            except CellError:
                pass
    return parse_amount(value)


# Translators: a list of examples of values, not a format ("12 %" is twelve percent).
# xgettext: no-python-format
VALUES = gettext_lazy("1.250.000 kr., 1.250.000, 1.250.000,50, 12 % or an Excel number")

TYPE_NAMES = {
    "økonomisk, budgetvirksom": BenefitType.BUDGET,
    "økonomisk budgetvirksom": BenefitType.BUDGET,
    "budgetvirksom": BenefitType.BUDGET,
    "økonomisk, ikke budgetvirksom": BenefitType.NON_BUDGET,
    "økonomisk ikke budgetvirksom": BenefitType.NON_BUDGET,
    "ikke budgetvirksom": BenefitType.NON_BUDGET,
    "ikke-budgetvirksom": BenefitType.NON_BUDGET,
    "kvalitativ": BenefitType.QUALITATIVE,
}
parse_type = ChoiceParser(
    TYPE_NAMES,
    BenefitType,
    gettext_lazy("'%(value)s' is not a type of benefit. Use one of: %(accepted)s."),
)
FREQUENCY_NAMES = {
    "månedlig": Frequency.MONTHLY,
    "kvartalsvis": Frequency.QUARTERLY,
    "halvårlig": Frequency.HALF_YEARLY,
    "årlig": Frequency.YEARLY,
}
_parse_frequency = ChoiceParser(
    FREQUENCY_NAMES,
    Frequency,
    gettext_lazy("'%(value)s' is not how often a benefit is measured. Use one of: %(accepted)s."),
)


def parse_frequency(value, context=None) -> int:
    return int(_parse_frequency(value, context))


# The benefit's facts a row may give (beside project and title), in the order of the sheet.
FACTS = (
    "type",
    "unit",
    "accumulates",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "responsible",
    "frequency",
    "measurement_method",
    "description",
)

COLUMNS = (
    Column(
        "project",
        ("Projekt", "Projektnavn", "Projektnummer", "Projektnr", "Projekt nr"),
        "projects",
        gettext_lazy("The name or project number of a project of the municipality"),
        required=True,
        label=_label(Benefit, "project"),
    ),
    Column(
        "title",
        ("Gevinst", "Gevinstnavn", "Gevinstens navn", "Titel"),
        parse_text,
        gettext_lazy("Text; a benefit of the project with this title is updated"),
        required=True,
        label=_label(Benefit, "title"),
    ),
    Column(
        "type",
        ("Type", "Gevinsttype", "Gevinstens type"),
        parse_type,
        gettext_lazy("budgetvirksom, ikke budgetvirksom or kvalitativ; required for a new benefit"),
        label=_label(Benefit, "type"),
    ),
    Column(
        "unit",
        ("Enhed", "Måleenhed", "Enhed/måleenhed"),
        parse_text,
        gettext_lazy("kr. for an economic benefit, else e.g. timer, %, ansøgninger"),
        label=_label(Benefit, "unit"),
    ),
    Column(
        "accumulates",
        ("Summeres", "Lægges sammen", "Akkumuleres"),
        parse_bool,
        YES_NO,
        label=_label(Benefit, "accumulates"),
    ),
    Column(
        "baseline_value",
        ("Baseline", "Udgangspunkt", "Nulpunkt", "Baseline værdi"),
        parse_value,
        VALUES,
        label=_label(Benefit, "baseline_value"),
    ),
    Column(
        "baseline_date",
        ("Baselinedato", "Baseline dato", "Dato for baseline"),
        parse_date,
        DATES,
        label=_label(Benefit, "baseline_date"),
    ),
    Column(
        "target_value",
        ("Mål", "Målværdi", "Måltal", "Målsætning"),
        parse_value,
        VALUES,
        label=_label(Benefit, "target_value"),
    ),
    Column(
        "target_date",
        ("Måldato", "Mål dato", "Dato for mål", "Nås"),
        parse_date,
        DATES,
        label=_label(Benefit, "target_date"),
    ),
    Column(
        "responsible",
        ("Ansvarlig", "Gevinstansvarlig", "Ansvarlig leder", "Gevinstejer"),
        "persons",
        gettext_lazy("The name of a person of the municipality"),
        label=_label(Benefit, "responsible"),
    ),
    Column(
        "frequency",
        ("Måles", "Målefrekvens", "Frekvens"),
        parse_frequency,
        ", ".join(FREQUENCY_NAMES),
        label=_label(Benefit, "frequency"),
    ),
    Column(
        "measurement_method",
        ("Målemetode", "Metode"),
        parse_text,
        TEXT,
        label=_label(Benefit, "measurement_method"),
    ),
    Column(
        "description",
        ("Beskrivelse",),
        parse_text,
        TEXT,
        label=_label(Benefit, "description"),
    ),
    Column(
        "measured_on",
        ("Dato", "Måledato", "Målt den", "Målt"),
        parse_date,
        DATES,
        label=_label(BenefitMeasurement, "measured_on"),
    ),
    Column(
        "value",
        ("Værdi", "Måling", "Målt værdi", "Realiseret"),
        parse_value,
        VALUES,
        label=_label(BenefitMeasurement, "value"),
    ),
    Column(
        "note",
        ("Note", "Bemærkning"),
        parse_text,
        TEXT,
        label=_label(BenefitMeasurement, "note"),
    ),
)
LABELS = {column.field: column.label for column in COLUMNS}


@dataclass(frozen=True)
class YearColumn:
    """“2024” / “Realiseret 2024” (realised in the year) or “Plan 2024” (planned)."""

    kind: str  # "realised" or "planned"
    year: int

    @property
    def field(self) -> str:
        return f"{self.kind} {self.year}"

    def read(self, value, context=None) -> Decimal:
        return parse_value(value)


_YEAR = re.compile(
    r"^(?:(realiseret|målt|maalt|plan|planlagt|forventet|forventet gevinst)\s+)?(\d{4})$"
)
PLANNED_WORDS = {"plan", "planlagt", "forventet", "forventet gevinst"}


def year_column(key: str) -> YearColumn | None:
    match = _YEAR.match(key)
    if not match:
        return None
    year = int(match.group(2))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return YearColumn("planned" if match.group(1) in PLANNED_WORDS else "realised", year)


def year_help() -> list[dict]:
    """The year headers, for the page that explains the file."""
    return [
        {
            "header": "2024",
            "synonyms": ("Realiseret 2024", "Målt 2024"),
            "label": gettext_lazy(
                "realised in the year: one measurement on the year's last day (today for this "
                "year), when the benefit has none that year"
            ),
            "accepts": VALUES,
        },
        {
            "header": "Plan 2025",
            "synonyms": ("Planlagt 2025", "Forventet 2025"),
            "label": gettext_lazy("planned realisation of the year"),
            "accepts": VALUES,
        },
    ]


# --- The rows -------------------------------------------------------------------------------


@dataclass
class BenefitRow(Row):
    """One row: its benefit (`obj`, found or new, unsaved changes), the measurements it
    records (unsaved) and the plans it gives ({year: planned})."""

    measurements: list = field(default_factory=list)
    plans: dict = field(default_factory=dict)
    first: bool = False  # the first row of its benefit in the file


@dataclass
class Entry:
    """A benefit as the file leaves it: the row that first named it, the fact each row gave
    first ({field: (value, row)}), its plans ({year: (planned, row)})."""

    benefit: Benefit
    row: int
    given: dict = field(default_factory=dict)
    plans: dict = field(default_factory=dict)
    dates: dict = field(default_factory=dict)  # measured_on -> row of the file
    years: dict = field(default_factory=dict)  # realised year -> row of the file


def _shown_value(value, unit: str) -> str:
    if value is None:
        return "–"
    return f"{format_danish_decimal(value)} {unit}".strip()


class BenefitImport(spreadsheet.SheetImport):
    """The import of benefits; one instance per request (`user` records the measurements)."""

    folder = "gevinster"
    sheet_names = ("gevinster", "gevinstrealisering", "gevinstoversigt", "benefits")
    columns = COLUMNS
    creatable = ("persons",)
    headings = (
        gettext_lazy("Project"),
        gettext_lazy("Benefit"),
        gettext_lazy("Type"),
        gettext_lazy("Responsible leader"),
        gettext_lazy("Baseline"),
        gettext_lazy("Target"),
        gettext_lazy("Measurements"),
        gettext_lazy("Planned"),
    )

    def __init__(self, user=None):
        self.user = user

    def dynamic(self, key: str):
        return year_column(key)

    def label(self, column) -> str:
        if isinstance(column, Column):
            return str(column.label)
        if column.kind == "planned":
            return _("planned %(year)d") % {"year": column.year}
        return _("realised %(year)d") % {"year": column.year}

    def empty_message(self, sheet: str) -> str:
        return _("The sheet '%(sheet)s' has no benefits under the header row.") % {"sheet": sheet}

    def load_context(self, municipality_id: int, create=()) -> Context:
        """Five queries, however many rows: projects, people, benefits, their plans and their
        measurements."""
        projects = Lookup(
            Project.objects.filter(municipality_id=municipality_id),
            lambda p: [p.name, p.code],
            gettext_lazy("'%(value)s' is not a project of the municipality."),
            gettext_lazy("'%(value)s' is the name or number of more than one project."),
        )
        benefits: dict[tuple[int, str], list[Benefit]] = {}
        for benefit in Benefit.objects.filter(municipality_id=municipality_id).order_by("pk"):
            benefits.setdefault((benefit.project_id, fold(benefit.title)), []).append(benefit)
        plans: dict[int, dict[int, BenefitPlan]] = {}
        for plan in BenefitPlan.objects.filter(municipality_id=municipality_id):
            plans.setdefault(plan.benefit_id, {})[plan.year] = plan
        measurements: dict[int, list[BenefitMeasurement]] = {}
        for measurement in BenefitMeasurement.objects.filter(
            municipality_id=municipality_id
        ).order_by("measured_on", "pk"):
            measurements.setdefault(measurement.benefit_id, []).append(measurement)
        people = person_lookup(municipality_id)
        return Context(
            municipality_id,
            {"projects": projects, "persons": people},
            makers={"persons": make_person(municipality_id)},
            create=frozenset(create) & set(self.creatable),
            data={
                "benefits": benefits,
                "plans": plans,
                "measurements": measurements,
                "people": {p.pk: p for found in people.exact.values() for p in found},
                "entries": {},
                "today": timezone.localdate(),
            },
        )

    # --- One row ---

    def parse_row(self, number: int, values: tuple, layout: Layout, context: Context) -> Row:
        row = BenefitRow(number)
        failed: set = set()
        read: dict = {}
        years: dict[YearColumn, tuple[str, Decimal]] = {}
        for column, header, value in self.cells(row, values, layout, context, failed):
            if isinstance(column, YearColumn):
                years[column] = (header, value)
            else:
                read[column.field] = value
        project, title = read.get("project"), read.get("title")
        if project is None or not title:
            for name, given in (("project", project), ("title", title)):
                if given is None and name not in failed:
                    row.errors.append(
                        Problem(
                            _("The %(field)s is missing.") % {"field": LABELS[name]},
                            number,
                            layout.header_of(name),
                        )
                    )
            row.shown = [project.name if project else "–", title or "–", "", "", "", "", "", ""]
            return row
        entry = self.entry(row, project, title, layout, context)
        if entry is None:
            row.shown = [project.name, title, "", "", "", "", "", ""]
            return row
        benefit = row.obj = entry.benefit
        row.first = entry.row == number
        self.facts(row, entry, read, layout, context, failed)
        self.year_values(row, entry, years, layout, context)
        self.measurement(row, entry, read, layout, context, failed)
        if benefit.pk is None:
            row.state = "new"  # every row of a new benefit writes
        elif row.changes:
            row.state = "changed"
        else:
            row.state = "unchanged"
        return row

    def entry(self, row, project, title, layout, context) -> Entry | None:
        """The benefit the row is about: an earlier row's, the project's by its title, or a
        new one."""
        key = (project.pk, fold(title))
        entries = context.data["entries"]
        if key in entries:
            return entries[key]
        found = context.data["benefits"].get(key, [])
        if len(found) > 1:
            row.errors.append(
                Problem(
                    _("The project has more than one benefit named '%(title)s'.")
                    % {"title": title},
                    row.row,
                    layout.header_of("title"),
                )
            )
            return None
        if found:
            benefit = found[0]
            benefit.project = project  # the ones read already: no query
            if benefit.responsible_id in context.data["people"]:
                benefit.responsible = context.data["people"][benefit.responsible_id]
        else:
            benefit = Benefit(
                project=project,
                municipality_id=context.municipality_id,
                title=title,
                unit="",
            )
        entries[key] = Entry(benefit, row.row)
        return entries[key]

    def facts(self, row, entry: Entry, read: dict, layout, context, failed: set) -> None:
        """The benefit's facts the row gives: set on the first row that gives each; a later
        row that gives another value is an error."""
        benefit = entry.benefit
        given = {name: read[name] for name in FACTS if name in read}
        if "unit" in given:
            given["unit"] = services.benefit_unit(Benefit(), given["unit"])  # kroner → kr.
        for name, value in given.items():
            if name in entry.given:
                earlier, at = entry.given[name]
                if _key(earlier) != _key(value):
                    row.errors.append(
                        Problem(
                            _("Row %(row)d gives the benefit another %(field)s.")
                            % {"row": at, "field": LABELS[name]},
                            row.row,
                            layout.header_of(name),
                        )
                    )
                continue
            entry.given[name] = (value, row.row)
            if benefit.pk is None:
                setattr(benefit, name, value)
            elif _key(getattr(benefit, name)) != _key(value):
                setattr(benefit, name, value)
                row.changes.append(str(LABELS[name]))
        if benefit.pk is None and row.first:
            if benefit.type and benefit.type in ECONOMIC:
                benefit.unit = benefit.unit or services.DKK
            if "type" not in given and "type" not in failed:
                row.errors.append(
                    Problem(
                        _("Give the type of the new benefit."), row.row, layout.header_of("type")
                    )
                )
                failed.add("type")
            if not benefit.unit and "unit" not in failed:
                row.errors.append(
                    Problem(
                        _("Give the unit the benefit is measured in."),
                        row.row,
                        layout.header_of("unit"),
                    )
                )
                failed.add("unit")
        unit_label = str(LABELS["unit"])
        if (
            benefit.pk
            and unit_label in row.changes
            and context.data["measurements"].get(benefit.pk)
        ):
            original = context.data["measurements"][benefit.pk][0].unit
            row.errors.append(
                Problem(
                    _("The benefit has measurements in %(unit)s; its unit cannot change.")
                    % {"unit": original},
                    row.row,
                    layout.header_of("unit"),
                )
            )
            failed.add("unit")
            benefit.unit = original
            row.changes.remove(unit_label)
        if given or row.first:
            self.clean(row, benefit, layout, failed | {"municipality", "project", "responsible"})

    def year_values(self, row, entry: Entry, years: dict, layout, context) -> None:
        """The plans (“Plan 2026”) and the realised years (“2024”) the row gives."""
        benefit = entry.benefit
        today = context.data["today"]
        existing_plans = context.data["plans"].get(benefit.pk, {}) if benefit.pk else {}
        recorded = context.data["measurements"].get(benefit.pk, []) if benefit.pk else []
        for column, (header, value) in sorted(years.items(), key=lambda item: item[0].year):
            year = column.year
            if column.kind == "planned":
                if year in entry.plans:
                    if entry.plans[year][0] != value:
                        row.errors.append(
                            Problem(
                                _("Row %(row)d plans another amount for %(year)d.")
                                % {"row": entry.plans[year][1], "year": year},
                                row.row,
                                header,
                            )
                        )
                    continue
                entry.plans[year] = (value, row.row)
                row.plans[year] = value
                plan = existing_plans.get(year)
                if benefit.pk and (plan is None or plan.planned != value):
                    row.changes.append(self.label(column))
                continue
            if year > today.year:
                row.errors.append(
                    Problem(
                        _(
                            "%(year)d has not begun: a column of a year gives what was realised. "
                            "Write “Plan %(year)d” for the realisation planned."
                        )
                        % {"year": year},
                        row.row,
                        header,
                    )
                )
                continue
            if year in entry.years:
                row.errors.append(
                    Problem(
                        _("Row %(row)d gives what was realised in %(year)d too.")
                        % {"row": entry.years[year], "year": year},
                        row.row,
                        header,
                    )
                )
                continue
            entry.years[year] = row.row
            that_year = [m for m in recorded if m.measured_on.year == year]
            if that_year:
                realised = services.realised_by_year(_Measured(benefit, that_year))[year]
                if realised != value:
                    row.errors.append(
                        Problem(
                            _(
                                "The measurements of %(year)d already give %(realised)s. The "
                                "import does not change measurements; record the difference "
                                "with Dato and Værdi."
                            )
                            % {"year": year, "realised": _shown_value(realised, benefit.unit)},
                            row.row,
                            header,
                        )
                    )
                continue
            day = min(datetime.date(year, 12, 31), today)
            self.add_measurement(row, entry, day, value, "", layout, header)

    def measurement(self, row, entry: Entry, read: dict, layout, context, failed: set) -> None:
        """The measurement of the row's Dato and Værdi."""
        day, value = read.get("measured_on"), read.get("value")
        if day is None and value is None:
            if "note" in read:
                row.errors.append(
                    Problem(
                        _("A note belongs to a measurement: give its Dato and Værdi."),
                        row.row,
                        layout.header_of("note"),
                    )
                )
            return
        if day is None or value is None:
            name = "measured_on" if day is None else "value"
            if name not in failed:
                row.errors.append(
                    Problem(
                        _("A measurement needs both a date and a value."),
                        row.row,
                        layout.header_of(name) or str(LABELS[name]),
                    )
                )
            return
        header = layout.header_of("measured_on")
        if day in entry.dates:
            row.errors.append(
                Problem(
                    _("Row %(row)d measures the benefit on the same day.")
                    % {"row": entry.dates[day]},
                    row.row,
                    header,
                )
            )
            return
        entry.dates[day] = row.row
        benefit = entry.benefit
        recorded = context.data["measurements"].get(benefit.pk, []) if benefit.pk else []
        same_day = [m for m in recorded if m.measured_on == day]
        if same_day:
            if all(m.value != value for m in same_day):
                row.errors.append(
                    Problem(
                        _(
                            "A measurement of %(value)s is already recorded on %(date)s. The "
                            "import does not change measurements."
                        )
                        % {
                            "value": _shown_value(same_day[0].value, benefit.unit),
                            "date": day.strftime("%d-%m-%Y"),
                        },
                        row.row,
                        layout.header_of("value"),
                    )
                )
            return
        self.add_measurement(row, entry, day, value, read.get("note", ""), layout, header)

    def add_measurement(self, row, entry: Entry, day, value, note, layout, header) -> None:
        benefit = entry.benefit
        measurement = BenefitMeasurement(
            benefit=benefit,
            municipality_id=benefit.municipality_id,
            measured_on=day,
            value=value,
            unit=benefit.unit,
            note=note,
        )
        try:
            measurement.full_clean(exclude=["benefit", "municipality", "recorded_by", "unit"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = (
                    layout.header_of(name) if name in ("measured_on", "value", "note") else None
                )
                for message in messages:
                    row.errors.append(Problem(message, row.row, column or header))
            return
        row.measurements.append(measurement)
        if benefit.pk is not None:
            label = str(BenefitMeasurement._meta.verbose_name)
            if label not in row.changes:
                row.changes.append(label)

    def check(self, result, layout: Layout, context: Context) -> None:
        """What the preview shows of each row, once the file's benefits are known."""
        people = context.data["people"]
        for row in result.rows:
            benefit = row.obj
            if benefit is None:
                continue
            if benefit.responsible_id is None or Benefit.responsible.is_cached(benefit):
                responsible = benefit.responsible
            else:
                responsible = people.get(benefit.responsible_id)
            plans = context.data["plans"].get(benefit.pk, {}) if benefit.pk else {}
            shown_plans = {year: plan.planned for year, plan in plans.items()}
            shown_plans.update(row.plans)
            row.shown = [
                benefit.project.name,
                benefit.title,
                benefit.get_type_display() if benefit.type else "–",
                responsible.name if responsible else "–",
                _shown_value(benefit.baseline_value, benefit.unit),
                _shown_value(benefit.target_value, benefit.unit),
                "; ".join(
                    f"{m.measured_on:%d-%m-%Y}: {_shown_value(m.value, benefit.unit)}"
                    for m in row.measurements
                )
                or "–",
                "; ".join(
                    f"{year}: {_shown_value(shown_plans[year], benefit.unit)}"
                    for year in sorted(row.plans)
                )
                or "–",
            ]

    # --- The commit ---

    def write(self, result) -> "Written":
        """The people to create, then each benefit with its plans (`save_benefit`), then each
        measurement (`record_measurement`): the services of the pages, in the commit's
        transaction."""
        for person in result.new.get("persons", {}).values():
            person.save()
        context = result.context
        created = updated = measured = 0
        for entry in context.data["entries"].values():
            benefit = entry.benefit
            rows = [row for row in result.rows if row.obj is benefit]
            changed = any(row.state != "unchanged" for row in rows)
            if not changed:
                continue
            plans = None
            if entry.plans:
                existing = context.data["plans"].get(benefit.pk, {}) if benefit.pk else {}
                plans = {year: plan.planned for year, plan in existing.items()}
                plans.update({year: planned for year, (planned, _row) in entry.plans.items()})
            facts_changed = benefit.pk is None or any(
                change for row in rows for change in row.changes
                if change != str(BenefitMeasurement._meta.verbose_name)
            )  # fmt: skip
            if benefit.pk is None:
                created += 1
            elif facts_changed:
                updated += 1
            if facts_changed:
                services.save_benefit(benefit, plans)
            for row in rows:
                for measurement in row.measurements:
                    measurement.benefit = benefit
                    measurement.unit = benefit.unit
                    services.record_measurement(measurement, self.user)
                    measured += 1
        return Written(created, updated, measured, len(result.new.get("persons", {})))


class _Measured:
    """A benefit with the given measurements, for `services.realised_by_year`."""

    def __init__(self, benefit: Benefit, measurements: list):
        self.accumulates = benefit.accumulates
        self.measurements = _All(measurements)


class _All:
    def __init__(self, items):
        self.items = items

    def all(self):
        return self.items


def _key(value):
    """A value as compared: a person by its row, text without surrounding spaces."""
    if hasattr(value, "_meta"):
        return value.pk or id(value)
    if isinstance(value, str):
        return value.strip()
    return value


@dataclass
class Written:
    """What a commit wrote."""

    created: int
    updated: int
    measurements: int
    persons: int = 0

    def message(self) -> str:
        parts = [
            _("%(created)d created, %(updated)d updated.")
            % {"created": self.created, "updated": self.updated},
            ngettext(
                "%(count)d measurement recorded.",
                "%(count)d measurements recorded.",
                self.measurements,
            )
            % {"count": self.measurements},
        ]
        if self.persons:
            parts.append(
                ngettext("%(count)d person created.", "%(count)d people created.", self.persons)
                % {"count": self.persons}
            )
        return " ".join(parts)


BENEFITS = BenefitImport()


# --- The template file ----------------------------------------------------------------------


class ImportTemplate(XlsxExporter):
    """An empty sheet “Gevinster” with every header the import understands, and this year's
    realised and next year's planned column."""

    sheet_title = "Gevinster"

    def __init__(self, year: int):
        self.columns = [column.header for column in COLUMNS] + [str(year), f"Plan {year + 1}"]

    def rows(self):
        return []
