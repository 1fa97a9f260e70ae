"""The KITOS page (`/systemer/kitos/`) of those who keep the register (`systems.change`):
what is configured and when KITOS was last read; "Dry run" reads KITOS and shows what an
import would change without writing anything; "Import" starts the import as a background
job (`systems.kitos.jobs`), which writes it all in one transaction or nothing."""

from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.translation import gettext as _

from core import job_views, jobs
from core.permissions import permission_required
from systems.kitos import service
from systems.kitos.client import KitosClient, KitosError, organization_for
from systems.models import SystemUsage


def _context(request: HttpRequest, **extra) -> dict:
    municipality = request.user.municipality
    return {
        "kitos_url": settings.KITOS_URL,
        "configured": bool(settings.KITOS_TOKEN and organization_for(municipality.slug)),
        "last_read": SystemUsage.objects.aggregate(last=Max("kitos_synced_at"))["last"],
        **extra,
    }


@permission_required("systems.change")
def kitos(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "systems/kitos/kitos.html", _context(request))
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    action = request.POST.get("action")
    if action == "import":
        job = jobs.start("systems.kitos_import", request.user, _("Import from KITOS"))
        return job_views.respond(request, job)
    if action != "dry_run":
        return render(
            request,
            "systems/kitos/kitos.html",
            _context(request, error=_("Choose “Dry run” or “Import”.")),
            status=400,
        )
    try:
        client = KitosClient.from_settings(request.user.municipality.slug)
        result = service.run(request.user.municipality, client, dry_run=True)
    except KitosError as error:
        return render(
            request, "systems/kitos/kitos.html", _context(request, error=str(error)), status=502
        )
    return render(request, "systems/kitos/kitos.html", _context(request, plan=result))
