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
