"""A past meeting entered whole from one JSON document: its items with their guests,
decisions, follow-ups and attachments, registered as held afterwards (`services.
record_afterwards`, nothing sent) and, when asked, with its minutes approved. For moving a
municipality's past meetings in (`POST /api/v1/meetings/import/`, `manage.py
import_meeting`).

Everything goes through the same services and checks as the pages (`services.add_item`,
the attachment form and `save_attachment`, `update_item`, `approve_minutes`), in one
transaction: one bad item, attachment or follow-up writes nothing,
and the answer names where it is (`items[2].attachments[0].file`). Files saved before the
failure are deleted again.

An attachment's file is what `open_file` makes of its `file` value: the API takes
`{"name": "bilag.pdf", "content": "<base64>"}`, the command a path beside the JSON file.
"""

import base64
import binascii
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import serializers

from core.api import BoundedDateField, StrictSerializer
from meetings import services
from meetings.forms.cases import AttachmentForm
from meetings.models import (
    AgendaItem,
    FollowUp,
    ItemKind,
    Meeting,
    MeetingState,
    Outcome,
)
from meetings.serializers import ClockTimeField
from organisation.models import Body, OrgUnit, Person

MAX_ITEMS = 100


class FollowUpImport(StrictSerializer):
    description = serializers.CharField(max_length=5000)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects, required=False, allow_null=True
    )
    owner_unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects, required=False, allow_null=True
    )
    due_date = BoundedDateField(required=False, allow_null=True)


class AttachmentImport(StrictSerializer):
    title = serializers.CharField(max_length=300)
    number = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    document_number = serializers.CharField(required=False, allow_blank=True, max_length=50)
    journal_number = serializers.CharField(required=False, allow_blank=True, max_length=50)
    closed = serializers.BooleanField(required=False, default=False)
    closed_reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    file = serializers.JSONField(
        help_text='The file: {"name": "bilag.pdf", "content": "<base64>"} (the command: a '
        "path beside the JSON file)."
    )


class ItemImport(StrictSerializer):
    title = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=ItemKind.choices, default=ItemKind.DISCUSSION)
    duration = serializers.IntegerField(min_value=0, max_value=1440, default=15)
    case_text = serializers.CharField(required=False, allow_blank=True)
    recommendation = serializers.CharField(required=False, allow_blank=True)
    guests = serializers.PrimaryKeyRelatedField(queryset=Person.objects, many=True, required=False)
    other_guests = serializers.CharField(required=False, allow_blank=True)
    closed = serializers.BooleanField(required=False, default=False)
    closed_reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    decision = serializers.CharField(required=False, allow_blank=True)
    outcome = serializers.ChoiceField(
        choices=Outcome.choices,
        required=False,
        help_text="Empty: decided; not_treated for an item the meeting did not reach. A case "
        "is not sent on from a meeting entered afterwards (forwarded is refused).",
    )
    follow_ups = FollowUpImport(many=True, required=False)
    attachments = AttachmentImport(many=True, required=False)

    def validate_outcome(self, outcome):
        if outcome == Outcome.FORWARDED:
            raise serializers.ValidationError(
                _("A meeting entered afterwards sends no case on: record the decision.")
            )
        return outcome


class MeetingImport(StrictSerializer):
    """A past meeting as one document (see `meetings.backfill`)."""

    body = serializers.PrimaryKeyRelatedField(queryset=Body.objects)
    date = BoundedDateField()
    start = ClockTimeField(required=False)
    place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    approve_minutes = serializers.BooleanField(
        default=False, help_text="Approve the minutes at once (the chair or an administrator)."
    )
    items = ItemImport(many=True, allow_empty=False, max_length=MAX_ITEMS)


