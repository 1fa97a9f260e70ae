from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from organisation.models import Body, Membership


@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    """Tilgængelighedserklæring: the accessibility statement required of public websites."""
    return render(request, "core/accessibility.html")


def home(request: HttpRequest) -> HttpResponse:
    """The front page: the municipality's bodies and the user's own seats."""
    today = timezone.localdate()
    bodies = Body.objects.active_on(today).order_by("name")
    my_memberships = (
        Membership.objects.current(today)
        .filter(person__user=request.user)
        .select_related("body")
        .order_by("body__name")
    )
    return render(
        request,
        "core/home.html",
        {
            "bodies": bodies,
            "body_count": bodies.count(),
            "my_memberships": my_memberships,
            "today": today,
        },
    )


@login_not_required
def api_docs(request: HttpRequest) -> HttpResponse:
    """The API reference, generated from the OpenAPI schema."""
    from core.api_docs import operations

    return render(request, "core/api_docs.html", {"operations": operations()})
