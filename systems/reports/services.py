"""The DPO's annual report and the overview of a body's systems: gathered from the register
in a constant number of queries, rendered by `systems.reports.documents` (page, PDF, DOCX).

The duties' states (overdue, due soon, missing) come from `systems.duties`, on the day the
report is made for: the last day of the year, or today for the current year. The duties read
the latest assessment, supervision and agreement of each system as the register holds them
now (a report for an earlier year made today counts an assessment done after that year).

Only open fields of breaches reach the report (title, dates, severity, whether and when it
was notified): it goes on the Direktion's agenda.

`attach(meeting, pdf, item, title, filename)` puts a generated PDF on an agenda that can still
change, as the steering-group pack does (pack/services.py `attach`).
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import services as meeting_services
from meetings.models import AGENDA_EDITABLE, AgendaItem, Attachment, ItemKind, Meeting
from organisation.models import Body
from systems import duties
from systems.breaches import services as breaches
from systems.models import (
    Assessment,
    AssessmentKind,
    Breach,
    Contract,
    DataProcessingAgreement,
    Lifecycle,
    PersonalData,
    Severity,
    Supervision,
    SystemUsage,
)

PDF = "application/pdf"
FIRST_YEAR = 2000


def valid_year(value) -> int | None:
    """A report's year from the address: 2000 to next year, else None (404)."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if FIRST_YEAR <= year <= timezone.localdate().year + 1 else None


def kinds_label(kinds) -> str:
    labels = dict(PersonalData.choices)
    return ", ".join(str(labels.get(kind, kind)) for kind in kinds or []) or "–"


# --- The annual report ------------------------------------------------------------------------


@dataclass
class SeverityRow:
    severity: str
    label: str
    total: int = 0
    in_time: int = 0
    late: int = 0
    not_notified: int = 0


@dataclass
class BreachLine:
    breach: Breach
    state_label: str
    notified: str  # "in time", "late", "not notified" in words


@dataclass
class DutyLine:
    usage: SystemUsage | None
    subject: str
    state_label: str
    due: datetime.date | None
    note: str = ""


@dataclass
class AnnualReport:
    municipality: object
    year: int
    as_of: datetime.date
    generated_on: datetime.date
    severities: list[SeverityRow]
    breaches: list[BreachLine]
    without_risk: list[DutyLine]
    without_agreement: list[DutyLine]
    supervisions: list[Supervision]
    supervisions_overdue: list[DutyLine]
    dpias: list[Assessment]
    dpias_missing: list[DutyLine]
    personal_data_systems: int = 0

    @property
    def title(self) -> str:
        return _("The data protection officer's annual report %(year)d") % {"year": self.year}

    @property
    def breach_total(self) -> int:
        return sum(row.total for row in self.severities)

    @property
    def late_total(self) -> int:
        return sum(row.late for row in self.severities)

    @property
    def not_notified_total(self) -> int:
        return sum(row.not_notified for row in self.severities)


def _notified_words(breach: Breach) -> str:
    if breach.notified_at is None:
        return _("Not notified")
    if breach.notified_late:
        return _("Notified late")
    return _("Notified in time")


def _line(duty: duties.Duty, usages: dict[int, SystemUsage], note: str = "") -> DutyLine:
    usage = usages.get(duty.usage_ids[0]) if duty.usage_ids else None
    return DutyLine(usage, duty.subject, duty.state_label, duty.due, note)


