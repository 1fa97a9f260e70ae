"""The organisation's documents, made with the shared machinery of `documents`: the status
memo on cross-cutting groups as PDF (WeasyPrint) and DOCX (python-docx), and the members of
the active bodies as an Excel sheet."""

import datetime

from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.collation import danish_key
from core.widgets import choice_labels
from documents.docx import DocxBuilder
from documents.pdf import html_to_pdf
from documents.xlsx import XlsxExporter
from organisation.models import Body, BodyKind, Membership, MembershipRole
from organisation.services import StatusMemo, seat_order


def memo_title(memo: StatusMemo) -> str:
    month = formats.date_format(memo.date, "F Y")
    return _("Status of cross-cutting groups – %(date)s") % {"date": month}


def memo_pdf(memo: StatusMemo, request=None) -> bytes:
    html = render_to_string(
        "organisation/memo_pdf.html", {"memo": memo, "title": memo_title(memo)}, request=request
    )
    return html_to_pdf(html)


def memo_docx(memo: StatusMemo) -> bytes:
    doc = DocxBuilder(memo_title(memo), memo.municipality)
    doc.paragraph(_("Memo"))
    doc.heading(memo_title(memo), level=1)
    if memo.intro:
        doc.paragraph(memo.intro)
    for group in memo.groups:
        doc.heading(group.body.name, level=2)
        doc.heading(_("Purpose"), level=3)
        doc.paragraph(group.purpose or "–")
        doc.heading(_("Members"), level=3)
        for member in group.members:
            text = member.name + (f", {member.title}" if member.title else "")
            if member.role != "member":
                text += f" ({member.role_label.lower()})"
            doc.bullet(text)
        if not group.members:
            doc.paragraph(_("The group has no members on this date."))
        doc.heading(_("Working arrangements"), level=3)
        for line in group.organisation or ["–"]:
            doc.bullet(line)
        doc.heading(_("Current status"), level=3)
        doc.paragraph(group.status.text if group.status else _("No status has been written yet."))
    for closed in memo.closed:
        doc.heading(
            _("%(name)s (closed %(year)s)") % {"name": closed.body.name, "year": closed.year},
            level=2,
        )
        doc.paragraph(closed.summary)
    return doc.to_bytes()


class MembersExport(XlsxExporter):
    """Every seat in the active bodies on a date: body, person, title, unit, role, period."""

    sheet_title = gettext_lazy("Members")
    columns = [
        gettext_lazy("Body"),
        gettext_lazy("Kind"),
        gettext_lazy("Name"),
        gettext_lazy("Title"),
        gettext_lazy("Unit"),
        gettext_lazy("Role"),
        gettext_lazy("From"),
        gettext_lazy("To"),
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
        kinds, roles = choice_labels(BodyKind), choice_labels(MembershipRole)
        for m in ordered:
            person = m.person
            yield [
                m.body.name,
                kinds.get(m.body.kind, m.body.kind),
                person.name,
                person.title,
                person.unit.name if person.unit else None,
                roles.get(m.role, m.role),
                m.start,
                m.end,
            ]
