"""Background jobs of meetings (`core.jobs`): sending the agenda to the members."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import jobs
from meetings import services
from meetings.models import Meeting


@jobs.register("meetings.send_agenda")
def send_agenda(job, progress, meeting_id: int):
    """E-mail the agenda PDF and a calendar invitation to the members (`services.send_agenda`,
    which checks again that it may be sent). The sending and the state "sent" are one
    transaction: a failed attempt leaves the meeting approved, and the job tries again."""
    meeting = Meeting.objects.select_related("body").filter(pk=meeting_id).first()
    if meeting is None:
        raise jobs.JobFailed(_("The meeting no longer exists."))
    progress(20, _("Writing the agenda and sending it"))
    try:
        addresses = services.send_agenda(meeting, job.user)
    except ValidationError as error:
        raise jobs.JobFailed(" ".join(error.messages)) from error
    message = ngettext(
        "The agenda was sent to %(count)d member.",
        "The agenda was sent to %(count)d members.",
        len(addresses),
    ) % {"count": len(addresses)}
    return jobs.Result(url=reverse("meetings:meeting_detail", args=[meeting.pk]), message=message)
