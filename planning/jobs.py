"""Background jobs of planning (`core.jobs`): the documents that take more than a second to
make for a large municipality, the annual wheel's PDF and an action plan as PDF or Word."""

from django.http import QueryDict
from django.utils.translation import gettext as _

from core import jobs
from core.permissions import has_perm
from planning.plans import documents as plan_documents
from planning.plans import services as plan_services
from planning.wheel import documents as wheel_documents
from planning.wheel import services as wheel_services
from planning.wheel.forms import filtered_year


@jobs.register("planning.wheel_pdf")
def wheel_pdf(job, progress, query: str):
    """The wheel of the page's filters (`query`, the page's query string) as a PDF."""
    progress(10, _("Reading the annual wheel"))
    _form, year = filtered_year(
        QueryDict(query), job.municipality.wheel_first_month, wheel_services.MAX_RINGS
    )
    progress(40, _("Drawing the annual wheel"))
    data = wheel_documents.pdf(year, job.municipality)
    return jobs.Result(file=(wheel_documents.filename(year, "pdf"), data))


@jobs.register("planning.plan_document")
def plan_document(job, progress, plan_id: int, extension: str):
    """An action plan as PDF or Word, as the user who asked may read it."""
    plan = plan_services.plans_with_links().filter(pk=plan_id).first()
    if plan is None or not has_perm(job.user, "core.view", plan):
        raise jobs.JobFailed(_("The action plan no longer exists."))
    progress(20, _("Reading the plan"))
    document = plan_documents.build(job.user, plan)
    progress(50, _("Writing the document"))
    if extension == "pdf":
        data = plan_documents.plan_pdf(document)
    else:
        data = plan_documents.plan_docx(document)
    return jobs.Result(file=(plan_documents.filename(plan, extension), data))
