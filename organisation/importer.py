"""Imports of the organisation from Excel: units, people, and the members of bodies.

The workbook is read by the shared reader (`documents.spreadsheet`): the sheet, the header row
below title rows and notes, Danish headers and synonyms with a mapping step for unknown ones,
Danish dates, Excel's errors, names matched as written first and then without regard to case
and accents. This module says what a row holds and what the commit writes:

- `UNITS` (sheet “Enheder”): Enhed, Type, Overordnet enhed. A unit whose name is already the
  municipality's is updated (its type and parent, where the row gives them), not made again;
  a parent may be an existing unit or one of the file, above or below it in the sheet. A unit
  may not end up below itself.
- `PEOPLE` (sheet “Personer”): Navn, Titel, Enhed, E-mail, Aktiv. A person found by name is
  updated where the row gives a value (an empty cell leaves the field as it is); a unit not
  found may be created (a section without a parent) when the user chooses.
- `MEMBERS` (sheet “Medlemmer”): Organ, Person, Rolle, Fra, Til, Note. The body is found by
  name or short name and is never created; a person not found may be created. A membership of
  the same person in the same body from the same date is updated (role, end, note); a new one
  may not overlap another of the person in the body, nor be added to a closed body.

The preview says of each row whether it is new, what it changes, or that it changes nothing;
the commit writes every row (and what the user chose to create) or none.
"""

from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from documents import spreadsheet
from documents.spreadsheet import (
    DATES,
    TEXT,
    YES_NO,
    ChoiceParser,
    Column,
    Context,
    Layout,
    Lookup,
    Problem,
    Row,
    fold,
    parse_bool,
    parse_date,
    parse_text,
)
from documents.xlsx import XlsxExporter
from organisation.models import (
    EXTERNAL_NO_MEMBERS,
    Body,
    Membership,
    MembershipRole,
    OrgUnit,
    OrgUnitKind,
    Person,
)


def _label(model, name: str):
    return model._meta.get_field(name).verbose_name


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


def make_person(municipality_id: int):
    return lambda name: Person(municipality_id=municipality_id, name=name)


def make_unit(municipality_id: int):
    """A unit the import creates for a name not found: a section without a parent."""
    return lambda name: OrgUnit(
        municipality_id=municipality_id, name=name, kind=OrgUnitKind.AFDELING
    )


