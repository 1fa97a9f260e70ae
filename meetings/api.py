"""REST API of the meetings app: meetings and their state changes, agenda items, cases,
attachments, follow-ups, attendance and the decision log.

Every queryset goes through the scoped managers (another municipality's rows answer 404)
and through `meetings.rules`: items of an agenda that is not yet sent are not listed for
non-members, closed content is blanked in the serializers. Writes need the role's
`meetings.change` (or `meetings.change_cases`) and, for a body's meetings, `meetings.edit`;
the chair approves through `meetings.approve` (each viewset's `permissions`, asked by
`core.permissions.RulesPermission`). The rules themselves stay in the models and in
`meetings.services`; a refused change answers 400 with its message in the request's language.
"""

from django.db.models import ProtectedError, Q, RestrictedError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import api_settings

from core.api import (
    Conflict,
    TenantModelViewSet,
    TenantPagination,
    TenantViewSetMixin,
    id_field,
    query_param,
    query_value,
    require_referenced,
)
from core.permissions import has_perm, require
from meetings import backfill, services
from meetings.backfill import MeetingImport
from meetings.forms.cases import AttachmentForm
from meetings.models import (
    AgendaItem,
    Attachment,
    Attendance,
    Case,
    CaseStatus,
    FollowUp,
    FollowUpStatus,
    ItemKind,
    Meeting,
    MeetingState,
)
from meetings.rules import (
    is_admin,
    member_body_ids,
    open_or_member,
    published_agendas,
    published_decisions,
)
from meetings.serializers import (
    AGENDA_SENT,
    LOCKED,
    AgendaItemSerializer,
    AgendaSerializer,
    AttachmentChangeSerializer,
    AttachmentSerializer,
    AttachmentUploadSerializer,
    AttendanceSerializer,
    CaseSerializer,
    ConflictSerializer,
    DecisionSerializer,
    FollowUpSerializer,
    MeetingSerializer,
    ReasonSerializer,
    ServiceErrors,
)

EDIT_CONFLICT = _(
    "Somebody else has saved a change in the meantime. Your change was not saved: "
    "start again from the current version."
)


# --- Query parameters ------------------------------------------------------------------------


BODY_PARAM = query_param("body", OpenApiTypes.INT, "Only rows of this body.")
MEETING_PARAM = query_param("meeting", OpenApiTypes.INT, "Only rows of this meeting.")
FROM_PARAM = query_param("from", OpenApiTypes.DATE, "Only meetings on or after this date.")
TO_PARAM = query_param("to", OpenApiTypes.DATE, "Only meetings on or before this date.")


# --- Permissions -----------------------------------------------------------------------------

# Reads for every user of the municipality; writes need the role's `meetings.change` and, for
# an existing row, `meetings.edit` of the body it belongs to (asked with the row).
EDIT = {"write": "meetings.change", "object": "meetings.edit"}


class MeetingsViewSet(TenantModelViewSet):
    """Base of the writable viewsets of the app. A new row needs `meetings.edit` on the body
    or meeting it names in `refers_to`; where a change may name another one (`may_move`), on
    that one too."""

    permissions = EDIT
    refers_to = "body"
    may_move = False

    def perform_create(self, serializer):
        require(self.request, "meetings.edit", serializer.validated_data[self.refers_to])
        serializer.save()

    def perform_update(self, serializer):
        target = serializer.validated_data.get(self.refers_to)
        if self.may_move and target is not None:
            require(self.request, "meetings.edit", target)
        serializer.save()

    def perform_destroy(self, instance):
        with ServiceErrors():
            super().perform_destroy(instance)


# --- Meetings --------------------------------------------------------------------------------

MEETING_ACTION = {
    200: MeetingSerializer,
    400: OpenApiResponse(description="The change is not allowed now (the message says why)."),
    403: OpenApiResponse(description="Only the chair (approvals) or the body's secretary."),
}