def annual_report(municipality, year: int) -> AnnualReport:
    """The report for `year` of the municipality in scope."""
    today = timezone.localdate()
    as_of = min(today, datetime.date(year, 12, 31))
    # Breaches discovered in the year (their open fields only).
    found = list(
        Breach.objects.filter(discovered_at__year=year)
        .select_related("usage__system")
        .order_by("discovered_at", "pk")
    )
    rows = {value: SeverityRow(value, str(label)) for value, label in Severity.choices}
    lines = []
    for breach in found:
        row = rows[breach.severity]
        row.total += 1
        if breach.notified_at is None:
            row.not_notified += 1
        elif breach.notified_late:
            row.late += 1
        else:
            row.in_time += 1
        lines.append(
            BreachLine(
                breaches.withheld(breach), breaches.state_label(breach), _notified_words(breach)
            )
        )
    # The systems in use then, with personal data: their duties on `as_of`.
    usages = (
        SystemUsage.objects.exclude(lifecycle=Lifecycle.ENDED)
        .select_related("system", "owner", "body")
        .order_by("system__name", "pk")
    )
    annotated = list(duties.annotated_usages(usages).select_related("owner", "body"))
    by_pk = {usage.pk: usage for usage in annotated}
    without_risk, without_agreement, dpias_missing = [], [], []
    personal = 0
    for usage in annotated:
        if not usage.personal_data:
            continue
        personal += 1
        for duty in duties.duties_of_usage(usage, as_of):
            if duty.kind == duties.Kind.RISK and duty.state in {
                duties.State.OVERDUE,
                duties.State.MISSING,
            }:
                without_risk.append(_line(duty, by_pk))
            elif duty.kind == duties.Kind.AGREEMENT:
                without_agreement.append(_line(duty, by_pk))
            elif duty.kind == duties.Kind.DPIA and duty.state in {
                duties.State.OVERDUE,
                duties.State.MISSING,
            }:
                dpias_missing.append(_line(duty, by_pk, kinds_label(usage.personal_data)))
    agreements = DataProcessingAgreement.objects.filter(usages__in=usages.values("pk")).distinct()
    overdue_supervisions = []
    for rows_of in duties.agreement_duties(agreements, as_of).values():
        for duty in rows_of:
            if duty.state in {duties.State.OVERDUE, duties.State.MISSING}:
                overdue_supervisions.append(_line(duty, by_pk))
    supervisions = list(
        Supervision.objects.filter(done_on__year=year)
        .select_related("agreement__processor")
        .order_by("done_on", "pk")
    )
    dpias = list(
        Assessment.objects.filter(kind=AssessmentKind.DPIA, done_on__year=year)
        .select_related("usage__system")
        .order_by("done_on", "pk")
    )
    return AnnualReport(
        municipality=municipality,
        year=year,
        as_of=as_of,
        generated_on=today,
        severities=list(rows.values()),
        breaches=lines,
        without_risk=without_risk,
        without_agreement=without_agreement,
        supervisions=supervisions,
        supervisions_overdue=overdue_supervisions,
        dpias=dpias,
        dpias_missing=dpias_missing,
        personal_data_systems=personal,
    )


# --- A body's systems -------------------------------------------------------------------------


@dataclass
class UsageState:
    usage: SystemUsage
    duties: list[duties.Duty]
    contracts: list[tuple[Contract, duties.Duty | None]] = field(default_factory=list)
    agreements: list[tuple[DataProcessingAgreement, duties.Duty | None]] = field(
        default_factory=list
    )

    @property
    def kinds(self) -> str:
        return kinds_label(self.usage.personal_data)

    @property
    def attention(self) -> list[duties.Duty]:
        every = list(self.duties)
        every += [d for _, d in self.contracts if d is not None]
        every += [d for _, d in self.agreements if d is not None]
        return [d for d in every if d.needs_attention]


@dataclass
class BodySystems:
    body: Body
    today: datetime.date
    rows: list[UsageState]

    @property
    def title(self) -> str:
        return _("Systems governed by %(body)s") % {"body": self.body.name}

    @property
    def attention_count(self) -> int:
        return sum(len(row.attention) for row in self.rows)


