"""Excel exports of the organisation."""

import datetime

from django.utils.translation import gettext_lazy as _

from core.collation import danish_key
from documents.xlsx import XlsxExporter
from organisation.models import Body, Membership
from organisation.services import seat_order


class MembersExport(XlsxExporter):
    """Every seat in the active bodies on a date: body, person, title, unit, role, period."""

    sheet_title = _("Members")
    columns = [
        _("Body"),
        _("Kind"),
        _("Name"),
        _("Title"),
        _("Unit"),
        _("Role"),
        _("From"),
        _("To"),
    ]

    def __init__(self, on: datetime.date):
        self.on = on

    def rows(self):
        memberships = (
            Membership.objects.current(self.on)
            .filter(body__in=Body.objects.active_on(self.on))
            .select_related("body", "person__unit")
        )
        ordered = sorted(
            memberships,
            key=lambda m: (danish_key(m.body.name), *seat_order(m)),
        )
        for m in ordered:
            person = m.person
            yield [
                m.body.name,
                m.body.get_kind_display(),
                person.name,
                person.title,
                person.unit.name if person.unit else None,
                m.get_role_display(),
                m.start,
                m.end,
            ]
