"""Downloads of core's own data, and the page of the municipality's letterhead, which core
cannot make itself (documents sits above it: uploads pass its virus scan)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import audit
from core.http import TenantRequest
from core.permissions import permission_required
from core.responses import render_form
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
