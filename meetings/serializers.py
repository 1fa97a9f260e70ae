"""Serializers of the meetings API.

The rules are the models' (`clean`, run by `ModelCleanSerializer`) and `meetings.services`'
(state changes, optimistic locking); the access rules are `meetings.rules`'. What is added
here: which fields are written when, and what a user may read. A closed item's case text,
recommendation, decision and guests, and a closed attachment's numbers and file, are blanked
for users who may not see the body's closed items, and the reason for closing (items' and
attachments') is null for them, as the pages never show it to them; decisions of unapproved
minutes are blanked for non-members. The title always stays, marked `closed`.
"""

import re

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings

from core.api import (
    ModelCleanSerializer,
    StrictModelSerializer,
    StrictSerializer,
    WithheldCharField,
)
from core.models import current_municipality_id
from core.permissions import has_perm
from meetings import services
from meetings.models import (
    AgendaItem,
    Attachment,
    Attendance,
    Case,
    CaseStep,
    FollowUp,
    Meeting,
)
from organisation.models import Body

# The fields of an item that belong to the agenda, and those that belong to the minutes.
AGENDA_FIELDS = (
    "meeting",
    "case",
    "title",
    "kind",
    "duration",
    "case_text",
    "recommendation",
    "guests",
    "other_guests",
    "closed",
    "closed_reason",
)
MINUTES_FIELDS = ("decision", "outcome")

LOCKED = services.MINUTES_LOCKED
AGENDA_SENT = _("The agenda has been sent and can no longer be changed.")
NOT_HELD = _("Decisions can be recorded once the meeting is held.")


def drf_errors(exc: DjangoValidationError):
    """A Django ValidationError (from a model or a service) as the API answers it."""
    if hasattr(exc, "error_dict"):
        errors = dict(exc.message_dict)
        if NON_FIELD_ERRORS in errors:
            errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
        return errors
    return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}


class ServiceErrors:
    """`with ServiceErrors():` turns a service's ValidationError into a 400 answer."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and issubclass(exc_type, DjangoValidationError):
            raise ValidationError(drf_errors(exc)) from exc
        return False


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


CLOCK_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


@extend_schema_field({"type": "string", "pattern": CLOCK_TIME, "example": "09:30"})
class ClockTimeField(serializers.TimeField):
    """A local clock time, “HH:MM” (seconds are accepted and ignored in the answer).

    OpenAPI's `format: time` demands a time zone offset; meeting times have none. Only the
    schema's pattern is accepted (Python would also read "9:5", "0930" or "09:30+01:00").
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        if isinstance(value, str) and not re.match(CLOCK_TIME, value):
            self.fail("invalid", format="hh:mm[:ss]")
        return super().to_internal_value(value)


CLOCK_TIMES = {
    **serializers.ModelSerializer.serializer_field_mapping,
    models.TimeField: ClockTimeField,
}


# --- Meetings --------------------------------------------------------------------------------


class MeetingSerializer(ModelCleanSerializer):
    """A meeting of a body. The state changes only through the actions (approve-agenda …);
    the body cannot be changed."""

    serializer_field_mapping = CLOCK_TIMES
    heading = serializers.CharField(read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "body",
            "heading",
            "title",
            "date",
            "start",
            "end",
            "place",
            "state",
            "agenda_approved_at",
            "agenda_sent_at",
            "minutes_approved_at",
            "correction_reason",
            "recorded_afterwards",
            "revision",
            "sequence",
        ]
        read_only_fields = [
            "state",
            "agenda_approved_at",
            "agenda_sent_at",
            "minutes_approved_at",
            "correction_reason",
            "recorded_afterwards",
        ]

    def validate(self, attrs):
        meeting = self.instance
        if meeting is not None:
            if meeting.minutes_locked:
                raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [LOCKED]})
            with ServiceErrors():
                services.check_start(meeting, attrs.get("start"))
        return super().validate(attrs)

    def update(self, meeting, validated_data):
        for name, value in validated_data.items():
            setattr(meeting, name, value)
        with ServiceErrors():
            return services.update_meeting(meeting)


