"""What the DPO's documents add to a lower app's page (`core.sections`): the body page's
systems, with a link to the overview of the body's systems."""

from django.utils import timezone

from systems import duties
from systems.models import SystemUsage


def body_systems(request, body) -> dict:
    """How many systems the body governs and how many of their duties need attention."""
    return {
        "count": SystemUsage.objects.filter(body=body).count(),
        "attention": len(duties.open_duties(timezone.localdate(), body_id=body.pk)),
    }
