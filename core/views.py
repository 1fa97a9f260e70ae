from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import audit, tokens
from core.forms import ApiTokenForm, UserCreateForm, UserEditForm
from core.http import TenantRequest
from core.models import ApiToken, AuditKind, User
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
    context = {"form": form, "account": account}
    if account is not None:
        context.update(keys=tokens.keys_of(account), now=timezone.now())
    return render_form(request, "core/user_form.html", context)


# --- The user's own account: password and API keys ---------------------------------------


@permission_required("core.logged_in")
def account(request: TenantRequest) -> HttpResponse:
    """The user's own page: the password and the API keys."""
    return render(
        request,
        "core/account.html",
        {"keys": tokens.keys_of(request.user), "form": ApiTokenForm(), "now": timezone.now()},
    )


class PasswordChange(auth_views.PasswordChangeView):
    """Change one's own password (Django's form and validators, in Danish)."""

    template_name = "core/password_change.html"
    success_url = reverse_lazy("account")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_usable_password():
            # Logins through the municipality's single sign-on have no password here.
            messages.info(request, _("Your login uses single sign-on: change the password there."))
            return redirect("account")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(AuditKind.PASSWORD_CHANGED, request=self.request)
        messages.success(self.request, _("Your password was changed."))
        return response

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=422)


password_change = permission_required("core.logged_in")(PasswordChange.as_view())


def _show_key(request: TenantRequest, token, key: str) -> HttpResponse:
    """The page that shows a new key, once: it is not stored, so it is never shown again."""
    response = render(request, "core/api_key_created.html", {"token": token, "key": key})
    response["Cache-Control"] = "no-store"
    return response


@permission_required("core.logged_in")
def api_key_create(request: TenantRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, key = tokens.issue(
            request.user,
            form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_at=timezone.now() + timedelta(days=form.cleaned_data["days"]),
            request=request,
        )
        return _show_key(request, token, key)
    return render_form(
        request, "core/api_key_form.html", {"form": form, "submit_label": _("Create key")}
    )


def _own_key(request: TenantRequest, pk: int) -> ApiToken:
    return get_object_or_404(ApiToken, pk=pk, user=request.user)


@require_POST
@permission_required("core.logged_in")
def api_key_renew(request: TenantRequest, pk: int) -> HttpResponse:
    token = _own_key(request, pk)
    if not token.is_valid(timezone.now()):
        messages.error(request, _("Only a key in use can be renewed. Create a new one."))
        return redirect("account")
    new, key = tokens.renew(token, request=request)
    return _show_key(request, new, key)


@require_POST
@permission_required("core.logged_in")
def api_key_revoke(request: TenantRequest, pk: int) -> HttpResponse:
    token = _own_key(request, pk)
    tokens.revoke(token, request=request)
    messages.success(request, _("The key %(name)s was revoked.") % {"name": token.name})
    return redirect("account")


@require_POST
@permission_required("core.manage_users")
def user_key_revoke(request: TenantRequest, pk: int, key: int) -> HttpResponse:
    """An administrator revokes a key of a login of their municipality."""
    account = get_object_or_404(_municipality_users(request), pk=pk)
    token = get_object_or_404(ApiToken, pk=key, user=account)
    tokens.revoke(token, request=request)
    messages.success(request, _("The key %(name)s was revoked.") % {"name": token.name})
    return redirect("user_edit", pk=account.pk)


# --- The security log --------------------------------------------------------------------

AUDIT_PAGE_SIZE = 100


@permission_required("core.see_audit_log")
def audit_log(request: TenantRequest) -> HttpResponse:
    form, events = audit.filtered(request)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("side"))
    return render(
        request,
        "core/audit_log.html",
        {
            "form": form,
            "page": page,
            "events": page.object_list,
            "retention": settings.AUDIT_RETENTION_DAYS,
        },
    )
