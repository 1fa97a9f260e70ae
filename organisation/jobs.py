"""Background jobs of the organisation (`core.jobs`): the status memo as PDF and Word, which
takes more than a second to make for a municipality of many bodies (København's PDF: 1.6 s
at the 95th percentile in `make bench`)."""

import datetime

from django.utils.translation import gettext as _

from core import jobs
from organisation import documents, services


@jobs.register("organisation.memo")
def memo(job, progress, on: str, extension: str):
    """The status memo on the day `on` (ISO date) as "pdf" or "docx"."""
    day = datetime.date.fromisoformat(on)
    progress(20, _("Reading the bodies"))
    found = services.status_memo(job.municipality, day)
    progress(50, _("Writing the document"))
    data = documents.memo_pdf(found) if extension == "pdf" else documents.memo_docx(found)
    return jobs.Result(file=(f"statusnotat-{day:%Y-%m-%d}.{extension}", data))
