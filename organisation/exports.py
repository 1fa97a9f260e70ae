"""The organisation's Excel exports: people, units and bodies as their lists show them, and for
the full export of a municipality (`documents.exports`) every membership and mandate too."""

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.collation import Danish
from core.widgets import choice_labels
from documents import exports
from documents.xlsx import XlsxExporter
from organisation.models import (
    BodyKind,
    Mandate,
    Membership,
    MembershipRole,
    OrgUnit,
    OrgUnitKind,
    Person,
)

MAX_ROWS = 10_000


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


class PersonExport(XlsxExporter):
    sheet_title = gettext_lazy("People")
    columns = (
        gettext_lazy("Name"),
        gettext_lazy("Title"),
        gettext_lazy("Unit"),
        gettext_lazy("E-mail"),
        gettext_lazy("Active"),
        gettext_lazy("Username"),
    )

    def __init__(self, people):
        self.people = people

    def rows(self):
        for name, title, unit, email, active, username in self.people.values_list(
            "name", "title", "unit__name", "email", "active", "user__username"
        ):
            yield (name, title, unit or "", email, _yes_no(active), username or "")


def unit_tree(units) -> list[OrgUnit]:
    """The units in tree order (each after its parent), each with its `depth`."""
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)

    def walk(parent_id, depth):
        for unit in children.get(parent_id, []):
            unit.depth = depth
            yield unit
            yield from walk(unit.pk, depth + 1)

    return list(walk(None, 0))


def units_with_counts():
    """The units with their number of people, in Danish order, as the unit list reads them."""
    return OrgUnit.objects.annotate(people_count=Count("people")).order_by(Danish("name"))


class OrgUnitExport(XlsxExporter):
    """The units in the tree order of the list, with the unit each is part of."""

    sheet_title = gettext_lazy("Units")
    columns = (
        gettext_lazy("Unit"),
        gettext_lazy("Kind"),
        gettext_lazy("Part of"),
        gettext_lazy("People"),
    )

    def __init__(self, units: list[OrgUnit]):
        self.units = units

    def rows(self):
        kinds = choice_labels(OrgUnitKind)
        names = {unit.pk: unit.name for unit in self.units}
        for unit in self.units:
            yield (
                unit.name,
                kinds.get(unit.kind, unit.kind),
                names.get(unit.parent_id, ""),
                unit.people_count,
            )


class BodyExport(XlsxExporter):
    """Bodies as the list shows them (`bodies` with `chairs` and `member_count`), with their
    dates, purpose and closing summary."""

    sheet_title = gettext_lazy("Bodies")
    columns = (
        gettext_lazy("Body"),
        gettext_lazy("Short name"),
        gettext_lazy("Kind"),
        gettext_lazy("Chair"),
        gettext_lazy("Reports to"),
        gettext_lazy("Members"),
        gettext_lazy("Cadence"),
        gettext_lazy("Meetings a year"),
        gettext_lazy("Cross-cutting"),
        gettext_lazy("Established"),
        gettext_lazy("Closed on"),
        gettext_lazy("Purpose"),
        gettext_lazy("Closing summary"),
    )

    def __init__(self, bodies):
        self.bodies = bodies

    def rows(self):
        kinds = choice_labels(BodyKind)
        for body in self.bodies:
            yield (
                body.name,
                body.short_name,
                kinds.get(body.kind, body.kind),
                ", ".join(m.person.name for m in body.chairs),
                body.parent.name if body.parent_id else "",
                body.member_count,
                body.cadence,
                body.meetings_per_year,
                _yes_no(body.cross_cutting),
                body.established_on,
                body.closed_on,
                body.purpose,
                body.closing_summary,
            )


class MembershipExport(XlsxExporter):
    """Every membership, past and present (the full export)."""

    sheet_title = gettext_lazy("Memberships")
    columns = (
        gettext_lazy("Body"),
        gettext_lazy("Name"),
        gettext_lazy("Title"),
        gettext_lazy("Role"),
        gettext_lazy("From"),
        gettext_lazy("To"),
        gettext_lazy("Note"),
    )

    def __init__(self, memberships):
        self.memberships = memberships

    def rows(self):
        roles = choice_labels(MembershipRole)
        for body, name, title, role, start, end, note in self.memberships.values_list(
            "body__name", "person__name", "person__title", "role", "start", "end", "note"
        ):
            yield (body, name, title, roles.get(role, role), start, end, note)


class MandateExport(XlsxExporter):
    """Every version of every mandate (the full export)."""

    sheet_title = gettext_lazy("Mandates")
    columns = (
        gettext_lazy("Body"),
        gettext_lazy("Version"),
        gettext_lazy("Title"),
        gettext_lazy("Purpose"),
        gettext_lazy("Duties"),
        gettext_lazy("Composition"),
        gettext_lazy("Cadence"),
        gettext_lazy("Approved by"),
        gettext_lazy("Approved on"),
    )

    def __init__(self, mandates):
        self.mandates = mandates

    def rows(self):
        yield from self.mandates.values_list(
            "body__name",
            "version",
            "title",
            "purpose",
            "duties",
            "composition",
            "cadence",
            "approved_by__name",
            "approved_on",
        )


# --- The full export (documents.exports) -------------------------------------------------------


@exports.register("enheder", position=10)
def _all_units(municipality):
    return OrgUnitExport(unit_tree(units_with_counts().filter(municipality=municipality)))


@exports.register("personer", position=11)
def _all_people(municipality):
    people = Person.objects.filter(municipality=municipality).order_by(Danish("name"), "pk")
    return PersonExport(people)


@exports.register("organer", position=12)
def _all_bodies(municipality):
    from organisation.views import bodies_with_chairs

    bodies = bodies_with_chairs(timezone.localdate()).filter(municipality=municipality)
    return BodyExport(bodies)


@exports.register("medlemskaber", position=13)
def _all_memberships(municipality):
    memberships = Membership.objects.filter(municipality=municipality).order_by(
        Danish("body__name"), "start", "pk"
    )
    return MembershipExport(memberships)


@exports.register("kommissorier", position=14)
def _all_mandates(municipality):
    mandates = Mandate.objects.filter(municipality=municipality).order_by(
        Danish("body__name"), "version"
    )
    return MandateExport(mandates)
