"""The agenda and the minutes of a meeting as PDF (WeasyPrint) and DOCX (python-docx), and the
e-mail that sends the agenda.

The documents follow seed 004, the Direktion's agenda and decisions of 15-05-2024:

    Direktionen 15-05-2024
    Punkter til behandling
      <case title>  Åben Sag | Lukket Sag
      Sagsgang  DIR
      Sagsfremstilling  <case text> / Tid Punkt: 9.05 <item> <text> <guests> … 15.00 Mødet afsluttes
      Indstilling
      Beslutning i Direktionen den 15-05-2024  <item>: <decision> | Punktet blev ikke behandlet.
    Bilag:  1 - 3608761 Åben <title> (40064/24)

The items of one case that follow each other form one section (in seed 004 the whole meeting is
one case, "Punkter til behandling"); an item without a case is a section of its own, and a break
belongs to the section it falls in.

Two variants: the internal one shows everything and is for those with `meetings.see_closed`;
the public one shows a closed item's title and "Lukket" only (no case text, recommendation,
guests, decision or follow-ups) and a closed attachment as "Lukket" and its title, without
numbers.

The documents are Danish whatever the language of the page: the fixed labels below are Danish
and dates are formatted under `translation.override("da")`.
"""

from dataclasses import dataclass, field
from email.mime.text import MIMEText
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation

from documents.docx import DocxBuilder
from documents.pdf import html_to_pdf
from meetings import services
from meetings.models import (
    AddendumKind,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    ItemAbsence,
    ItemAbsenceKind,
    Meeting,
    MinutesAddendum,
)

SECTION_TITLE = "Punkter til behandling"
OPEN_CASE, CLOSED_CASE = "Åben Sag", "Lukket Sag"
CLOSED = "Lukket"
OPEN = "Åben"
ROUTE = "Sagsgang"
CASE_TEXT = "Sagsfremstilling"
TIME, ITEM = "Tid", "Punkt"
RECOMMENDATION = "Indstilling"
NOT_TREATED = "Punktet blev ikke behandlet."
ENDS = "Mødet afsluttes"
ATTACHMENTS = "Bilag:"
AGENDA, MINUTES = "Dagsorden", "Referat"
INTERNAL_EDITION = "Intern udgave med lukkede punkter"
PUBLIC_EDITION = "Offentlig udgave"
CLOSED_NOTE = "Lukket punkt"
APPROVAL = "Godkendelse af referatet"
APPROVAL_CLOSED = "Godkendelsen blev lukket af formanden efter fristen"
RECORDED_AFTERWARDS = (
    "Referatet er registreret efterfølgende: mødet blev holdt uden digistyr, og dagsordenen "
    "blev ikke udsendt herfra."
)


def join_names(names: list[str]) -> str:
    """“A”, “A og B”, “A, B og C”."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " og " + names[-1]


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def person_label(person) -> str:
    """“chefkonsulent Lene Helbo Bachmann”: the title before the name, as the seeds write."""
    return f"{person.title} {person.name}" if person.title else person.name


def guests_line(item: AgendaItem, absent: frozenset[int] = frozenset()) -> str:
    """“A og B deltager under behandlingen.”: the item's guests. In the minutes, a guest
    invited (on the agenda) whom the attendance records as not present is said apart:
    “C var inviteret, men deltog ikke.” (`absent`: their person ids)."""
    invited = list(item.guests.all())
    guests = [person_label(p) for p in invited if p.pk not in absent] + item.other_guest_lines
    away = [person_label(p) for p in invited if p.pk in absent]
    lines = []
    if guests:
        lines.append(capitalise(join_names(guests)) + " deltager under behandlingen.")
    if away:
        lines.append(capitalise(join_names(away)) + " var inviteret, men deltog ikke.")
    return " ".join(lines)


def absence_lines(item: AgendaItem) -> list[str]:
    """“Borgmester Anne Hansen deltager ikke.”, “… er inhabil og deltager ikke.”"""
    lines = []
    for absence in item.absences.all():
        who = capitalise(person_label(absence.person))
        if absence.kind == ItemAbsenceKind.CONFLICT:
            line = f"{who} er inhabil og deltager ikke"
        else:
            line = f"{who} deltager ikke"
        lines.append(line + (f" ({absence.note})." if absence.note else "."))
    return lines


ADDENDUM_LABELS = {
    AddendumKind.DISSENT: "Protokoltilførsel (afvigende opfattelse)",
    AddendumKind.ADDITION: "Protokoltilførsel (tilføjelse)",
}


def addendum_lines(item: AgendaItem) -> list[str]:
    """“Protokoltilførsel (afvigende opfattelse) fra Anne Hansen: …”"""
    return [
        f"{ADDENDUM_LABELS.get(a.kind, 'Protokoltilførsel')} fra {person_label(a.person)}: "
        f"{a.text.strip()}"
        for a in item.addenda.all()
    ]


def absent_people(meeting: Meeting) -> frozenset[int]:
    """The people the meeting's attendance records as absent or excused (one query)."""
    return frozenset(
        Attendance.objects.filter(meeting_id=meeting.pk)
        .exclude(status=AttendanceStatus.PRESENT)
        .values_list("person_id", flat=True)
    )


