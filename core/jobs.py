"""Background jobs: work a user asks for that takes longer than a page should wait.

A job is a row (`core.models.Job`) first and a message on the queue second. `start()` writes
the row and puts it on the queue of Django's Tasks API (the django-tasks backport: RQ on Redis
in production, run at once inside the request without Redis). The user is taken to the job's
page (`core.views.job_detail`), which shows the progress and, when the job is done, takes them
to the result: a page, or the file the job made.

The guarantees:

- **Nothing asked for is lost.** When the queue cannot be reached, the row waits with
  `on_queue=False` and the user is told; `manage.py run_scheduled` puts it on the queue again.
- **The effect happens once.** A job's function runs inside one database transaction, and the
  job is marked done in the same transaction: what it writes and "done" are committed
  together or not at all. A second message for a job that is done does nothing; a worker
  killed mid-job leaves nothing written, and the job is run again (`requeue_stalled`). If a
  job thought lost comes back after another attempt took it over, its attempt number no
  longer matches and its work is rolled back.
- **Bounded retries.** A job that raises is tried `JOB_MAX_ATTEMPTS` times in all; then it is
  failed, and its page says so. `JobFailed` carries a message for the user and is not retried
  (bad input will not get better).

A job function is registered by kind in the `jobs.py` of its app, which `CoreConfig.ready`
imports::

    @jobs.register("planning.plan_pdf")
    def plan_pdf(job, progress, plan_id):
        progress(10, _("Reading the plan"))
        ...
        return jobs.Result(file=("plan.pdf", data))

Progress is written to the cache (Redis when configured), not to the row: the row is locked
in the job's transaction until it ends.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, BinaryIO

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from core.models import Job, JobStatus

log = logging.getLogger(__name__)

JobFunction = Callable[..., "Result | None"]
REGISTRY: dict[str, JobFunction] = {}
# What `manage.py run_scheduled` does on each pass, in order: (name, function() -> a count).
SCHEDULED: dict[str, Callable[[], Any]] = {}


class JobFailed(Exception):
    """The job cannot be done, and trying again will not help; the message is for the user."""


@dataclass
class Result:
    """Where the user goes when the job is done: a page, or a file (name, and its bytes or
    an open binary file at its start, which is closed once stored); and what they are told
    there."""

    url: str = ""
    file: tuple[str, bytes | BinaryIO] | None = None
    message: str = ""


def register(kind: str) -> Callable[[JobFunction], JobFunction]:
    def decorator(function: JobFunction) -> JobFunction:
        if kind in REGISTRY and REGISTRY[kind] is not function:
            raise ValueError(f"Two jobs are registered as {kind!r}")
        REGISTRY[kind] = function
        return function

    return decorator


def scheduled(name: str) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """Register work for each pass of `manage.py run_scheduled` (reminders, publication)."""

    def decorator(function: Callable[[], Any]) -> Callable[[], Any]:
        SCHEDULED[name] = function
        return function

    return decorator


# --- Starting ---------------------------------------------------------------------------------


def start(kind: str, user, label: str, **params: Any) -> Job:
    """Ask for a job; returns its row. On the queue after the current transaction commits (so
    the worker finds the row); without Redis it has run when this returns."""
    if kind not in REGISTRY:
        raise KeyError(f"No job registered as {kind!r}")
    job = Job.objects.create(
        kind=kind,
        label=label,
        user=user,
        municipality_id=user.municipality_id,
        params=params,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    if runs_at_once():
        put_on_queue(job.pk)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: put_on_queue(job.pk))
    return job


def runs_at_once() -> bool:
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], ImmediateBackend)


def put_on_queue(job_id) -> bool:
    """Put the job on the queue; False (and the row waits) when the queue cannot be reached."""
    Job.objects.filter(pk=job_id).update(on_queue=True)
    try:
        run_job.enqueue(str(job_id))
    except Exception:  # the queue's client raises its own connection errors
        log.warning("Job %s could not be put on the queue; it waits in the database", job_id)
        Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(on_queue=False)
        return False
    return True


# --- Running ----------------------------------------------------------------------------------


@task()
def run_job(job_id: str) -> None:
    """The task on the queue: run the job (the worker calls this)."""
    execute(job_id)


def _progress_key(job_id) -> str:
    return f"digistyr:job:{job_id}:progress"


def _cache(method: str, *args):
    """The progress lives in the shared cache (Redis in production); when that cache cannot
    be reached the page shows the last progress saved with the job instead of failing."""
    try:
        return getattr(cache, method)(*args)
    except Exception as error:  # redis.ConnectionError and the like: progress is a nicety
        log.warning("Job progress not in the cache (%s)", type(error).__name__)
        return None


def progress_of(job: Job) -> tuple[int, str]:
    """The job's progress (percent, text) while it runs."""
    if job.status == JobStatus.RUNNING:
        value = _cache("get", _progress_key(job.pk))
        if value:
            return value
    return job.progress, job.progress_text


