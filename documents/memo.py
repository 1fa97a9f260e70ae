"""The status memo on cross-cutting groups as PDF (WeasyPrint) and DOCX (python-docx)."""

import io

from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _

from documents.pdf import html_to_pdf
from organisation.services import StatusMemo


def memo_title(memo: StatusMemo) -> str:
    month = formats.date_format(memo.date, "F Y")
    return _("Status of cross-cutting groups – %(date)s") % {"date": month}


def memo_pdf(memo: StatusMemo, request=None) -> bytes:
    html = render_to_string(
        "documents/memo_pdf.html", {"memo": memo, "title": memo_title(memo)}, request=request
    )
    return html_to_pdf(html)


def memo_docx(memo: StatusMemo) -> bytes:
    from documents.docx import new_document

    document = new_document(memo_title(memo))
    document.add_paragraph(_("Memo"))
    document.add_heading(memo_title(memo), level=1)
    if memo.intro:
        document.add_paragraph(memo.intro)
    for group in memo.groups:
        document.add_heading(group.body.name, level=2)
        document.add_heading(_("Purpose"), level=3)
        document.add_paragraph(group.purpose or "–")
        document.add_heading(_("Members"), level=3)
        if group.members:
            for member in group.members:
                text = member.name + (f", {member.title}" if member.title else "")
                if member.role != "member":
                    text += f" ({member.role_label.lower()})"
                document.add_paragraph(text, style="List Bullet")
        else:
            document.add_paragraph(_("The group has no members on this date."))
        document.add_heading(_("Organisation"), level=3)
        for line in group.organisation or ["–"]:
            document.add_paragraph(line, style="List Bullet")
        document.add_heading(_("Current status"), level=3)
        document.add_paragraph(
            group.status.text if group.status else _("No status has been written yet.")
        )
    for closed in memo.closed:
        document.add_heading(
            _("%(name)s (closed %(year)s)") % {"name": closed.body.name, "year": closed.year},
            level=2,
        )
        document.add_paragraph(closed.summary)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


__all__ = ["memo_pdf", "memo_docx", "translation"]
