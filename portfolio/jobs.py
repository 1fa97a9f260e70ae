"""Background jobs of the portfolio (`core.jobs`): committing a large project import."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import jobs
from core.permissions import has_perm
from portfolio import importer


@jobs.register("portfolio.import_projects")
def import_projects(job, progress, token: str, choices: dict | None = None):
    """Create every project of the kept upload, or none (`importer.commit`), then delete it.
    Errors found now (the portfolio changed since the preview) fail the job with their count;
    the preview shows them."""
    municipality_id = job.municipality_id
    if not has_perm(job.user, "portfolio.change"):
        raise jobs.JobFailed(_("You may no longer change the portfolio."))
    chosen = importer.PROJECTS.choices(choices)
    data = importer.kept(municipality_id, token, chosen.sheet)
    if data is None:
        raise jobs.JobFailed(_("The uploaded file is gone. Upload it again."))
    progress(10, _("Checking the sheet against the portfolio"))
    try:
        committed = importer.commit(data, municipality_id, chosen)
    except importer.ImportInvalid as invalid:
        raise jobs.JobFailed(
            ngettext(
                "The sheet has %(count)d error now. Open the preview again to see it.",
                "The sheet has %(count)d errors now. Open the preview again to see them.",
                len(invalid.result.errors),
            )
            % {"count": len(invalid.result.errors)}
        ) from invalid
    # The file goes when the import is committed (after the transaction, in case it fails).
    transaction.on_commit(lambda: importer.discard(municipality_id, token))
    return jobs.Result(url=reverse("portfolio:project_list"), message=committed.message())