def execute(job_id) -> Job | None:
    """Run the job once: claim it, run its function in one transaction with "done", and on
    failure try again (bounded) or mark it failed."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return job  # gone, or done by an earlier message: nothing to do
        job.status = JobStatus.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.error = ""
        job.save(update_fields=["status", "attempts", "started_at", "error"])
    attempt = job.attempts

    def progress(percent: int, text: str = "") -> None:
        _cache("set", _progress_key(job.pk), (max(0, min(100, percent)), text), 3600)

    function = REGISTRY.get(job.kind)
    try:
        if function is None:
            raise JobFailed(_("This kind of job is unknown."))
        # As in the request that asked: the user's municipality and language.
        with (
            transaction.atomic(),
            scope(municipality=job.municipality_id),
            translation.override(job.language or settings.LANGUAGE_CODE),
        ):
            result = function(job, progress, **job.params) or Result()
            current = Job.objects.select_for_update().get(pk=job.pk)
            if current.attempts != attempt or current.status != JobStatus.RUNNING:
                raise _TakenOver
            current.status = JobStatus.DONE
            current.progress, current.progress_text = 100, result.message
            current.finished_at = timezone.now()
            current.result_url = result.url
            if result.file is not None:
                name, data = result.file
                current.result_name = name
                if isinstance(data, bytes):
                    current.result_file.save(name, ContentFile(data), save=False)
                else:
                    with data:
                        current.result_file.save(name, File(data, name=name), save=False)
            current.save()
        _cache("delete", _progress_key(job.pk))
        return current
    except _TakenOver:
        log.warning("Job %s attempt %s was taken over by a later attempt", job.pk, attempt)
        return None
    except JobFailed as refusal:
        return _fail(job, str(refusal))
    except Exception as error:
        log.exception("Job %s (%s) failed, attempt %s", job.pk, job.kind, attempt)
        if attempt < settings.JOB_MAX_ATTEMPTS:
            Job.objects.filter(pk=job.pk, attempts=attempt).update(
                status=JobStatus.QUEUED, on_queue=False, error=_short(error)
            )
            put_on_queue(job.pk)
            return Job.objects.get(pk=job.pk)
        return _fail(
            job,
            _(
                "The job failed after %(attempts)s attempts. Try again later, or ask an "
                "administrator to look at the failed jobs."
            )
            % {"attempts": attempt},
            detail=_short(error),
        )


class _TakenOver(Exception):
    pass


def _short(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:500]


def _fail(job: Job, message: str, detail: str = "") -> Job:
    from core import metrics

    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED,
        finished_at=timezone.now(),
        error="\n".join(filter(None, (message, detail))),
        progress_text=message,
    )
    _cache("delete", _progress_key(job.pk))
    metrics.job_failed()
    return Job.objects.get(pk=job.pk)


# --- Keeping the queue honest (run by `manage.py run_scheduled`) ------------------------------


def requeue_waiting() -> int:
    """Put the jobs that wait in the database (the queue was down) on the queue."""
    count = 0
    for job_id in Job.objects.filter(status=JobStatus.QUEUED, on_queue=False).values_list(
        "pk", flat=True
    ):
        count += put_on_queue(job_id)
    return count


def requeue_stalled(now=None) -> int:
    """Jobs running longer than `JOB_STALLED_MINUTES` lost their worker: run them again (the
    attempt counts), or fail them when their attempts are used up."""
    now = now or timezone.now()
    limit = now - timedelta(minutes=settings.JOB_STALLED_MINUTES)
    count = 0
    for job in Job.objects.filter(status=JobStatus.RUNNING, started_at__lt=limit):
        if job.attempts >= settings.JOB_MAX_ATTEMPTS:
            _fail(job, _("The job stopped and was not finished. Try again."))
            continue
        updated = Job.objects.filter(
            pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts
        ).update(status=JobStatus.QUEUED, on_queue=False)
        if updated:
            count += put_on_queue(job.pk)
    return count


def queue_length() -> int:
    return Job.objects.filter(status=JobStatus.QUEUED).count()
