"""Background jobs of the DPO's documents (`core.jobs`): the annual report and a body's
systems as PDF or Word (a large register takes more than a second)."""

from django.utils.translation import gettext as _

from core import jobs
from organisation.models import Body
from systems.reports import documents, services


@jobs.register("systems.annual_report")
def annual_report(job, progress, year: int, extension: str):
    progress(10, _("Reading the register"))
    report = services.annual_report(job.municipality, year)
    progress(50, _("Writing the document"))
    data = documents.annual_pdf(report) if extension == "pdf" else documents.annual_docx(report)
    return jobs.Result(file=(documents.annual_filename(report, extension), data))


@jobs.register("systems.body_systems")
def body_systems(job, progress, body_id: int, extension: str):
    body = Body.objects.select_related("municipality").filter(pk=body_id).first()
    if body is None:
        raise jobs.JobFailed(_("The body no longer exists."))
    progress(10, _("Reading the register"))
    found = services.body_systems(body)
    progress(50, _("Writing the document"))
    data = documents.body_pdf(found) if extension == "pdf" else documents.body_docx(found)
    return jobs.Result(file=(documents.body_filename(found, extension), data))