class ReasonSerializer(StrictSerializer):
    """Why approved minutes are reopened."""

    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


# --- Agenda items ----------------------------------------------------------------------------


class AgendaItemSerializer(ModelCleanSerializer):
    """An item of a meeting's agenda and minutes.

    The agenda fields can be changed while the agenda is editable (before it is sent), the
    minutes fields (`decision`, `outcome`) while the minutes are written (held, minutes
    draft); approved minutes are locked. A change must carry the `revision` it was made
    from: a stale one is answered 409 Conflict with the current item. A closed item shows
    only its title to those who may not see the body's closed items; to them
    `closed_reason` is null.
    """

    revision = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        help_text="The revision the change is made from (required for PUT and PATCH; "
        "for DELETE the query parameter `revision`); each saved change increases it.",
    )
    closed_reason = WithheldCharField(
        max_length=AgendaItem._meta.get_field("closed_reason").max_length,
        required=False,
        allow_blank=True,
        help_text="Why the item is closed (needed when `closed`); null for users who may "
        "not see the body's closed items.",
    )

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "position",
            "title",
            "kind",
            "duration",
            "case",
            "case_text",
            "recommendation",
            "guests",
            "other_guests",
            "closed",
            "closed_reason",
            "decision",
            "outcome",
            "carried_from",
            "revision",
        ]
        read_only_fields = ["position", "carried_from"]

    def validate(self, attrs):
        revision = attrs.pop("revision", None)
        item = self.instance
        if item is not None:
            if revision is None:
                raise ValidationError(
                    {"revision": [self.fields["revision"].error_messages["required"]]}
                )
            self._check_fields(item, attrs)
        elif any(attrs.get(name) for name in MINUTES_FIELDS):
            errors = {name: [NOT_HELD] for name in MINUTES_FIELDS if attrs.get(name)}
            raise ValidationError(errors)
        attrs = super().validate(attrs)
        if item is not None and "outcome" in attrs:
            try:
                services.check_outcome(item)
            except DjangoValidationError as exc:
                raise ValidationError(drf_errors(exc)) from exc
        if revision is not None:
            attrs["revision"] = revision
        return attrs

    def _check_fields(self, item: AgendaItem, attrs: dict) -> None:
        """Which fields may change in the meeting's current state."""
        meeting = item.meeting
        if meeting.minutes_locked:
            raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [LOCKED]})
        errors = {}
        for name, value in attrs.items():
            if not _changes(item, name, value):
                continue
            if name == "meeting":
                errors[name] = [_("An item cannot be moved to another meeting.")]
            elif name in AGENDA_FIELDS and not meeting.agenda_editable:
                errors[name] = [AGENDA_SENT]
            elif name in MINUTES_FIELDS and not meeting.minutes_editable:
                errors[name] = [NOT_HELD]
        if errors:
            raise ValidationError(errors)

    def create(self, validated_data):
        validated_data.pop("revision", None)
        guests = validated_data.pop("guests", None)
        meeting = validated_data.pop("meeting")
        with ServiceErrors():
            return services.add_item(meeting, AgendaItem(**validated_data), guests=guests)

    def update(self, instance, validated_data):
        revision = validated_data.pop("revision")
        guests = validated_data.pop("guests", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        with ServiceErrors():
            return services.update_item(instance, revision, guests=guests)

    def to_representation(self, item):
        data = super().to_representation(item)
        user = _user(self)
        if not has_perm(user, "meetings.see_closed", item.meeting):
            data["closed_reason"] = None
            if item.closed:
                data.update(
                    case_text="", recommendation="", decision="", guests=[], other_guests=""
                )
        if not has_perm(user, "meetings.see_decisions", item.meeting):
            data.update(decision="", outcome="")
        return data


def _changes(item: AgendaItem, name: str, value) -> bool:
    if name == "guests":
        return {p.pk for p in value} != {p.pk for p in item.guests.all()}
    field = AgendaItem._meta.get_field(name)
    if field.is_relation:
        return getattr(item, field.attname) != (value.pk if value is not None else None)
    return getattr(item, name) != value


class TimedItemSerializer(AgendaItemSerializer):
    """An item of the agenda with its number (breaks have none) and clock times."""

    number = serializers.IntegerField(read_only=True, allow_null=True)
    start_time = ClockTimeField(read_only=True)
    end_time = ClockTimeField(read_only=True)

    class Meta(AgendaItemSerializer.Meta):
        fields = ["number", "start_time", "end_time", *AgendaItemSerializer.Meta.fields]
        read_only_fields = AgendaItemSerializer.Meta.fields


class AgendaSerializer(StrictSerializer):
    """The timed agenda of a meeting: the clock times follow from the start and durations."""

    meeting = serializers.IntegerField()
    heading = serializers.CharField()
    date = serializers.DateField()
    start = ClockTimeField()
    end = ClockTimeField()
    state = serializers.CharField()
    items = TimedItemSerializer(many=True)


class ConflictSerializer(StrictSerializer):
    """Somebody else saved first: the change was not saved. `current` is the item as it is
    now; make the change again from its revision."""

    detail = serializers.CharField()
    current = AgendaItemSerializer(required=False)


# --- Cases -----------------------------------------------------------------------------------


class RouteField(serializers.PrimaryKeyRelatedField):
    """A step of the route, shown and written as the body's id."""

    def to_representation(self, value):
        return value.body_id if isinstance(value, CaseStep) else value.pk


class CaseSerializer(ModelCleanSerializer):
    """A case (sag) with its route (sagsgang): the ids of the bodies it passes, in order.

    A closed case shows its description only to members of the bodies on its route.
    """

    route = RouteField(
        many=True,
        source="steps",
        queryset=Body.objects,
        help_text="The bodies the case passes, in order (at least one).",
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "title",
            "description",
            "status",
            "closed",
            "created_on",
            "route",
            "origin_label",
            "origin_url",
        ]
        read_only_fields = ["origin_label", "origin_url"]

    def validate(self, attrs):
        route = attrs.pop("steps", None)
        if route is not None:
            self._check_route(route)
        attrs = super().validate(attrs)
        if route is not None:
            attrs["steps"] = route
        return attrs

    def clean_exclude(self):
        # As on the form: the model checks the case number itself, with a clear message.
        return ["municipality"]

    def _check_route(self, route: list[Body]) -> None:
        kept = []
        if self.instance is not None:
            kept = (
                CaseStep.within(self.instance)
                .filter(case=self.instance)
                .values_list("body_id", flat=True)
            )
        try:
            services.check_route(route, kept)
        except DjangoValidationError as exc:
            raise ValidationError({"route": exc.messages}) from exc

    def create(self, validated_data):
        route = validated_data.pop("steps")
        return services.save_case(Case(**validated_data), route)

    def update(self, instance, validated_data):
        route = validated_data.pop("steps", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_case(instance, route)

    def to_representation(self, case):
        data = super().to_representation(case)
        user = _user(self)
        if not has_perm(user, "meetings.see_case_description", case):
            data["description"] = ""
        return data


# --- Attachments -----------------------------------------------------------------------------


class AttachmentUploadSerializer(StrictSerializer):
    """An attachment as it is uploaded (`multipart/form-data`): the form's fields and the
    file. Described for the schema; the page's form (`AttachmentForm`) checks it."""

    item = serializers.IntegerField(help_text="The agenda item (required for a new one).")
    title = serializers.CharField(max_length=300)
    number = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="The number the meeting gives it (Bilag 7), kept in the documents; "
        "without one it is numbered in agenda order.",
    )
    document_number = serializers.CharField(required=False, allow_blank=True, max_length=50)
    journal_number = serializers.CharField(required=False, allow_blank=True, max_length=50)
    closed = serializers.BooleanField(required=False)
    closed_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="Required when closed."
    )
    file = serializers.FileField(
        help_text="PDF, Word, Excel, PowerPoint, ODT, PNG, JPEG, text or CSV; checked by "
        "content and scanned. Required for a new attachment; on an existing one a new version."
    )


