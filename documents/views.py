"""Downloads of core's own data, which core cannot make itself (documents sits above it)."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import audit
from core.http import TenantRequest
from core.permissions import permission_required
from documents.http import XLSX, download
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
