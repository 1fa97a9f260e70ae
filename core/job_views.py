"""The pages of background jobs (`core.jobs`): a job's progress and result, and the
administrators' view of failed jobs and mail sent."""

import mimetypes
import zlib
from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django_htmx.http import HttpResponseClientRedirect

from core import jobs
from core.http import TenantRequest
from core.models import Job, JobStatus, MailStatus, OutgoingMail
from core.permissions import permission_required


def respond(request, job: Job) -> HttpResponse:
    """Where the user goes after asking for `job`: straight to its result when it is done
    already (no queue: `make run`, the tests, or a fast worker), else to its page."""
    if job.status == JobStatus.DONE:
        if job.result_file:
            return _file_response(job)
        if job.result_url:
            if job.progress_text:
                messages.success(request, job.progress_text)
            return redirect(job.result_url)
    return redirect("job_detail", pk=job.pk)


def job_of(pk) -> Job:
    return get_object_or_404(Job.objects.select_related("user"), pk=pk)


@permission_required("core.see_job", lookup=job_of, hide=True)
def job_detail(request: TenantRequest, job: Job) -> HttpResponse:
    """The job's progress, polled by htmx while it runs; when it is done the user is taken to
    the page it made, or offered its file."""
    if job.status == JobStatus.DONE and job.result_url and not job.result_file:
        if job.progress_text:
            messages.success(request, job.progress_text)
        if request.htmx:
            return HttpResponseClientRedirect(job.result_url)
        return redirect(job.result_url)
    percent, text = jobs.progress_of(job)
    shown = _shown(job, percent, text)
    if request.htmx and request.GET.get("vist") == shown:
        # Nothing new since the last poll: no swap, so a screen reader does not hear the
        # same status again every second.
        return HttpResponse(status=204)
    template = "core/_job_status.html" if request.htmx else "core/job_detail.html"
    return render(
        request,
        template,
        {
            "job": job,
            "percent": percent,
            "text": text,
            "shown": shown,
            "waiting_for_queue": job.status == JobStatus.QUEUED and not job.on_queue,
        },
    )


def _shown(job: Job, percent: int, text: str) -> str:
    """A short fingerprint of what the status shows, sent back by the next poll."""
    waiting = job.status == JobStatus.QUEUED and not job.on_queue
    return f"{job.status}-{int(waiting)}-{percent}-{zlib.crc32(text.encode()):x}"


@permission_required("core.see_job", lookup=job_of, hide=True)
def job_file(request: TenantRequest, job: Job) -> HttpResponse:
    """The file the job made (a document), downloaded."""
    if job.status != JobStatus.DONE or not job.result_file:
        return redirect("job_detail", pk=job.pk)
    return _file_response(job)


def _file_response(job: Job) -> HttpResponse:
    """The job's file as an attachment (documents are a few megabytes: read whole)."""
    name = job.result_name or "dokument"
    with job.result_file.open("rb") as handle:
        content = handle.read()
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@permission_required("core.see_operations")
def operations(request: TenantRequest) -> HttpResponse:
    """Failed jobs and the mail of the last 30 days in the administrator's municipality."""
    since = timezone.now() - timedelta(days=30)
    municipality = request.municipality
    assert municipality is not None  # core.see_operations: an administrator of one
    failed = (
        Job.objects.filter(
            municipality=municipality, status=JobStatus.FAILED, created_at__gte=since
        )
        .select_related("user")
        .order_by("-created_at")[:100]
    )
    mail = OutgoingMail.objects.filter(municipality=municipality, created_at__gte=since)
    return render(
        request,
        "core/operations.html",
        {
            "failed": failed,
            "mail": mail.order_by("-created_at")[:100],
            "mail_failed": mail.filter(status=MailStatus.FAILED).count(),
            "mail_pending": mail.filter(status=MailStatus.PENDING).count(),
            "mail_sent": mail.filter(status=MailStatus.SENT).count(),
            "queued": Job.objects.filter(
                municipality=municipality, status=JobStatus.QUEUED
            ).count(),
        },
    )
