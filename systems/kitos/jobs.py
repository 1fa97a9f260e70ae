"""The KITOS import as a background job (`core.jobs`): it waits on KITOS's network, so it is
not done inside a request. The job's transaction is the import's: a KITOS error fails the
job and leaves everything as it was."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core import jobs
from core.models import Municipality
from core.permissions import has_perm
from systems.kitos import service
from systems.kitos.client import KitosClient, KitosError


@jobs.register("systems.kitos_import")
def kitos_import(job, progress, **params):
    if not has_perm(job.user, "systems.change"):
        raise jobs.JobFailed(_("You may no longer keep the register of IT systems."))
    municipality = Municipality.objects.get(pk=job.municipality_id)
    progress(5, _("Reading from KITOS"))
    try:
        client = KitosClient.from_settings(municipality.slug)
        done = service.run(municipality, client, dry_run=False)
    except KitosError as error:
        raise jobs.JobFailed(str(error)) from error
    return jobs.Result(url=reverse("systems:kitos"), message=done.summary())
