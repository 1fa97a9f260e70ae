from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.forms import UserCreateForm, UserEditForm
from core.http import TenantRequest
from core.models import User
from core.permissions import permission_required
from core.responses import render_form


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


@login_not_required
def api_docs(request: HttpRequest) -> HttpResponse:
    """The API reference, generated from the OpenAPI schema."""
    from core.api_docs import operations

    return render(request, "core/api_docs.html", {"operations": operations()})


def _municipality_users(request: TenantRequest):
    """Users are not a scoped model: this is the one place that limits them to the tenant."""
    return User.objects.filter(municipality=request.municipality)


@permission_required("core.manage_users")
def user_list(request: TenantRequest) -> HttpResponse:
    users = _municipality_users(request).select_related("person").order_by("username")
    return render(request, "core/user_list.html", {"users": users})


@permission_required("core.manage_users")
def user_form(request: TenantRequest, pk: int | None = None) -> HttpResponse:
    account = get_object_or_404(_municipality_users(request), pk=pk) if pk else None
    form: UserCreateForm | UserEditForm
    if account is None:
        form = UserCreateForm(request.POST or None, municipality=request.municipality)
    else:
        form = UserEditForm(request.POST or None, instance=account, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The login was saved."))
        return redirect("user_list")
    return render_form(request, "core/user_form.html", {"form": form, "account": account})