def follow_up_lines(item: AgendaItem, public: bool) -> list[str]:
    """“<owner> følger op: <what> (frist dd-mm-yyyy)”; owners of the same task are joined."""
    grouped: dict[tuple, list[str]] = {}
    for follow_up in item.follow_ups.all():
        if public and (follow_up.closed or item.closed):
            continue
        owner = person_label(follow_up.owner) if follow_up.owner_id else str(follow_up.owner_unit)
        grouped.setdefault((follow_up.description.strip(), follow_up.due_date), []).append(owner)
    lines = []
    for (what, due), owners in grouped.items():
        line = f"{capitalise(join_names(owners))} følger op: {what}"
        if due:
            line += f" (frist {due:%d-%m-%Y})"
        lines.append(line)
    return lines


def attachment_line(number: int, attachment, public: bool) -> str:
    """“1 - 3608761 Åben Databeskyttelsesrådgiverens årsrapport 2023 (40064/24)”."""
    closed = attachment.closed or attachment.item.closed
    if closed and public:
        return f"{number} - {CLOSED} {attachment.title}"
    parts = [f"{number} -"]
    if attachment.document_number:
        parts.append(attachment.document_number)
    parts.append(CLOSED if closed else OPEN)
    parts.append(attachment.title)
    if attachment.journal_number:
        parts.append(f"({attachment.journal_number})")
    return " ".join(parts)


# --- The structure both formats are written from ----------------------------------------------


@dataclass
class Slot:
    """One line of the timed list: “9.05 Punkt 1 – …” with the item's text."""

    time: str
    title: str
    is_break: bool
    closed: bool
    hidden: bool  # closed, in the public variant: the title and "Lukket" only
    text: str = ""
    guests: str = ""
    recommendation: str = ""


@dataclass
class Decision:
    title: str
    closed: bool
    hidden: bool
    text: str = ""
    follow_ups: list[str] = field(default_factory=list)
    # Who did not take part (“Borgmesteren deltager ikke.”) and the participants' dissents
    # and additions (protokoltilførsler), in the minutes.
    absences: list[str] = field(default_factory=list)
    addenda: list[str] = field(default_factory=list)


@dataclass
class Section:
    """A case with its items in agenda order (or one item without a case)."""

    title: str
    closed: bool
    route: str
    description: str
    slots: list[Slot]
    recommendations: list[str] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    closing: str = ""  # “15.00 Mødet afsluttes”, in the last section

    @property
    def status(self) -> str:
        return CLOSED_CASE if self.closed else OPEN_CASE


@dataclass
class MeetingDocument:
    meeting: Meeting
    minutes: bool
    public: bool
    kind: str
    edition: str
    heading: str
    when: str
    place: str
    sections: list[Section]
    decision_heading: str
    attachments: list[str]
    note: str = ""  # of minutes registered afterwards (`services.record_afterwards`)
    # Of minutes that every participant approves: who approved when, who is missing, and
    # whether the chair closed the approval after the deadline (`approval_lines`).
    approvals: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.kind}: {self.heading}"


