"""What publication adds to the body page (core.sections): whether the body publishes, and
for its secretary the settings and the approved agendas to publish at once."""

from core.permissions import has_perm
from publication import published, services


def body_publication(request, body) -> dict:
    """The body's publication settings (one query), and for its secretary the approved agendas
    not yet public (one more)."""
    settings = published.publication_of(body)
    can_publish = has_perm(request.user, "publication.change", body)
    return {
        "publication": settings,
        "can_publish": can_publish,
        "slug": request.municipality.slug if request.municipality else "",
        "awaiting": services.awaiting(body)
        if can_publish and settings and settings.publishes
        else [],
    }


def meeting_publication(request, meeting) -> dict:
    """Whether the meeting's agenda is public, and for the body's secretary "publish now"
    (two queries: the body's settings and the meeting's publication by hand)."""
    settings = published.publication_of(meeting.body)
    if settings is None or not settings.publishes:
        return {"publishes": False}
    return {
        "publishes": True,
        "public": published.agenda_public(meeting),
        "approved": meeting.state in published.AGENDA_APPROVED_STATES,
        "can_publish": has_perm(request.user, "publication.change", meeting),
        "days_before": settings.days_before,
        "slug": request.municipality.slug if request.municipality else "",
    }