@extend_schema_view(
    list=extend_schema(
        parameters=[
            BODY_PARAM,
            FROM_PARAM,
            TO_PARAM,
            query_param(
                "state", OpenApiTypes.STR, "Only meetings in this state.", enum=MeetingState.values
            ),
        ]
    )
)
class MeetingViewSet(MeetingsViewSet):
    """Meetings of the municipality's bodies. Planned and changed by the body's secretary
    (or an administrator); the state changes only through the actions."""

    queryset = Meeting.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = MeetingSerializer
    # The state changes: the chair approves although the role is only “member”, so the role
    # permission does not apply to them; the secretary of the body sends and records.
    permissions = {
        **EDIT,
        "approve_agenda": "meetings.approve",
        "send_agenda": "meetings.edit",
        "held": "meetings.edit",
        "record_afterwards": "meetings.edit",
        "import_meeting": "meetings.change",
        "approve_minutes": "meetings.approve",
        "reopen_minutes": "meetings.approve",
    }

    def get_queryset(self):
        queryset = Meeting.objects.select_related("body").order_by("-date", "-start", "pk")
        if self.action != "list":
            return queryset
        request = self.request
        body = query_value(request, "body", id_field())
        start = query_value(request, "from", serializers.DateField())
        end = query_value(request, "to", serializers.DateField())
        state = query_value(request, "state", serializers.ChoiceField(MeetingState.choices))
        if body is not None:
            queryset = queryset.filter(body_id=body)
        if start is not None:
            queryset = queryset.filter(date__gte=start)
        if end is not None:
            queryset = queryset.filter(date__lte=end)
        if state is not None:
            queryset = queryset.filter(state=state)
        return queryset

    def perform_destroy(self, meeting):
        if not meeting.agenda_editable:
            raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [AGENDA_SENT]})
        super().perform_destroy(meeting)

    def _act(self, function, *args, meeting=None):
        meeting = meeting or self.get_object()
        with ServiceErrors():
            function(meeting, self.request.user, *args)
        meeting = Meeting.objects.select_related("body").get(pk=meeting.pk)
        return Response(MeetingSerializer(meeting, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=MEETING_ACTION)
    @action(detail=True, methods=["post"], url_path="approve-agenda")
    def approve_agenda(self, request, pk=None):
        """The chair approves the agenda (a draft with items); a later change voids it."""
        return self._act(services.approve_agenda)

    @extend_schema(request=None, responses=MEETING_ACTION)
    @action(detail=True, methods=["post"], url_path="send-agenda")
    def send_agenda(self, request, pk=None):
        """E-mail the approved agenda to the body's members; it is then published."""
        return self._act(services.send_agenda)

    @extend_schema(request=None, responses=MEETING_ACTION)
    @action(detail=True, methods=["post"])
    def held(self, request, pk=None):
        """Record that the meeting was held: the minutes can then be written."""
        return self._act(services.mark_held)

    @extend_schema(
        request=MeetingImport,
        responses={201: MeetingSerializer},
        description="A past meeting entered whole in one call, for moving in: its items with "
        "guests (people and others), decisions, follow-ups and attachments (base64, with the "
        "numbers the meeting gave them), registered as held afterwards with nothing sent, and "
        "with `approve_minutes` its minutes approved. All or nothing: a refusal names where "
        "(`items[2].attachments[0].file`).",
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_meeting(self, request):
        found = MeetingImport(data=request.data, context=self.get_serializer_context())
        found.is_valid(raise_exception=True)
        require(request, "meetings.edit", found.validated_data["body"])
        with ServiceErrors():
            meeting = backfill.import_meeting(
                found.validated_data, request.user, backfill.base64_file
            )
        meeting = Meeting.objects.select_related("body").get(pk=meeting.pk)
        data = MeetingSerializer(meeting, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=MEETING_ACTION)
    @action(detail=True, methods=["post"], url_path="record-afterwards")
    def record_afterwards(self, request, pk=None):
        """Register a meeting held without digistyr (on or before today, with its items) as
        held, sending nothing; `recorded_afterwards` is then true. Decisions and the minutes'
        approval follow as for any meeting."""
        return self._act(services.record_afterwards)

    @extend_schema(request=None, responses=MEETING_ACTION)
    @action(detail=True, methods=["post"], url_path="approve-minutes")
    def approve_minutes(self, request, pk=None):
        """The chair approves the minutes: they are locked, a new version is recorded,
        untreated items are carried over and forwarded cases sent on."""
        return self._act(services.approve_minutes)

    @extend_schema(request=ReasonSerializer, responses=MEETING_ACTION)
    @action(detail=True, methods=["post"], url_path="reopen-minutes")
    def reopen_minutes(self, request, pk=None):
        """Reopen approved minutes for a correction, with the reason."""
        meeting = self.get_object()  # 404 and 403 before the input is looked at
        reason = ReasonSerializer(data=request.data)
        reason.is_valid(raise_exception=True)
        return self._act(
            services.reopen_minutes, reason.validated_data.get("reason", ""), meeting=meeting
        )

    @extend_schema(responses=AgendaSerializer)
    @action(detail=True, methods=["get"])
    def agenda(self, request, pk=None):
        """The agenda with each item's number and clock times (from the start and the
        durations). 404 while the agenda is a draft, except for members of the body."""
        meeting = self.get_object()
        if not has_perm(request.user, "meetings.see_agenda", meeting):
            raise Http404
        timed = services.timed_items(meeting, services.agenda_items(meeting))
        items = []
        for entry in timed:
            item = entry.item
            item.meeting = meeting
            item.number, item.start_time, item.end_time = entry.number, entry.start, entry.end
            items.append(item)
        data = {
            "meeting": meeting.pk,
            "heading": meeting.heading,
            "date": meeting.date,
            "start": meeting.start,
            "end": services.meeting_end(meeting, items),
            "state": meeting.state,
            "items": items,
        }
        return Response(AgendaSerializer(data, context=self.get_serializer_context()).data)


# --- Agenda items ----------------------------------------------------------------------------

CONFLICT_RESPONSE = OpenApiResponse(
    ConflictSerializer, description="Somebody else saved first (stale `revision`)."
)
REVISION_MAX = 2**31 - 1
REVISION_PARAM = OpenApiParameter(
    "revision",
    {"type": "integer", "minimum": 1, "maximum": REVISION_MAX},
    OpenApiParameter.QUERY,
    required=True,
    description="The revision of the item that is deleted, as for PUT and PATCH: 400 when "
    "left out, 409 when stale.",
)


@extend_schema_view(
    list=extend_schema(parameters=[MEETING_PARAM]),
    update=extend_schema(responses={200: AgendaItemSerializer, 409: CONFLICT_RESPONSE}),
    partial_update=extend_schema(responses={200: AgendaItemSerializer, 409: CONFLICT_RESPONSE}),
    destroy=extend_schema(
        parameters=[REVISION_PARAM], responses={204: None, 409: CONFLICT_RESPONSE}
    ),
)
class AgendaItemViewSet(MeetingsViewSet):
    """The items of meetings' agendas and minutes. Items of an agenda that has not been
    sent are only shown to members of the body. Changes go through the same rules as the
    pages: the agenda while it is editable, the minutes while they are written, with
    optimistic locking by `revision` (in the body of PUT and PATCH, in the query of DELETE)."""

    queryset = AgendaItem.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = AgendaItemSerializer
    refers_to = "meeting"

    def get_queryset(self):
        user = self.request.user
        queryset = (
            AgendaItem.objects.filter(published_agendas(user, "meeting__"))
            .select_related("meeting", "case")
            .prefetch_related("guests")
            .order_by("-meeting__date", "meeting_id", "position", "pk")
        )
        if self.action == "list":
            meeting = query_value(self.request, "meeting", id_field())
            if meeting is not None:
                queryset = queryset.filter(meeting_id=meeting)
        return queryset

    def update(self, request, *args, **kwargs):
        try:
            return super().update(request, *args, **kwargs)
        except services.EditConflict as conflict:
            return self._conflict(conflict.current)

    def destroy(self, request, *args, **kwargs):
        item = self.get_object()
        field = serializers.IntegerField(min_value=1, max_value=REVISION_MAX)
        expected = query_value(request, "revision", field)
        if expected is None:
            raise ValidationError({"revision": [field.error_messages["required"]]})
        if expected != item.revision:
            return self._conflict(item)
        try:
            with ServiceErrors():
                services.remove_item(item.meeting, item, item.meeting.revision)
        except services.EditConflict:
            return self._conflict(AgendaItem.objects.filter(pk=item.pk).first())
        except (ProtectedError, RestrictedError) as exc:
            raise Conflict() from exc
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _conflict(self, current):
        data = {"detail": str(EDIT_CONFLICT)}
        if isinstance(current, AgendaItem):
            data["current"] = AgendaItemSerializer(
                current, context=self.get_serializer_context()
            ).data
        return Response(data, status=status.HTTP_409_CONFLICT)


# --- Cases -----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[
            query_param("body", OpenApiTypes.INT, "Only cases with this body on their route."),
            query_param(
                "status", OpenApiTypes.STR, "Only cases with this status.", enum=CaseStatus.values
            ),
            query_param("q", OpenApiTypes.STR, "Only cases whose number or title holds this text."),
        ]
    )
)
class CaseViewSet(TenantModelViewSet):
    """Cases (sager) with their route through the bodies (sagsgang)."""

    permissions = {"write": "meetings.change_cases"}
    queryset = Case.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = CaseSerializer

    def get_queryset(self):
        queryset = Case.objects.prefetch_related("steps").order_by("-created_on", "-pk")
        if self.action == "list":
            body = query_value(self.request, "body", id_field())
            state = query_value(self.request, "status", serializers.ChoiceField(CaseStatus.choices))
            text = query_value(self.request, "q", serializers.CharField(max_length=100))
            if text is not None:
                queryset = queryset.filter(Q(number__icontains=text) | Q(title__icontains=text))
            if body is not None:
                queryset = queryset.filter(steps__body_id=body)
            if state is not None:
                queryset = queryset.filter(status=state)
        return queryset