def _sections(
    meeting: Meeting,
    items: list[AgendaItem],
    public: bool,
    absent: frozenset[int] = frozenset(),
    withheld: frozenset[int] = frozenset(),
    minutes: bool = False,
) -> list[Section]:
    """The sections of the document. `withheld`: items whose closed content is left out as
    in the public edition, for a reader disqualified from them (a conflict of interest)."""
    groups: list[tuple[object, list]] = []
    pending: list = []  # breaks before the first item
    for timed in services.timed_items(meeting, items):
        item = timed.item
        if item.is_break:
            if groups:
                groups[-1][1].append(timed)
            else:
                pending.append(timed)
            continue
        key = ("case", item.case_id) if item.case_id else ("item", item.pk)
        if groups and groups[-1][0] == key:
            groups[-1][1].append(timed)
        else:
            groups.append((key, [*pending, timed]))
            pending = []
    if pending:
        groups.append((("breaks", None), pending))

    sections = []
    for _key, timed_list in groups:
        real = [t.item for t in timed_list if not t.item.is_break]
        case = real[0].case if real else None
        closed = case.closed if case else any(i.closed for i in real)
        slots = []
        for timed in timed_list:
            item = timed.item
            hidden = (public or item.pk in withheld) and item.closed
            slots.append(
                Slot(
                    time=services.format_time(timed.start),
                    title=item.title,
                    is_break=item.is_break,
                    closed=item.closed,
                    hidden=hidden,
                    text="" if hidden else item.case_text.strip(),
                    guests="" if hidden else guests_line(item, absent),
                    recommendation="" if hidden else item.recommendation.strip(),
                )
            )
        recommendations = [s.recommendation for s in slots if s.recommendation]
        shared = []
        if len(set(recommendations)) == 1:
            # One recommendation for the whole case, as in seed 004: said once.
            shared = recommendations[:1]
            for slot in slots:
                slot.recommendation = ""
        decisions = []
        for item in real:
            hidden = (public or item.pk in withheld) and item.closed
            if item.not_treated:
                text = NOT_TREATED
            elif item.decision.strip():
                text = item.decision.strip()
            else:
                continue
            decisions.append(
                Decision(
                    title=item.title,
                    closed=item.closed,
                    hidden=hidden,
                    text="" if hidden else text,
                    follow_ups=[] if hidden else follow_up_lines(item, public),
                    absences=[] if hidden or not minutes else absence_lines(item),
                    addenda=[] if hidden or not minutes else addendum_lines(item),
                )
            )
        if case is not None:
            title = case.title
            withholds = any(item.pk in withheld for item in real)
            description = "" if (public or withholds) and case.closed else case.description.strip()
        else:
            title = real[0].title if real else timed_list[0].item.title
            description = ""
        sections.append(
            Section(
                title=title,
                closed=closed,
                route=services.route_label(case),
                description=description,
                slots=slots,
                recommendations=shared,
                decisions=decisions,
            )
        )
    return sections


def build(
    meeting: Meeting, public: bool, minutes: bool, items=None, withheld=frozenset()
) -> MeetingDocument:
    """Everything the agenda or the minutes say, from `services.agenda_items` (constant
    queries). `withheld`: the items the reader is disqualified from (their closed content is
    left out, `meetings.proceedings.services.disqualified_items`)."""
    items = services.agenda_items(meeting) if items is None else items
    withheld = frozenset(withheld)
    if minutes:
        prefetch_related_objects(
            items,
            Prefetch("absences", queryset=ItemAbsence.objects.select_related("person")),
            Prefetch("addenda", queryset=MinutesAddendum.objects.select_related("person")),
        )
    with translation.override("da"):
        end = services.meeting_end(meeting, items)
        absent = absent_people(meeting) if minutes else frozenset()
        sections = _sections(meeting, items, public, absent, withheld, minutes)
        if sections:
            sections[-1].closing = f"{services.format_time(end)} {ENDS}"
        date = formats.date_format(meeting.date, "l j. F Y")
        when = f"{capitalise(date)} kl. {services.format_time(meeting.start)}–{services.format_time(end)}"
    name = meeting.title or meeting.body.name
    return MeetingDocument(
        meeting=meeting,
        minutes=minutes,
        public=public,
        kind=MINUTES if minutes else AGENDA,
        edition=PUBLIC_EDITION if public else INTERNAL_EDITION,
        heading=meeting.heading,
        when=when,
        place=meeting.place,
        sections=sections,
        decision_heading=f"Beslutning i {name} den {meeting.date:%d-%m-%Y}",
        attachments=[
            attachment_line(number, attachment, public or attachment.item_id in withheld)
            for number, attachment in services.numbered_attachments(items)
        ],
        note=RECORDED_AFTERWARDS if minutes and meeting.recorded_afterwards else "",
        approvals=approval_lines(meeting) if minutes else [],
    )