def body_systems(body: Body) -> BodySystems:
    """The systems `body` governs (SystemUsage.body) with their duties, contracts and
    agreements, in a constant number of queries."""
    today = timezone.localdate()
    usages = list(
        duties.annotated_usages(SystemUsage.objects.filter(body=body))
        .select_related("owner", "responsible_unit", "system__supplier")
        .order_by("system__name", "pk")
    )
    ids = [usage.pk for usage in usages]
    contract_links = Contract.usages.through.objects.filter(systemusage_id__in=ids)
    contracts = {
        c.pk: c for c in Contract.objects.filter(pk__in=contract_links.values("contract_id"))
    }
    contract_of: dict[int, list[int]] = {}
    for usage_id, contract_id in contract_links.values_list("systemusage_id", "contract_id"):
        contract_of.setdefault(usage_id, []).append(contract_id)
    agreement_links = DataProcessingAgreement.usages.through.objects.filter(systemusage_id__in=ids)
    agreements = {
        a.pk: a
        for a in duties.annotated_agreements(
            DataProcessingAgreement.objects.filter(
                pk__in=agreement_links.values("dataprocessingagreement_id")
            ).select_related("processor")
        )
    }
    agreement_of: dict[int, list[int]] = {}
    for usage_id, agreement_id in agreement_links.values_list(
        "systemusage_id", "dataprocessingagreement_id"
    ):
        agreement_of.setdefault(usage_id, []).append(agreement_id)
    rows = []
    for usage in usages:
        row = UsageState(usage, duties.duties_of_usage(usage, today))
        for pk in sorted(contract_of.get(usage.pk, [])):
            contract = contracts[pk]
            found = duties.duties_of_contract(contract, today, [usage])
            row.contracts.append((contract, found[0] if found else None))
        for pk in sorted(agreement_of.get(usage.pk, [])):
            agreement = agreements[pk]
            found = duties.duties_of_agreement(agreement, today, [usage])
            row.agreements.append((agreement, found[0] if found else None))
        rows.append(row)
    return BodySystems(body, today, rows)


# --- Attaching the report to an agenda -------------------------------------------------------


def attachable_meetings(user):
    """Meetings from today on whose agenda can still change and which `user` may build
    (`meetings.edit`), soonest first."""
    from core.permissions import has_perm

    meetings = (
        Meeting.objects.filter(state__in=AGENDA_EDITABLE, date__gte=timezone.localdate())
        .select_related("body")
        .order_by("date", "start", "pk")
    )
    return [meeting for meeting in meetings if has_perm(user, "meetings.edit", meeting)]


@transaction.atomic
def attach(
    meeting: Meeting, content: bytes, item: AgendaItem | None, title: str, filename: str
) -> Attachment:
    """Attach the PDF to an item of the meeting's agenda, or to a new information item
    `title` at its end. An attachment of the same title on the item gets a new version.
    Refused (ValidationError) once the agenda is sent."""
    state = (
        Meeting.within(meeting)
        .select_for_update()
        .filter(pk=meeting.pk)
        .values_list("state", flat=True)
        .first()
    )
    if state not in AGENDA_EDITABLE:
        raise ValidationError(_("The agenda has been sent and can no longer be changed."))
    if item is None:
        item = meeting_services.add_item(
            meeting, AgendaItem(title=title, kind=ItemKind.INFORMATION, duration=10)
        )
    elif item.meeting_id != meeting.pk or item.is_break:
        raise ValidationError(_("Choose an item of this meeting's agenda."))
    attachment = (
        Attachment.objects.select_for_update().filter(item=item, title=title).order_by("pk").first()
    )
    if attachment is None:
        last = Attachment.objects.filter(item=item).aggregate(m=Max("position"))["m"]
        attachment = Attachment(
            item=item,
            title=title,
            municipality_id=item.municipality_id,
            position=0 if last is None else last + 1,
        )
    else:
        attachment.version += 1
    attachment.content_type = PDF
    attachment.size = len(content)
    attachment.file.save(filename, ContentFile(content), save=False)
    attachment.full_clean()
    attachment.save()
    return attachment
