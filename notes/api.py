"""The API of private notes: `/api/v1/notes/` lists the notes of the user (or API key) asking,
and no one else's — `Note.objects.of(user)`, under the one rule `notes.own`. Read-only: notes
are written on the pages; there is no way to read a note by its id, so another user's id
tells nothing either. `?meeting=<id>` narrows the list to one meeting's items."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from core.api import StrictModelSerializer, TenantViewSetMixin, id_field, query_param, query_value
from core.pagination import TenantPagination
from notes.models import Note


class NoteSerializer(StrictModelSerializer):
    meeting = serializers.SerializerMethodField()
    on = serializers.SerializerMethodField()

    class Meta:
        model = Note
        fields = ["id", "meeting", "item", "attachment", "on", "text", "created", "updated"]
        read_only_fields = fields

    def get_meeting(self, note: Note) -> int:
        return note.agenda_item.meeting_id

    def get_on(self, note: Note) -> str:
        """The title of the item or attachment the note is on."""
        return note.target.title


@extend_schema_view(
    list=extend_schema(
        parameters=[query_param("meeting", OpenApiTypes.INT, "Only the notes of this meeting.")]
    )
)
class NoteViewSet(TenantViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The user's own private notes (newest change first)."""

    permissions = {"read": "notes.own"}  # no writes: refused (403)
    pagination_class = TenantPagination
    queryset = Note.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = NoteSerializer

    def get_queryset(self):
        notes = (
            Note.objects.of(self.request.user)
            .select_related("item", "attachment__item")
            .order_by("-updated", "-pk")
        )
        meeting = query_value(self.request, "meeting", id_field())
        if meeting is not None:
            notes = notes.of_meeting(meeting)
        return notes


def register(router) -> None:
    router.register("notes", NoteViewSet, basename="note")