def _moment(value) -> str:
    local = timezone.localtime(value)
    return f"{local:%d-%m-%Y} kl. {services.format_time(local.time())}"


def approval_lines(meeting: Meeting) -> list[str]:
    """“Godkendt af Tonny Olsen 16-05-2024 kl. 10.12”, one line per participant who approved
    in the current round, then who is missing and whether the chair closed the approval
    after the deadline; nothing for a body whose chair approves alone. The participants'
    remarks are for the secretary and are not printed."""
    from meetings.approvals import services as approvals

    if not services.by_participants(meeting) or not meeting.approval_round:
        return []
    sheet = approvals.sheet(meeting)
    lines = []
    if sheet.circulated_at and not meeting.minutes_locked:
        lines.append(
            f"Sendt til godkendelse {_moment(sheet.circulated_at)}, "
            f"frist {_moment(sheet.deadline)}."
        )
    for answer in sorted(sheet.approved, key=lambda answer: answer.approved_at):
        line = f"Godkendt af {person_label(answer.person)} {_moment(answer.approved_at)}"
        if answer.disqualified:
            # Disqualified from an item (inhabil): the approval does not cover it.
            titles = join_names([f"“{title}”" for title in answer.disqualified])
            line += f", dog ikke {titles} (inhabil)"
        lines.append(line)
    if sheet.missing:
        lines.append(
            "Ikke godkendt af: " + join_names([person_label(a.person) for a in sheet.missing])
        )
    if sheet.closed_at:
        lines.append(f"{APPROVAL_CLOSED}: {sheet.closed_by} {_moment(sheet.closed_at)}.")
    return lines


# --- PDF ----------------------------------------------------------------------------------------


def _pdf(document: MeetingDocument, template: str) -> bytes:
    with translation.override("da"):
        html = render_to_string(template, {"doc": document})
    return html_to_pdf(html)


def agenda_pdf(meeting: Meeting, public: bool, items=None, withheld=frozenset()) -> bytes:
    return _pdf(
        build(meeting, public, minutes=False, items=items, withheld=withheld),
        "meetings/agenda_pdf.html",
    )


def minutes_pdf(meeting: Meeting, public: bool, items=None, withheld=frozenset()) -> bytes:
    return _pdf(
        build(meeting, public, minutes=True, items=items, withheld=withheld),
        "meetings/minutes_pdf.html",
    )


# --- DOCX ---------------------------------------------------------------------------------------


def _bold(doc: DocxBuilder, text: str):
    paragraph = doc.paragraph()
    paragraph.add_run(text).bold = True
    return paragraph


def _text(doc: DocxBuilder, text: str) -> None:
    for block in text.split("\n\n"):
        if block.strip():
            doc.paragraph(block.strip())