@dataclass
class Written:
    """What a commit wrote."""

    created: int
    updated: int
    persons: int = 0
    units: int = 0

    def message(self) -> str:
        """“3 created, 2 updated.”, and the people and units created for the names."""
        parts = [
            _("%(created)d created, %(updated)d updated.")
            % {"created": self.created, "updated": self.updated}
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


class UpdatingImport(spreadsheet.SheetImport):
    """An import that updates the rows it finds: each row new, changed or unchanged."""

    folder = ""
    headings: tuple = ()

    def assign(self, row: Row, obj, values: dict, labels: dict) -> None:
        """Set `values` on `obj`; on a row that found an existing one, note what changes."""
        for name, value in values.items():
            if getattr(obj, name) != value:
                if obj.pk is not None:
                    row.changes.append(str(labels[name]))
                setattr(obj, name, value)
        if obj.pk is not None:
            row.state = "changed" if row.changes else "unchanged"

    def save_new(self, result) -> tuple[int, int]:
        """Save the names the user chose to create (units first), then return (created,
        updated) after saving each row's object."""
        for kind in ("units", "persons"):
            for obj in result.new.get(kind, {}).values():
                obj.save()
        created = updated = 0
        for row in result.rows:
            if row.state == "new":
                created += 1
            elif row.state == "changed":
                updated += 1
            else:
                continue
            row.obj.save()
        return created, updated

    def write(self, result) -> Written:
        created, updated = self.save_new(result)
        return Written(
            created,
            updated,
            persons=len(result.new.get("persons", {})),
            units=len(result.new.get("units", {})),
        )

    def duplicate(self, result, key, layout: Layout, field_name: str, what: str) -> None:
        """A row that names the same `key(row)` as an earlier one is an error."""
        seen: dict = {}
        header = layout.header_of(field_name)
        for row in result.rows:
            value = key(row)
            if value is None:
                continue
            if value in seen:
                row.errors.append(
                    Problem(
                        _("The same %(what)s is also in row %(row)d.")
                        % {"what": what, "row": seen[value]},
                        row.row,
                        header,
                    )
                )
            else:
                seen[value] = row.row


# --- Units ----------------------------------------------------------------------------------

KIND_NAMES = {
    "forvaltning": OrgUnitKind.FORVALTNING,
    "stab": OrgUnitKind.STAB,
    "chefområde": OrgUnitKind.CHEFOMRAADE,
    "fagområde": OrgUnitKind.FAGOMRAADE,
    "afdeling": OrgUnitKind.AFDELING,
}
parse_kind = ChoiceParser(
    KIND_NAMES,
    OrgUnitKind,
    gettext_lazy("'%(value)s' is not a kind of unit. Use one of: %(accepted)s."),
)

UNIT_COLUMNS = (
    Column(
        "name",
        ("Enhed", "Enhedsnavn", "Navn"),
        parse_text,
        TEXT,
        required=True,
        label=_label(OrgUnit, "name"),
    ),
    Column(
        "kind",
        ("Type", "Enhedstype", "Niveau"),
        parse_kind,
        format_lazy(
            "{}; {}", parse_kind.accepted, gettext_lazy("empty is afdeling for a new unit")
        ),
        label=_label(OrgUnit, "kind"),
    ),
    Column(
        "parent",
        ("Overordnet enhed", "Hører under", "Del af", "Overordnet"),
        parse_text,
        gettext_lazy("The name of a unit of the municipality or of the file"),
        label=_label(OrgUnit, "parent"),
    ),
)


@dataclass
class UnitRow(Row):
    parent_name: str = ""


class UnitImport(UpdatingImport):
    folder = "enheder"
    sheet_names = ("enheder", "organisation", "enhed")
    columns = UNIT_COLUMNS
    headings = (gettext_lazy("Unit"), gettext_lazy("Kind"), gettext_lazy("Part of"))

    def empty_message(self, sheet: str) -> str:
        return _("The sheet '%(sheet)s' has no units under the header row.") % {"sheet": sheet}

    def load_context(self, municipality_id: int, create=()) -> Context:
        units = list(OrgUnit.objects.filter(municipality_id=municipality_id))
        return Context(
            municipality_id,
            {
                "units": Lookup(
                    units,
                    lambda u: [u.name],
                    gettext_lazy("'%(value)s' is not a unit of the municipality or of the file."),
                    gettext_lazy("'%(value)s' is the name of more than one unit."),
                )
            },
            data={"by_id": {unit.pk: unit for unit in units}},
        )

    def parse_row(self, number, values, layout, context) -> UnitRow:
        row = UnitRow(number)
        failed: set = set()
        read = {c.field: v for c, _h, v in self.cells(row, values, layout, context, failed)}
        name = read.get("name")
        unit = None
        if name:
            try:
                unit = context.lookups["units"](name)
            except spreadsheet.Missing:
                unit = None
            except spreadsheet.CellError as error:
                row.errors.append(Problem(str(error), number, layout.header_of("name")))
        if unit is None:
            unit = OrgUnit(
                municipality_id=context.municipality_id,
                name=name or "",
                kind=OrgUnitKind.AFDELING,
            )
        row.obj = unit
        if "kind" in read:
            self.assign(row, unit, {"kind": read["kind"]}, {"kind": _label(OrgUnit, "kind")})
        elif unit.pk is not None:
            row.state = "unchanged"
        row.parent_name = read.get("parent", "")
        self.require(row, unit, layout, failed)
        return row

    def check(self, result, layout: Layout, context: Context) -> None:
        """The parents, once every unit of the file is known; no unit below itself."""
        self.duplicate(result, lambda r: r.obj.name and fold(r.obj.name), layout, "name", _("unit"))
        lookup = context.lookups["units"]
        for row in result.rows:
            if row.obj.pk is None and row.obj.name:
                lookup.add(row.obj, [row.obj.name])
        header = layout.header_of("parent")
        by_id = context.data["by_id"]
        for row in result.rows:
            if not row.parent_name:
                continue
            try:
                parent = lookup(row.parent_name)
            except spreadsheet.CellError as error:
                row.errors.append(Problem(str(error), row.row, header))
                continue
            if parent is row.obj:
                row.errors.append(
                    Problem(_("A unit cannot be placed below itself."), row.row, header)
                )
                continue
            if row.obj.pk is None or row.obj.parent_id != parent.pk or parent.pk is None:
                if row.obj.pk is not None:
                    row.changes.append(str(_label(OrgUnit, "parent")))
                    row.state = "changed"
                row.obj.parent = parent
        # No unit below itself: walk up from each unit through the parents as they would be.
        for row in result.rows:
            seen, node = set(), row.obj.parent
            while node is not None and id(node) not in seen:
                if node is row.obj:
                    row.errors.append(
                        Problem(_("A unit cannot be placed below itself."), row.row, header)
                    )
                    break
                seen.add(id(node))
                node = node.parent if node.parent_id is None else by_id.get(node.parent_id)
                node = _current(node, result)
        for row in result.rows:
            if not row.errors:
                self.clean_fields(row, row.obj, layout, {"municipality", "parent"})
            unit = row.obj
            parent = unit.parent if unit.parent_id is None else by_id.get(unit.parent_id)
            parent = _current(parent, result)
            row.shown = [unit.name, unit.get_kind_display(), parent.name if parent else "–"]

    def save_new(self, result) -> tuple[int, int]:
        """Parents before their children."""
        created = updated = 0
        pending = [row for row in result.rows if row.state != "unchanged"]
        while pending:
            later = []
            for row in pending:
                parent = row.obj.parent
                if parent is not None and parent.pk is None:
                    later.append(row)
                    continue
                row.obj.parent = parent  # sets parent_id now the parent is saved
                row.obj.save()
                if row.state == "new":
                    created += 1
                else:
                    updated += 1
            if len(later) == len(pending):  # cannot happen: cycles are errors
                raise RuntimeError("unit cycle")
            pending = later
        return created, updated


def _current(node, result):
    """The unit as the import would leave it (the row's object, with its new parent)."""
    if node is None:
        return None
    for row in result.rows:
        if row.obj.pk is not None and row.obj.pk == node.pk:
            return row.obj
    return node


# --- People ---------------------------------------------------------------------------------

PERSON_COLUMNS = (
    Column(
        "name",
        ("Navn", "Person", "Medarbejder", "Fulde navn"),
        parse_text,
        TEXT,
        required=True,
        label=_label(Person, "name"),
    ),
    Column(
        "title",
        ("Titel", "Stilling", "Stillingsbetegnelse"),
        parse_text,
        TEXT,
        label=_label(Person, "title"),
    ),
    Column(
        "unit",
        ("Enhed", "Afdeling", "Organisatorisk enhed"),
        "units",
        gettext_lazy("The name of a unit of the municipality"),
        label=_label(Person, "unit"),
    ),
    Column(
        "email",
        ("E-mail", "Email", "Mail", "E-mailadresse"),
        parse_text,
        gettext_lazy("An e-mail address"),
        label=_label(Person, "email"),
    ),
    Column("active", ("Aktiv",), parse_bool, YES_NO, label=_label(Person, "active")),
)


class PersonImport(UpdatingImport):
    folder = "personer"
    sheet_names = ("personer", "medarbejdere", "people")
    columns = PERSON_COLUMNS
    creatable = ("units",)
    headings = (
        gettext_lazy("Person"),
        gettext_lazy("Title"),
        gettext_lazy("Unit"),
        gettext_lazy("E-mail"),
    )

    def empty_message(self, sheet: str) -> str:
        return _("The sheet '%(sheet)s' has no people under the header row.") % {"sheet": sheet}

    def load_context(self, municipality_id: int, create=()) -> Context:
        """Two queries, however many rows: the units and the people."""
        units = unit_lookup(municipality_id)
        return Context(
            municipality_id,
            {"units": units, "persons": person_lookup(municipality_id)},
            makers={"units": make_unit(municipality_id)},
            create=frozenset(create) & set(self.creatable),
            data={"units": {unit.pk: unit for found in units.exact.values() for unit in found}},
        )

    def parse_row(self, number, values, layout, context) -> Row:
        row = Row(number)
        failed: set = set()
        read = {c.field: v for c, _h, v in self.cells(row, values, layout, context, failed)}
        person = None
        if read.get("name"):
            try:
                person = context.lookups["persons"](read["name"])
            except spreadsheet.Missing:
                pass
            except spreadsheet.CellError as error:
                row.errors.append(Problem(str(error), number, layout.header_of("name")))
        if person is None:
            person = Person(municipality_id=context.municipality_id)
        row.obj = person
        labels = {c.field: c.label for c in PERSON_COLUMNS}
        if person.pk is not None:
            read.pop("name")  # found by it: the name as stored stays
        self.assign(row, person, read, labels)
        self.require(row, person, layout, failed)
        self.clean_fields(row, person, layout, failed | {"municipality", "unit", "user"})
        unit = read.get("unit") or context.data["units"].get(person.unit_id)
        row.shown = [person.name, person.title or "–", unit.name if unit else "–",
                     person.email or "–"]  # fmt: skip
        return row

    def check(self, result, layout: Layout, context: Context) -> None:
        self.duplicate(
            result,
            lambda r: r.obj.pk or (r.obj.name and fold(r.obj.name)),
            layout,
            "name",
            _("person"),
        )


# --- Members of bodies ----------------------------------------------------------------------

ROLE_NAMES = {
    "formand": MembershipRole.CHAIR,
    "forperson": MembershipRole.CHAIR,
    "sekretær": MembershipRole.SECRETARY,
    "medlem": MembershipRole.MEMBER,
    "observatør": MembershipRole.OBSERVER,
}
parse_role = ChoiceParser(
    ROLE_NAMES,
    MembershipRole,
    gettext_lazy("'%(value)s' is not a role. Use one of: %(accepted)s."),
)
MEMBER_COLUMNS = (
    Column(
        "body",
        ("Organ", "Gruppe", "Udvalg", "Styregruppe"),
        "bodies",
        gettext_lazy("The name or short name of a body of the municipality"),
        required=True,
        label=_label(Membership, "body"),
    ),
    Column(
        "person",
        ("Person", "Navn", "Medlem"),
        "persons",
        gettext_lazy("The name of a person of the municipality"),
        required=True,
        label=_label(Membership, "person"),
    ),
    Column(
        "role",
        ("Rolle", "Funktion"),
        parse_role,
        format_lazy("{}; {}", parse_role.accepted, gettext_lazy("empty is medlem")),
        label=_label(Membership, "role"),
    ),
    Column(
        "start",
        ("Fra", "Startdato", "Fra dato", "Medlem fra"),
        parse_date,
        DATES,
        required=True,
        label=_label(Membership, "start"),
    ),
    Column(
        "end",
        ("Til", "Slutdato", "Til dato", "Medlem til"),
        parse_date,
        DATES,
        label=_label(Membership, "end"),
    ),
    Column("note", ("Note", "Bemærkning"), parse_text, TEXT, label=_label(Membership, "note")),
)


class MemberImport(UpdatingImport):
    folder = "medlemmer"
    sheet_names = ("medlemmer", "medlemskaber", "deltagere")
    columns = MEMBER_COLUMNS
    creatable = ("persons",)
    headings = (
        gettext_lazy("Body"),
        gettext_lazy("Person"),
        gettext_lazy("Role"),
        gettext_lazy("Period"),
    )

    def empty_message(self, sheet: str) -> str:
        return _("The sheet '%(sheet)s' has no members under the header row.") % {"sheet": sheet}

    def load_context(self, municipality_id: int, create=()) -> Context:
        """Three queries, however many rows: bodies, people and their memberships."""
        memberships: dict[tuple[int, int], list[Membership]] = {}
        for membership in Membership.objects.filter(municipality_id=municipality_id):
            memberships.setdefault((membership.person_id, membership.body_id), []).append(
                membership
            )
        return Context(
            municipality_id,
            {"bodies": body_lookup(municipality_id), "persons": person_lookup(municipality_id)},
            makers={"persons": make_person(municipality_id)},
            create=frozenset(create) & set(self.creatable),
            data={"memberships": memberships},
        )

    def parse_row(self, number, values, layout, context) -> Row:
        row = Row(number)
        failed: set = set()
        read = {c.field: v for c, _h, v in self.cells(row, values, layout, context, failed)}
        person, body, start = read.get("person"), read.get("body"), read.get("start")
        found = None
        if person is not None and body is not None and person.pk and start:
            for membership in context.data["memberships"].get((person.pk, body.pk), []):
                if membership.start == start:
                    found = membership
        membership = found or Membership(
            municipality_id=context.municipality_id, role=MembershipRole.MEMBER
        )
        row.obj = membership
        if found is None:
            for name in ("person", "body", "start"):
                if name in read:
                    setattr(membership, name, read.pop(name))
        else:
            for name in ("person", "body", "start"):
                read.pop(name, None)
        labels = {c.field: c.label for c in MEMBER_COLUMNS}
        self.assign(row, membership, read, labels)
        self.require_fields(row, membership, layout, failed)
        exclude = failed | {"municipality", "person", "body"}
        self.clean_fields(row, membership, layout, exclude)
        header = layout.header_of("end")
        if membership.start and membership.end and membership.end < membership.start:
            row.errors.append(
                Problem(_("A membership cannot end before it starts."), number, header)
            )
        if found is None and body is not None and body.closed_on:
            row.errors.append(
                Problem(
                    _("Members cannot be added to a closed body."),
                    number,
                    layout.header_of("body"),
                )
            )
        if body is not None and body.external:
            row.errors.append(Problem(str(EXTERNAL_NO_MEMBERS), number, layout.header_of("body")))
        start_shown = membership.start.strftime("%d-%m-%Y") if membership.start else "…"
        end_shown = membership.end.strftime("%d-%m-%Y") if membership.end else "…"
        row.shown = [
            body.name if body else "–",
            person.name if person else "–",
            membership.get_role_display(),
            f"{start_shown} – {end_shown}",
        ]
        return row

    def require_fields(self, row, membership, layout, failed) -> None:
        for column in self.required:
            if column.field in failed:
                continue
            if getattr(membership, f"{column.field}_id", None) is None and not getattr(
                membership, column.field, None
            ):
                row.errors.append(
                    Problem(
                        _("The %(field)s is missing.") % {"field": self.label(column)},
                        row.row,
                        layout.header_of(column.field),
                    )
                )
                failed.add(column.field)

    def check(self, result, layout: Layout, context: Context) -> None:
        """No two memberships of a person in a body overlap: those of the file with each
        other and with those already held."""
        header = layout.header_of("start")
        periods: dict[tuple, dict] = {
            key: {m.pk: (m.start, m.end) for m in held}
            for key, held in context.data["memberships"].items()
        }
        for row in result.rows:
            membership = row.obj
            if row.errors or membership.start is None:
                continue
            key = (membership.person.pk or id(membership.person), membership.body.pk)
            held = periods.setdefault(key, {})
            mine = membership.pk or -row.row
            for pk, (start, end) in held.items():
                if pk == mine:
                    continue
                if (end is None or end >= membership.start) and (
                    membership.end is None or start <= membership.end
                ):
                    row.errors.append(
                        Problem(
                            _("The person is already a member of the body in this period."),
                            row.row,
                            header,
                        )
                    )
                    break
            else:
                held[mine] = (membership.start, membership.end)


UNITS = UnitImport()
PEOPLE = PersonImport()
MEMBERS = MemberImport()


# --- The template files ---------------------------------------------------------------------


class ImportTemplate(XlsxExporter):
    """An empty sheet with every header an import understands (the first of each)."""

    def __init__(self, sheet_import: spreadsheet.SheetImport, title: str):
        self.sheet_title = title
        self.columns = [column.header for column in sheet_import.columns]

    def rows(self):
        return []
