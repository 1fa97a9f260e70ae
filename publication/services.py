"""Changing what the public sees: a body's publication settings, and an agenda published by
hand before the body's days before the meeting. Refusals are Danish and write nothing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import Meeting
from organisation.models import Body
from publication import published
from publication.models import BodyPublication, MeetingPublication


def settings_of(body: Body) -> BodyPublication:
    """The body's publication settings, a new (unsaved, not publishing) row when it has none."""
    return published.publication_of(body) or BodyPublication(
        body=body, municipality_id=body.municipality_id
    )


@transaction.atomic
def publish_now(meeting: Meeting, user) -> MeetingPublication:
    """Publish the meeting's agenda at once. Refused while the chair has not approved the
    agenda, and for a body that does not publish; a second time changes nothing."""
    meeting = (
        Meeting.within(meeting)
        .select_for_update(of=("self",))
        .select_related("body__publication")
        .get(pk=meeting.pk)
    )
    if meeting.state not in published.AGENDA_APPROVED_STATES:
        raise ValidationError(
            _(
                "The agenda cannot be published: the chair has not approved it yet. "
                "Nothing was published."
            )
        )
    settings = published.publication_of(meeting.body)
    if settings is None or not settings.publishes:
        raise ValidationError(
            _(
                "%(body)s does not publish its meetings. Choose that in the body's publication "
                "settings first. Nothing was published."
            )
            % {"body": meeting.body.name}
        )
    existing = MeetingPublication.within(meeting).filter(meeting=meeting).first()
    if existing is not None:
        return existing
    return MeetingPublication.objects.create(
        municipality_id=meeting.municipality_id,
        meeting=meeting,
        published_at=timezone.now(),
        published_by=user,
    )


def awaiting(body: Body, limit: int = 10) -> list[Meeting]:
    """The body's coming meetings whose approved agenda is not public yet (one query)."""
    public = published.meetings().filter(body=body).values("pk")
    return list(
        Meeting.objects.filter(
            body=body,
            state__in=list(published.AGENDA_APPROVED_STATES),
            date__gte=timezone.localdate(),
        )
        .exclude(pk__in=public)
        .order_by("date", "start")[:limit]
    )