class AttachmentChangeSerializer(AttachmentUploadSerializer):
    """A change of an attachment (PATCH, `multipart/form-data`): any of its fields, and a new
    file for a new version; its item does not change. Described for the schema."""

    def get_fields(self):
        fields = super().get_fields()
        fields.pop("item")
        for field in fields.values():
            field.required = False
        return fields


class AttachmentSerializer(StrictModelSerializer):
    """An attachment (bilag) of an item. A closed one shows only its title to those who may
    not see the body's closed items; to them every attachment's `closed_reason` is null.
    `number` is the number the meeting gave it, if any; `download_url` is the page that
    serves the file."""

    meeting = serializers.IntegerField(source="item.meeting_id", read_only=True)
    closed_reason = WithheldCharField(
        read_only=True, help_text="Why it is closed; null for those who may not see it."
    )
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "item",
            "meeting",
            "position",
            "number",
            "title",
            "document_number",
            "journal_number",
            "closed",
            "closed_reason",
            "content_type",
            "size",
            "version",
            "download_url",
        ]
        read_only_fields = fields

    def _hidden(self, attachment) -> bool:
        closed = attachment.closed or attachment.item.closed
        return closed and not has_perm(_user(self), "meetings.see_closed", attachment.item.meeting)

    def get_download_url(self, attachment) -> str | None:
        if not attachment.file or self._hidden(attachment):
            return None
        try:
            url = reverse("meetings:attachment_download", kwargs={"pk": attachment.pk})
        except NoReverseMatch:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    def to_representation(self, attachment):
        data = super().to_representation(attachment)
        if not has_perm(_user(self), "meetings.see_closed", attachment.item.meeting):
            data["closed_reason"] = None
        if self._hidden(attachment):
            data.update(document_number="", journal_number="", content_type="", size=0)
        return data