def base64_file(value) -> SimpleUploadedFile:
    """The API's `{"name": …, "content": <base64>}` as an uploaded file."""
    if not isinstance(value, dict) or not isinstance(value.get("name"), str):
        raise ValidationError(_('Give the file as {"name": "bilag.pdf", "content": "<base64>"}.'))
    try:
        content = base64.b64decode(str(value.get("content", "")), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValidationError(_("The file's content is not base64.")) from error
    return SimpleUploadedFile(value["name"], content)


def _at(path: str, error: ValidationError) -> ValidationError:
    """The error with where it is in the document: {"items[1].attachments[0].title": [...]}."""
    if hasattr(error, "error_dict"):
        return ValidationError(
            {
                (f"{path}.{name}" if name != "__all__" else path): messages
                for name, messages in error.message_dict.items()
            }
        )
    return ValidationError({path: error.messages})


def import_meeting(data: dict, user, open_file: Callable) -> Meeting:
    """Write the meeting of `data` (validated by `MeetingImport`) as `user`, all or nothing;
    ValidationError naming where when anything is refused."""
    saved_files: list[str] = []
    try:
        with transaction.atomic():
            return _write(data, user, open_file, saved_files)
    except Exception:
        for name in saved_files:  # the rows are gone with the transaction; the files too
            default_storage.delete(name)
        raise


def _write(data: dict, user, open_file: Callable, saved_files: list[str]) -> Meeting:
    body = data["body"]
    meeting = Meeting(
        municipality_id=body.municipality_id,
        body=body,
        date=data["date"],
        place=data.get("place", ""),
        title=data.get("title", ""),
        state=MeetingState.PLANNED,
    )
    if data.get("start"):
        meeting.start = data["start"]
    try:
        meeting.full_clean()
    except ValidationError as error:
        raise _at("meeting", error) from error
    meeting.save()
    items: list[tuple[AgendaItem, dict]] = []
    for i, values in enumerate(data["items"]):
        path = f"items[{i}]"
        item = AgendaItem(
            title=values["title"],
            kind=values["kind"],
            duration=values["duration"],
            case_text=values.get("case_text", ""),
            recommendation=values.get("recommendation", ""),
            other_guests=values.get("other_guests", ""),
            closed=values["closed"],
            closed_reason=values.get("closed_reason", ""),
        )
        try:
            item = services.add_item(meeting, item, guests=values.get("guests", []))
        except ValidationError as error:
            raise _at(path, error) from error
        for j, attached in enumerate(values.get("attachments", [])):
            _attach(item, attached, user, open_file, f"{path}.attachments[{j}]", saved_files)
        items.append((item, values))
    try:
        services.record_afterwards(meeting, user)
    except ValidationError as error:
        raise _at("meeting", error) from error
    for i, (item, values) in enumerate(items):
        path = f"items[{i}]"
        item.refresh_from_db()
        item.decision = values.get("decision", "")
        if values.get("outcome"):
            item.outcome = values["outcome"]
        try:
            services.update_item(item, item.revision)
        except ValidationError as error:
            raise _at(path, error) from error
        for j, wanted in enumerate(values.get("follow_ups", [])):
            follow_up = FollowUp(
                municipality_id=meeting.municipality_id,
                body=body,
                item=item,
                description=wanted["description"],
                owner=wanted.get("owner"),
                owner_unit=wanted.get("owner_unit"),
                due_date=wanted.get("due_date"),
            )
            try:
                follow_up.full_clean()
            except ValidationError as error:
                raise _at(f"{path}.follow_ups[{j}]", error) from error
            follow_up.save()
    if data["approve_minutes"]:
        try:
            services.approve_minutes(meeting, user)
        except ValidationError as error:
            raise _at("approve_minutes", error) from error
    meeting.refresh_from_db()
    return meeting


def _attach(item, values: dict, user, open_file, path: str, saved_files: list[str]) -> None:
    """One attachment through the page's form (`AttachmentForm`: type, size, content, virus
    scan, the number free in the meeting) and `services.save_attachment`."""
    try:
        upload = open_file(values["file"])
    except ValidationError as error:
        raise ValidationError({f"{path}.file": error.messages}) from error
    form = AttachmentForm(
        {name: values.get(name, "") for name in AttachmentForm.Meta.fields},
        {"upload": upload},
        item=item,
        user=user,
    )
    if not form.is_valid():
        raise _at(path, ValidationError(form.error_lists()))
    try:
        attachment = services.save_attachment(form.save(commit=False), upload, form.content_type)
    except ValidationError as error:
        raise _at(path, error) from error
    saved_files.append(attachment.file.name)
