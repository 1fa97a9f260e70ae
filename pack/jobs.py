"""Background jobs of the steering-group pack (`core.jobs`): the pack as PDF or Word."""

from django.utils.translation import gettext as _

from core import jobs
from core.permissions import has_perm
from meetings.models import Meeting
from pack import documents as pack_documents
from pack import services as packs


@jobs.register("pack.pack_document")
def pack_document(job, progress, meeting_id: int, scope: str, extension: str):
    """The pack of the meeting, for a user who may still see its agenda."""
    meeting = Meeting.objects.select_related("body").filter(pk=meeting_id).first()
    if meeting is None or not has_perm(job.user, "meetings.see_agenda", meeting):
        raise jobs.JobFailed(_("The meeting no longer exists."))
    progress(10, _("Collecting the portfolio"))
    result = packs.build(meeting, scope)
    progress(50, _("Writing the document"))
    if extension == "pdf":
        data = pack_documents.pack_pdf(result)
    else:
        data = pack_documents.pack_docx(result)
    return jobs.Result(file=(pack_documents.filename(result, extension), data))