# --- Follow-ups ------------------------------------------------------------------------------


class FollowUpSerializer(ModelCleanSerializer):
    """“X følger op”: what, a person or a unit who follows up, and a due date."""

    owner_name = serializers.CharField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "body",
            "item",
            "description",
            "owner",
            "owner_unit",
            "owner_name",
            "due_date",
            "status",
            "done_on",
            "note",
            "closed",
            "is_overdue",
        ]
        read_only_fields = ["closed"]

    def create(self, validated_data):
        return self.update(FollowUp(municipality_id=current_municipality_id()), validated_data)

    def update(self, follow_up, validated_data):
        for name, value in validated_data.items():
            setattr(follow_up, name, value)
        follow_up.clean()  # sets or clears `done_on` from the status
        follow_up.save()
        return follow_up


# --- Attendance ------------------------------------------------------------------------------


class AttendanceSerializer(ModelCleanSerializer):
    """Who took part in a meeting. Locked with the approved minutes."""

    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "meeting", "person", "person_name", "status", "note"]

    def validate(self, attrs):
        meetings = [attrs.get("meeting"), getattr(self.instance, "meeting", None)]
        if any(m is not None and m.minutes_locked for m in meetings):
            raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [LOCKED]})
        return super().validate(attrs)


# --- Decisions -------------------------------------------------------------------------------


class DecisionSerializer(StrictModelSerializer):
    """A decision of an item (the decision log). A closed item shows only its title to those
    who may not see the body's closed items."""

    meeting_date = serializers.DateField(source="meeting.date", read_only=True)
    body = serializers.IntegerField(source="meeting.body_id", read_only=True)
    body_name = serializers.CharField(source="meeting.body.name", read_only=True)
    case_number = serializers.CharField(
        source="case.number", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "meeting_date",
            "body",
            "body_name",
            "case",
            "case_number",
            "title",
            "kind",
            "closed",
            "decision",
            "outcome",
        ]
        read_only_fields = fields

    def to_representation(self, item):
        data = super().to_representation(item)
        if item.closed and not has_perm(_user(self), "meetings.see_closed", item.meeting):
            data["decision"] = ""
        return data
