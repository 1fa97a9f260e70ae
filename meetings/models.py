"""Meetings, cases and decisions: from a timed agenda to locked minutes and follow-ups.

A `Meeting` of a body moves through its states (see `MeetingState`); its `AgendaItem`s are
the treatments of cases, each with a kind, a duration, a case text, a recommendation and,
once held, a decision. The clock times are not stored: they follow from the meeting's start
and the durations of the items before (`meetings.services.timed_items`).

Rules live here (`clean`) and in `meetings.services` (state changes); views only translate
HTTP. Approved minutes are locked: `AgendaItem.save` refuses to change the minutes of a
meeting whose minutes are approved, and a correction reopens them with a reason
(`services.reopen_minutes`), giving a new `MinutesVersion` when approved again.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from core.fields import PlausibleDateField
from core.models import TenantModel
from organisation.models import EXTERNAL_NO_MEETINGS, Body, OrgUnit, Person

MAX_DURATION_MINUTES = 600


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    AGENDA_DRAFT = "agenda_draft", _("Agenda draft")
    AGENDA_APPROVED = "agenda_approved", _("Agenda approved")
    AGENDA_SENT = "agenda_sent", _("Agenda sent")
    HELD = "held", _("Held")
    MINUTES_DRAFT = "minutes_draft", _("Minutes draft")
    MINUTES_APPROVED = "minutes_approved", _("Minutes approved")


# States in which the agenda (items, order, durations) may still be changed.
AGENDA_EDITABLE = {MeetingState.PLANNED, MeetingState.AGENDA_DRAFT, MeetingState.AGENDA_APPROVED}
# States in which decisions and follow-ups are recorded.
MINUTES_EDITABLE = {MeetingState.HELD, MeetingState.MINUTES_DRAFT}
# States from which the agenda is public to everyone in the municipality.
AGENDA_PUBLISHED = {
    MeetingState.AGENDA_SENT,
    MeetingState.HELD,
    MeetingState.MINUTES_DRAFT,
    MeetingState.MINUTES_APPROVED,
}


class Meeting(TenantModel):
    """A meeting of a body, from planning to approved minutes."""

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    date = PlausibleDateField(_("date"))
    start = models.TimeField(_("start"), default=datetime.time(9, 0))
    end = models.TimeField(
        _("end"),
        null=True,
        blank=True,
        help_text=_("Leave empty to end when the last item ends."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=MeetingState.choices, default=MeetingState.PLANNED
    )
    # Who approved and sent what, and when.
    agenda_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agenda approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    agenda_approved_at = models.DateTimeField(_("agenda approved at"), null=True, blank=True)
    agenda_sent_at = models.DateTimeField(_("agenda sent at"), null=True, blank=True)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("minutes approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    minutes_approved_at = models.DateTimeField(_("minutes approved at"), null=True, blank=True)
    # The reason for the correction in progress, while approved minutes are reopened.
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    # Approval by every participant (`Body.minutes_approval`, meetings.approvals): when the
    # secretary sent the minutes for approval (the current round, counted from 1; a new
    # round after every withdrawal or correction), and, when the participants did not all
    # approve in time, the chair who closed the approval after the deadline.
    minutes_circulated_at = models.DateTimeField(
        _("minutes sent for approval at"), null=True, blank=True
    )
    approval_round = models.PositiveIntegerField(_("round of approval"), default=0)
    approval_closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approval closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approval_closed_at = models.DateTimeField(_("approval closed at"), null=True, blank=True)
    # Held before the body used digistyr, or without it: recorded as held with nothing sent
    # (`services.record_afterwards`), and shown as "registreret efterfølgende".
    recorded_afterwards = models.BooleanField(_("registered afterwards"), default=False)
    # Optimistic locking of the agenda as a whole (order, items added or removed).
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    # For calendar invitations: a stable UID and a SEQUENCE that grows with every change.
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    sequence = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-start"]
        indexes = [models.Index(fields=["body", "date"])]

    detail_url_name = "meetings:meeting_detail"

    def __str__(self) -> str:
        return f"{self.body} {self.date:%d-%m-%Y}"

    @property
    def heading(self) -> str:
        """“Direktionen 15-05-2024”, as the seeds head an agenda."""
        return f"{self.title or self.body.name} {self.date:%d-%m-%Y}"

    @property
    def agenda_editable(self) -> bool:
        return self.state in AGENDA_EDITABLE

    @property
    def minutes_editable(self) -> bool:
        return self.state in MINUTES_EDITABLE

    @property
    def minutes_locked(self) -> bool:
        return self.state == MeetingState.MINUTES_APPROVED

    def clean(self):
        errors = {}
        if self.body_id and self.body.municipality_id != self.municipality_id:
            errors["body"] = _("The body belongs to another municipality.")
        elif self.body_id and self.body.external:
            errors["body"] = EXTERNAL_NO_MEETINGS
        if self.end and self.start and self.end <= self.start:
            errors["end"] = _("The meeting must end after it starts.")
        if self.body_id and self.date and self.body.closed_on and self.date >= self.body.closed_on:
            errors["date"] = _("The body was closed on %(date)s.") % {
                "date": self.body.closed_on.strftime("%d-%m-%Y")
            }
        if self.pk and "body" not in errors:
            original = Meeting.within(self).filter(pk=self.pk).values_list("body_id", flat=True)
            if original and original[0] != self.body_id:
                errors["body"] = _("A meeting cannot be moved to another body.")
        if errors:
            raise ValidationError(errors)


class CaseStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("case status", "Open")
    CLOSED = "closed", pgettext_lazy("case status", "Finished")


class Case(TenantModel):
    """A matter (sag) with a case number and a route through bodies (sagsgang)."""

    number = models.CharField(_("case number"), max_length=50)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    closed = models.BooleanField(
        _("closed case"),
        default=False,
        help_text=_("A closed case is only shown in full to members of the bodies treating it."),
    )
    created_on = PlausibleDateField(_("created on"), default=timezone.localdate)
    # Where the case was raised, when another part of digistyr opened it (a project's status
    # report, an escalated risk): a link back, shown on the case and in the backlog.
    origin_label = models.CharField(_("raised from"), max_length=300, blank=True, editable=False)
    origin_url = models.CharField(max_length=300, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number"], name="case_number_unique")
        ]

    detail_url_name = "meetings:case_detail"

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def validate_constraints(self, exclude=None):
        # `municipality` is not a form field; check the number here with a Danish message.
        super().validate_constraints(exclude=exclude)
        if self.number and self.municipality_id:
            clash = Case.within(self).filter(number=self.number).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError({"number": _("Another case has this case number.")})


class CaseStep(TenantModel):
    """One body on a case's route. `arrived_on` is set when the case lands in its backlog."""

    tenant_parent = "case"

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="steps"
    )
    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="case_steps"
    )
    position = models.PositiveSmallIntegerField(_("order"))
    arrived_on = PlausibleDateField(_("arrived on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("step of the route")
        verbose_name_plural = _("route")
        ordering = ["case", "position"]
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="casestep_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case.number}: {self.position}. {self.body}"

    def clean(self):
        if self.body_id and self.case_id and self.body.municipality_id != self.case.municipality_id:
            raise ValidationError({"body": _("The body belongs to another municipality.")})


class ItemKind(models.TextChoices):
    INFORMATION = "information", _("Information")
    DISCUSSION = "discussion", _("Discussion")
    DECISION = "decision", _("Decision")
    BREAK = "break", _("Break")


class Outcome(models.TextChoices):
    PENDING = "", _("Not recorded")
    TREATED = "treated", _("Treated")
    NOT_TREATED = "not_treated", _("Not treated")
    FORWARDED = "forwarded", _("Sent on to the next body")


class MinutesLockedError(ValidationError):
    pass


class AgendaItem(TenantModel):
    """One treatment of a case at a meeting: an item of the agenda and of the minutes."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="items"
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ItemKind.choices, default=ItemKind.DISCUSSION
    )
    duration = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=15,
        help_text=_("The clock times follow from the meeting's start and the durations."),
    )
    case_text = models.TextField(_("case text"), blank=True)
    recommendation = models.TextField(_("recommendation"), blank=True)
    guests = models.ManyToManyField(
        Person,
        verbose_name=_("guests for this item"),
        blank=True,
        related_name="guest_items",
    )
    # Guests who are no person in digistyr (a lawyer, a supplier), one per line as the
    # agenda writes them; the documents list them after the people among `guests`.
    other_guests = models.TextField(
        _("other guests"),
        blank=True,
        help_text=_(
            "Guests who are not people in digistyr, one per line with their title, as the "
            "agenda writes them: “jurist Maria Drejer Petersen”."
        ),
    )
    closed = models.BooleanField(_("closed item"), default=False)
    closed_reason = models.CharField(_("reason for closing"), max_length=300, blank=True)

    @property
    def other_guest_lines(self) -> list[str]:
        """`other_guests`, a guest per line, without blank lines."""
        return [line.strip() for line in self.other_guests.splitlines() if line.strip()]

    # The minutes
    decision = models.TextField(_("decision"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING, blank=True
    )
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("continues"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
    )
    # Optimistic locking: a save must name the revision it was edited from.
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    history = HistoricalRecords(m2m_fields=[guests])

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]
        indexes = [models.Index(fields=["meeting", "position"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_break(self) -> bool:
        return self.kind == ItemKind.BREAK

    @property
    def not_treated(self) -> bool:
        return self.outcome == Outcome.NOT_TREATED

    def clean(self):
        errors = {}
        if self.duration is not None and self.duration < 1:
            errors["duration"] = _("The duration must be at least one minute.")
        elif self.duration is not None and self.duration > MAX_DURATION_MINUTES:
            errors["duration"] = _("An item can last at most %(max)d minutes.") % {
                "max": MAX_DURATION_MINUTES
            }
        if self.closed and not self.closed_reason.strip():
            errors["closed_reason"] = _("Give the reason why the item is closed.")
        if self.meeting_id:
            if self.meeting.municipality_id != self.municipality_id:
                errors["meeting"] = _("The meeting belongs to another municipality.")
            if self.case_id and self.case.municipality_id != self.meeting.municipality_id:
                errors["case"] = _("The case belongs to another municipality.")
            if "duration" not in errors and self.duration:
                others = (
                    AgendaItem.within(self.meeting)
                    .filter(meeting_id=self.meeting_id)
                    .exclude(pk=self.pk)
                    .aggregate(total=models.Sum("duration"))["total"]
                    or 0
                )
                start = self.meeting.start
                end_minutes = start.hour * 60 + start.minute + others + self.duration
                if end_minutes > 24 * 60:
                    errors["duration"] = _(
                        "The agenda would run past midnight. Shorten the items or start earlier."
                    )
        if self.outcome == Outcome.FORWARDED and not self.case_id:
            errors["outcome"] = _("Only an item with a case can be sent on to another body.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.meeting_id:
            self.municipality_id = self.meeting.municipality_id
            state = (
                Meeting.within(self)
                .filter(pk=self.meeting_id)
                .values_list("state", flat=True)
                .first()
            )
            if state == MeetingState.MINUTES_APPROVED:
                raise MinutesLockedError(
                    _(
                        "The minutes are approved and locked. Reopen them with a reason to correct them."
                    )
                )
        super().save(*args, **kwargs)


ALLOWED_ATTACHMENT_EXTENSIONS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "txt": "text/plain",
    "csv": "text/csv",
}


def attachment_path(instance, filename: str) -> str:
    # Unguessable, never reused: earlier versions stay on disk for the history.
    return f"bilag/{instance.municipality_id}/{uuid.uuid4().hex}/{filename}"


class Attachment(TenantModel):
    """A document attached to an agenda item (bilag): open or closed, with a document number."""

    tenant_parent = "item"

    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    # The number the meeting gives the attachment (Bilag 7), kept as given, e.g. for minutes
    # entered afterwards; without one it is numbered in agenda order after the numbered ones
    # before it (`services.numbered_attachments`).
    number = models.PositiveSmallIntegerField(
        _("attachment number"),
        null=True,
        blank=True,
        help_text=_("Optional: the number the meeting gives it. Empty: numbered in agenda order."),
    )
    title = models.CharField(_("title"), max_length=300)
    document_number = models.CharField(_("document number"), max_length=50, blank=True)
    journal_number = models.CharField(
        _("journal number"), max_length=50, blank=True, help_text=_("E.g. “40064/24”.")
    )
    closed = models.BooleanField(_("closed attachment"), default=False)
    closed_reason = models.CharField(_("reason for closing"), max_length=300, blank=True)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300, blank=True)
    content_type = models.CharField(max_length=100, blank=True, editable=False)
    size = models.PositiveBigIntegerField(default=0, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["item__position", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        errors = {}
        if self.closed and not self.closed_reason.strip():
            errors["closed_reason"] = _("Give the reason why the attachment is closed.")
        if self.item_id and self.item.municipality_id != self.municipality_id:
            errors["item"] = _("The item belongs to another municipality.")
        if self.number == 0:
            errors["number"] = _("An attachment is numbered from 1.")
        elif self.number and self.item_id:
            taken = (
                Attachment.within(self)
                .filter(item__meeting_id=self.item.meeting_id, number=self.number)
                .exclude(pk=self.pk)
                .exists()
            )
            if taken:
                errors["number"] = _("The meeting already has an attachment number %(number)d.") % {
                    "number": self.number
                }
        if errors:
            raise ValidationError(errors)


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=FollowUpStatus.OPEN)

    def overdue(self, on: datetime.date | None = None):
        return self.open().filter(due_date__lt=on or timezone.localdate())


class FollowUp(TenantModel):
    """“Ledelsessekretariatet følger op”: what, who and by when, until it is done."""

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    description = models.TextField(_("what"))
    owner = models.ForeignKey(
        Person,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    owner_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("owning unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        help_text=_("When a unit follows up, e.g. “Ledelsessekretariatet følger op”."),
    )
    due_date = PlausibleDateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    done_on = PlausibleDateField(_("done on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # A follow-up of a closed item is as closed as the item.
    closed = models.BooleanField(_("closed"), default=False, editable=False)

    objects = ScopedManager(
        _manager_class=models.Manager.from_queryset(FollowUpQuerySet), municipality="municipality"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["body", "status", "due_date"])]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def owner_name(self) -> str:
        return str(self.owner or self.owner_unit or "")

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == FollowUpStatus.OPEN
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )

    def clean(self):
        errors = {}
        if not self.owner_id and not self.owner_unit_id:
            errors["owner"] = _("Name the person or unit who follows up.")
        if not self.due_date:
            errors["due_date"] = _("Give a due date for the follow-up.")
        if self.status == FollowUpStatus.DONE and not self.done_on:
            self.done_on = timezone.localdate()
        if self.status == FollowUpStatus.OPEN:
            self.done_on = None
        for name, obj in (("body", "body"), ("owner", "owner"), ("owner_unit", "owner_unit")):
            related = getattr(self, obj) if getattr(self, f"{obj}_id") else None
            if related is not None and related.municipality_id != self.municipality_id:
                errors[name] = _("It belongs to another municipality.")
        if self.item_id and self.body_id and self.item.meeting.body_id != self.body_id:
            errors["item"] = _("The item was treated by another body.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.item_id:
            self.closed = self.item.closed
        super().save(*args, **kwargs)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Sent apologies")


class Attendance(TenantModel):
    """Who took part in a meeting."""

    tenant_parent = "meeting"

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(
        _("attendance"),
        max_length=10,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.PRESENT,
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    # A substitute (stedfortræder) for one meeting: the member of the body they stand in for
    # (`meetings.proceedings.services.record_substitute`), who takes part and approves.
    substitute_for = models.ForeignKey(
        Person,
        verbose_name=_("substitute for"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="substituted_by",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()}"


class ItemAbsenceKind(models.TextChoices):
    ABSENT = "absent", _("Does not take part")
    CONFLICT = "conflict", _("Disqualified (conflict of interest)")


class ItemAbsence(TenantModel):
    """A participant of the meeting who does not take part in one item: away for it
    (“Borgmesteren deltager ikke”) or disqualified by a conflict of interest (inhabil), who
    then does not see the item's closed content (`meetings.rules`) and does not approve it.
    The minutes say both."""

    tenant_parent = "item"

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="absences"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("participant"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=ItemAbsenceKind.choices, default=ItemAbsenceKind.ABSENT
    )
    note = models.CharField(_("reason"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("absence from an item")
        verbose_name_plural = _("absences from items")
        ordering = ["item", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "person"], name="itemabsence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.person} ({self.get_kind_display()})"


class AddendumKind(models.TextChoices):
    DISSENT = "dissent", _("Dissent")
    ADDITION = "addition", _("Addition")


class MinutesAddendum(TenantModel):
    """A participant's dissent or addition to the minutes of an item (protokoltilførsel),
    in their own words, printed with the item's decision."""

    tenant_parent = "item"

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="addenda"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("participant"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=AddendumKind.choices, default=AddendumKind.DISSENT
    )
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("addition to the minutes")
        verbose_name_plural = _("additions to the minutes")
        ordering = ["item", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.item}: {self.person}"


class MinutesApproval(TenantModel):
    """A participant's approval of the minutes (one click, with its time) or, instead, their
    remark on the minutes (bemærkning til referatet) for the secretary: one row per
    participant and round of approval (`Meeting.approval_round`). A participant who remarked
    may still approve in the same round; one who approved has said their word."""

    tenant_parent = "meeting"

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="approvals"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("participant"), on_delete=models.PROTECT, related_name="+"
    )
    round = models.PositiveIntegerField(_("round of approval"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    comment = models.TextField(_("remark on the minutes"), blank=True)
    commented_at = models.DateTimeField(_("remarked at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("approval of the minutes")
        verbose_name_plural = _("approvals of the minutes")
        ordering = ["meeting", "round", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person", "round"], name="minutesapproval_unique"
            ),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=False) | ~Q(comment=""),
                name="minutesapproval_approved_or_remarked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.person}"


class MinutesVersion(TenantModel):
    """An approved version of the minutes: a snapshot of every item's decision at approval."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="minutes_versions",
    )
    number = models.PositiveIntegerField(_("version"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), default=timezone.now)
    reason = models.TextField(_("reason for the correction"), blank=True)
    snapshot = models.JSONField(_("snapshot"), default=list)

    class Meta:
        verbose_name = _("version of the minutes")
        verbose_name_plural = _("versions of the minutes")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="minutesversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} v{self.number}"


class CalendarFeed(TenantModel):
    """A secret token for subscribing to a calendar: a body's meetings or a person's slots."""

    token = models.CharField(max_length=64, unique=True, editable=False)
    body = models.OneToOneField(
        Body, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feed"
    )
    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feed"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.CheckConstraint(
                condition=(Q(body__isnull=False) & Q(person__isnull=True))
                | (Q(body__isnull=True) & Q(person__isnull=False)),
                name="calendarfeed_one_target",
            )
        ]

    def __str__(self) -> str:
        return str(self.body or self.person)


class AgendaDispatch(TenantModel):
    """A record of an agenda sent by e-mail: when, by whom, to whom."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="dispatches", verbose_name=_("meeting")
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    recipients = models.TextField(_("recipients"))

    class Meta:
        verbose_name = _("dispatch of the agenda")
        verbose_name_plural = _("dispatches of the agenda")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.meeting} {self.sent_at:%d-%m-%Y %H:%M}"
