"""What the register adds to lower apps' pages (`core.sections`): the project card's
"Systems this project touches"."""

from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf

from core.collation import Danish
from core.permissions import has_perm
from systems.models import SystemProject


def project_systems(request, project) -> dict:
    """The systems the project changes, by name, with what it does to each; one query."""
    links = (
        SystemProject.objects.filter(project=project)
        .select_related("usage__system")
        .annotate(
            sort_name=Coalesce(NullIf(F("usage__local_name"), Value("")), F("usage__system__name"))
        )
        .order_by(Danish("sort_name"), "pk")
    )
    return {
        "system_links": list(links),
        "can_change_systems": has_perm(request.user, "systems.change"),
    }


def ready() -> None:
    from core import sections

    sections.register(
        "portfolio.project", "systems/register/_project_systems.html", project_systems, order=20
    )
