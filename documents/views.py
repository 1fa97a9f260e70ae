"""Downloads of core's own data, and the page of the municipality's letterhead, which core
cannot make itself (documents sits above it: uploads pass its virus scan)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import audit, jobs
from core.http import TenantRequest
from core.job_views import respond
from core.models import Role, User
from core.permissions import permission_required
from core.responses import render_form
from core.widgets import choice_labels
from documents import exports
from documents.forms import MunicipalityForm
from documents.http import XLSX, download
from documents.letterhead import logo_data_uri
from documents.xlsx import XlsxExporter


class AuditExport(XlsxExporter):
    """The security log as the page shows it (same filters), one event a row."""

    sheet_title = _("Security log")
    columns = (_("Time"), _("Event"), _("Username"), _("IP address"), _("Detail"))

    def __init__(self, events):
        self.events = events

    def rows(self):
        for event in self.events.iterator():
            at = timezone.localtime(event.at).replace(tzinfo=None)
            yield [at, event.get_kind_display(), event.username, event.ip_address, event.detail]


@permission_required("core.see_audit_log")
def audit_log_xlsx(request: TenantRequest) -> HttpResponse:
    _form, events = audit.filtered(request)
    content = AuditExport(events).to_bytes()
    return download(content, XLSX, f"sikkerhedslog-{timezone.localdate():%Y-%m-%d}.xlsx")


class UserExport(XlsxExporter):
    """The municipality's logins as the user list shows them."""

    sheet_title = _("Users")
    columns = (
        _("Username"),
        _("Name"),
        _("E-mail"),
        _("Role"),
        _("Person"),
        _("Active"),
        _("Last login"),
    )

    def __init__(self, users):
        self.users = users

    def rows(self):
        roles = choice_labels(Role)
        yes, no = str(_("Yes")), str(_("No"))
        for row in self.users.values_list(
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "person__name",
            "is_active",
            "last_login",
        ):
            username, first, last, email, role, person, active, last_login = row
            yield (
                username,
                f"{first} {last}".strip(),
                email,
                roles.get(role, role),
                person or "",
                yes if active else no,
                timezone.localtime(last_login).replace(tzinfo=None) if last_login else None,
            )


def municipality_users(municipality):
    """The logins of the municipality, as the user list orders them (users are not scoped)."""
    return User.objects.filter(municipality=municipality).order_by("username")


@permission_required("core.manage_users")
def user_list_xlsx(request: TenantRequest) -> HttpResponse:
    content = UserExport(municipality_users(request.municipality)).to_bytes()
    return download(content, XLSX, f"brugere-{timezone.localdate():%Y-%m-%d}.xlsx")


@permission_required("core.manage_municipality")
def full_export(request: TenantRequest) -> HttpResponse:
    """ "Hent alle data": every kind of data and every attachment of the municipality as a
    zip, made in the background (`documents.jobs.full_export`)."""
    if request.method == "POST":
        job = jobs.start("documents.full_export", request.user, str(_("All data (zip)")))
        return respond(request, job)
    return render(
        request,
        "documents/full_export.html",
        {"municipality": request.municipality, "kinds": exports.kinds()},
    )


@permission_required("core.manage_municipality")
def municipality(request: TenantRequest) -> HttpResponse:
    """ "Kommunens oplysninger": the logo on the municipality's documents."""
    form = MunicipalityForm(
        request.POST or None,
        request.FILES or None,
        municipality=request.municipality,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The municipality's details were saved."))
        return redirect("municipality")
    return render_form(
        request,
        "documents/municipality_form.html",
        {
            "form": form,
            "municipality": request.municipality,
            "logo": logo_data_uri(request.municipality),
        },
    )