# --- Attachments -----------------------------------------------------------------------------

# What an attachment's writes carry besides its file: the page's form's fields.
ATTACHMENT_FIELDS = AttachmentForm.Meta.fields


def _files(request) -> dict:
    """The uploaded file as the page's form names it."""
    upload = request.FILES.get("file")
    return {"upload": upload} if upload else {}


def _form_value(value):
    """A field's value as a form posts it (None is empty)."""
    return "" if value is None else value


@extend_schema_view(
    list=extend_schema(
        parameters=[MEETING_PARAM, query_param("item", OpenApiTypes.INT, "Only this item's.")]
    )
)
class AttachmentViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Attachments (bilag) of agenda items. A closed attachment is listed by its title only
    for those who may not see the body's closed items; attachments of an agenda not yet sent
    only for members.

    The body's secretary (or an administrator) uploads one as `multipart/form-data` with the
    same checks as the page (type, size, content, virus scan), and may give the number the
    meeting gives it (`number`, kept in the documents); a new file on an existing attachment
    (PATCH) is a new version. Not once the minutes are approved."""

    permissions = {"write": "meetings.change"}
    pagination_class = TenantPagination
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    queryset = Attachment.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = AttachmentSerializer

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer},
    )
    def create(self, request, *args, **kwargs):
        item = require_referenced(
            request,
            "item",
            AgendaItem.objects.select_related("meeting__body"),
            "meetings.edit",
            "meetings.change",
        )
        if item is None:
            raise ValidationError({"item": [_("Choose the agenda item of the attachment.")]})
        form = AttachmentForm(request.data, _files(request), item=item, user=request.user)
        return self._save(form, status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": AttachmentChangeSerializer},
        responses={200: AttachmentSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        attachment = self.get_object()
        require(request, "meetings.edit", attachment.item)
        data = {name: _form_value(getattr(attachment, name)) for name in ATTACHMENT_FIELDS}
        data.update(
            {name: request.data[name] for name in ATTACHMENT_FIELDS if name in request.data}
        )
        form = AttachmentForm(
            data, _files(request), instance=attachment, item=attachment.item, user=request.user
        )
        return self._save(form, status.HTTP_200_OK)

    def _save(self, form, answer_status):
        if form.meeting_locked:
            raise ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: [str(services.ATTACHMENTS_LOCKED)]}
            )
        if not form.is_valid():
            raise ValidationError(
                {
                    (api_settings.NON_FIELD_ERRORS_KEY if name == "__all__" else name): errors
                    for name, errors in form.error_lists().items()
                }
            )
        with ServiceErrors():
            attachment = services.save_attachment(
                form.save(commit=False), form.cleaned_data.get("upload"), form.content_type
            )
        attachment = Attachment.objects.select_related("item__meeting").get(pk=attachment.pk)
        data = AttachmentSerializer(attachment, context=self.get_serializer_context()).data
        return Response(data, status=answer_status)

    def get_queryset(self):
        user = self.request.user
        queryset = (
            Attachment.objects.filter(published_agendas(user, "item__meeting__"))
            .select_related("item__meeting")
            .order_by(
                "-item__meeting__date", "item__meeting_id", "item__position", "position", "pk"
            )
        )
        if self.action == "list":
            meeting = query_value(self.request, "meeting", id_field())
            item = query_value(self.request, "item", id_field())
            if meeting is not None:
                queryset = queryset.filter(item__meeting_id=meeting)
            if item is not None:
                queryset = queryset.filter(item_id=item)
        return queryset


# --- Follow-ups ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[
            BODY_PARAM,
            query_param(
                "status",
                OpenApiTypes.STR,
                "Only follow-ups with this status.",
                enum=FollowUpStatus.values,
            ),
        ]
    )
)
class FollowUpViewSet(MeetingsViewSet):
    """Follow-ups of bodies' decisions: what, who and by when. A follow-up of a closed item
    is only shown to members of the body; one of unapproved minutes only to members."""

    queryset = FollowUp.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = FollowUpSerializer
    may_move = True

    def get_queryset(self):
        user = self.request.user
        queryset = FollowUp.objects.select_related("owner", "owner_unit").order_by("due_date", "pk")
        if not is_admin(user):
            members = member_body_ids(user)
            queryset = queryset.filter(Q(closed=False) | Q(body_id__in=members)).filter(
                Q(item__isnull=True) | published_decisions(user, "item__meeting__")
            )
        if self.action == "list":
            body = query_value(self.request, "body", id_field())
            state = query_value(
                self.request, "status", serializers.ChoiceField(FollowUpStatus.choices)
            )
            if body is not None:
                queryset = queryset.filter(body_id=body)
            if state is not None:
                queryset = queryset.filter(status=state)
        return queryset


# --- Attendance ------------------------------------------------------------------------------


@extend_schema_view(list=extend_schema(parameters=[MEETING_PARAM]))
class AttendanceViewSet(MeetingsViewSet):
    """Who took part in a meeting (present, absent, sent apologies); locked with the
    approved minutes."""

    queryset = Attendance.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = AttendanceSerializer
    refers_to = "meeting"
    may_move = True

    def get_queryset(self):
        user = self.request.user
        queryset = (
            Attendance.objects.filter(published_agendas(user, "meeting__"))
            .select_related("meeting", "person")
            .order_by("-meeting__date", "meeting_id", "person__name", "pk")
        )
        if self.action == "list":
            meeting = query_value(self.request, "meeting", id_field())
            if meeting is not None:
                queryset = queryset.filter(meeting_id=meeting)
        return queryset

    def perform_destroy(self, attendance):
        if attendance.meeting.minutes_locked:
            raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [LOCKED]})
        super().perform_destroy(attendance)


# --- Decisions -------------------------------------------------------------------------------


def _matching(queryset, q: str):
    """Full-text search through meetings.search when present, else a plain LIKE."""
    try:
        from meetings.search import matching_items
    except ImportError:  # pragma: no cover - the search module came later
        condition = Q()
        for column in ("title", "case_text", "recommendation", "decision"):
            condition |= Q(**{f"{column}__icontains": q})
        return queryset.filter(condition)
    return matching_items(queryset, q)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            BODY_PARAM,
            FROM_PARAM,
            TO_PARAM,
            query_param(
                "q",
                OpenApiTypes.STR,
                "Words to search for in the title, case text, "
                "recommendation and decision; best matches first.",
            ),
            query_param(
                "kind",
                OpenApiTypes.STR,
                "Only items of this kind.",
                enum=[kind for kind in ItemKind.values if kind != ItemKind.BREAK],
            ),
        ]
    )
)
class DecisionViewSet(
    TenantViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The decision log: items with a decision (or an outcome) of meetings whose minutes
    the user may read: approved minutes for everyone, drafts for members of the body.
    A closed item shows only its title to those who may not see the body's closed items,
    and the search looks only into what the user may read."""

    permissions = {"write": "meetings.change"}  # read-only: a write is refused (403) or 405
    pagination_class = TenantPagination
    queryset = AgendaItem.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = DecisionSerializer

    def get_queryset(self):
        user = self.request.user
        queryset = (
            # The meeting's municipality said again for PostgreSQL's planner (see the log's page).
            AgendaItem.objects.filter(meeting__municipality_id=user.municipality_id)
            .filter(published_decisions(user, "meeting__"))
            .exclude(kind=ItemKind.BREAK)
            .exclude(decision="", outcome="")
            .select_related("meeting__body", "case")
            .order_by("-meeting__date", "meeting_id", "position", "pk")
        )
        if self.action != "list":
            return queryset
        request = self.request
        body = query_value(request, "body", id_field())
        start = query_value(request, "from", serializers.DateField())
        end = query_value(request, "to", serializers.DateField())
        q = query_value(request, "q", serializers.CharField(max_length=1000))
        kinds = [choice for choice in ItemKind.choices if choice[0] != ItemKind.BREAK]
        kind = query_value(request, "kind", serializers.ChoiceField(kinds))
        if body is not None:
            queryset = queryset.filter(meeting__body_id=body)
        if kind is not None:
            queryset = queryset.filter(kind=kind)
        if start is not None:
            queryset = queryset.filter(meeting__date__gte=start)
        if end is not None:
            queryset = queryset.filter(meeting__date__lte=end)
        if q is not None:
            # Only search text the user may read: closed items of other bodies are left out.
            queryset = _matching(queryset.filter(open_or_member(user)), q)
        return queryset


def register(router) -> None:
    """Add this app's viewsets to the project router (digistyr.api)."""
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("agenda-items", AgendaItemViewSet, basename="agendaitem")
    router.register("cases", CaseViewSet, basename="case")
    router.register("attachments", AttachmentViewSet, basename="attachment")
    router.register("follow-ups", FollowUpViewSet, basename="followup")
    router.register("attendance", AttendanceViewSet, basename="attendance")
    router.register("decisions", DecisionViewSet, basename="decision")