def _docx(document: MeetingDocument) -> bytes:
    doc = DocxBuilder(document.title, document.meeting.municipality)
    doc.paragraph(f"{document.kind} – {document.edition}")
    doc.heading(document.heading, level=1)
    doc.paragraph(document.when + (f", {document.place}" if document.place else ""))
    if document.note:
        doc.paragraph(document.note)
    doc.heading(SECTION_TITLE, level=2)
    for section in document.sections:
        if section.title != SECTION_TITLE:
            doc.heading(section.title, level=3)
        _bold(doc, section.status)
        if section.route:
            _bold(doc, ROUTE)
            doc.paragraph(section.route)
        _bold(doc, CASE_TEXT)
        if section.description:
            _text(doc, section.description)
        _bold(doc, f"{TIME} {ITEM}")
        for slot in section.slots:
            # An item that is its section has its title in the heading above: said once.
            same = slot.title == section.title and not slot.is_break
            _bold(doc, slot.time if same else f"{slot.time} {slot.title}")
            if slot.closed:
                doc.paragraph(CLOSED_NOTE)
            if slot.text:
                _text(doc, slot.text)
            if slot.guests:
                doc.paragraph(slot.guests)
            if slot.recommendation:
                doc.paragraph(f"{RECOMMENDATION}: {slot.recommendation}")
        if section.closing:
            _bold(doc, section.closing)
        if section.recommendations:
            _bold(doc, RECOMMENDATION)
            for text in section.recommendations:
                _text(doc, text)
        if document.minutes and section.decisions:
            doc.heading(document.decision_heading, level=4)
            if section.description:
                _text(doc, section.description)
            for decision in section.decisions:
                _bold(doc, decision.title)
                if decision.hidden:
                    doc.paragraph(CLOSED_NOTE)
                    continue
                for line in decision.absences:
                    doc.paragraph(line)
                _text(doc, decision.text)
                for line in decision.follow_ups:
                    doc.bullet(line)
                for line in decision.addenda:
                    doc.paragraph(line)
    if document.attachments:
        doc.heading(ATTACHMENTS, level=2)
        for line in document.attachments:
            doc.paragraph(line)
    if document.approvals:
        doc.heading(APPROVAL, level=2)
        for line in document.approvals:
            doc.paragraph(line)
    return doc.to_bytes()


def agenda_docx(meeting: Meeting, public: bool, items=None, withheld=frozenset()) -> bytes:
    return _docx(build(meeting, public, minutes=False, items=items, withheld=withheld))


def minutes_docx(meeting: Meeting, public: bool, items=None, withheld=frozenset()) -> bytes:
    return _docx(build(meeting, public, minutes=True, items=items, withheld=withheld))


def filename(meeting: Meeting, minutes: bool, public: bool, extension: str) -> str:
    """“dagsorden-2024-05-15-intern.pdf”."""
    kind = "referat" if minutes else "dagsorden"
    edition = "offentlig" if public else "intern"
    return f"{kind}-{meeting.date:%Y-%m-%d}-{edition}.{extension}"


# --- The agenda e-mail ----------------------------------------------------------------------------


def meeting_path(meeting: Meeting) -> str:
    """The meeting's page, with the site's address in front when settings name one."""
    try:
        path = reverse("meetings:meeting_detail", kwargs={"pk": meeting.pk})
    except NoReverseMatch:
        path = f"/moeder/{meeting.pk}/"
    return getattr(settings, "DIGISTYR_BASE_URL", "").rstrip("/") + path


def _invitation_part(content: bytes) -> MIMEText:
    part = MIMEText(content.decode(), "calendar", "utf-8")
    part.set_param("method", "REQUEST")
    part.add_header("Content-Disposition", "attachment", filename="invitation.ics")
    return part


def send_agenda_email(meeting: Meeting, recipients: list[tuple[str, str]], connection=None) -> int:
    """E-mail the internal agenda PDF and a calendar invitation (METHOD:REQUEST) to members.

    One message per recipient, so no member sees the others' addresses and each invitation
    names its own attendee. The PDF is rendered once. Returns the number of messages sent.
    """
    from meetings import ical

    items = services.agenda_items(meeting)
    pdf = agenda_pdf(meeting, public=False, items=items)
    end = services.meeting_end(meeting, items)
    with translation.override("da"):
        date = formats.date_format(meeting.date, "l j. F Y")
        body = render_to_string(
            "meetings/email_agenda.txt",
            {
                "meeting": meeting,
                "date": date,
                "start": services.format_time(meeting.start),
                "end": services.format_time(end),
                "link": meeting_path(meeting),
            },
        )
    subject = f"Dagsorden: {meeting.heading}"
    attachment_name = filename(meeting, minutes=False, public=False, extension="pdf")
    messages = []
    for name, email in recipients:
        message = EmailMessage(subject, body, to=[formataddr((name, email))])
        message.attach(attachment_name, pdf, "application/pdf")
        message.attach(
            _invitation_part(ical.invitation(meeting, items=items, attendees=[(name, email)]))
        )
        messages.append(message)
    connection = connection or get_connection()
    return connection.send_messages(messages) or 0
