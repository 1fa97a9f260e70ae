"""Background jobs of documents (`core.jobs`): the full export of a municipality's data."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core import jobs
from documents import exports


@jobs.register("documents.full_export")
def full_export(job, progress):
    """Every registered kind of data and every attachment of the job's municipality, as a zip
    (`documents.exports`)."""
    progress(5, _("Reading the data"))
    data = exports.full_export(job.municipality, progress)
    return jobs.Result(file=(f"digistyr-alle-data-{timezone.localdate():%Y-%m-%d}.zip", data))
