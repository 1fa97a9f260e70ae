"""Background jobs (core.jobs): run once, retried a bounded number of times, nothing half
written, nothing lost when the queue is down, and on a real RQ queue on Redis."""

import re
import socket
from datetime import timedelta

import django_rq
import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_rq import Job as RQJob

from core import jobs
from core.models import Job, JobStatus, Municipality, Role
from tests import factories

pytestmark = pytest.mark.django_db

CALLS: list[str] = []


@jobs.register("tests.document")
def _document(job, progress, title, fail_times=0):
    """Writes a row (the effect), reports progress, makes a file; fails the first
    `fail_times` attempts after writing."""
    progress(50, "Halvvejs")
    CALLS.append(title)
    Municipality.objects.create(
        name=f"Effekt {title} {job.attempts}", slug=f"e-{job.pk}-{job.attempts}"
    )
    if job.attempts <= fail_times:
        raise RuntimeError("the printer is on fire")
    return jobs.Result(file=(f"{title}.pdf", b"%PDF-1.7 " + title.encode()))


@jobs.register("tests.refused")
def _refused(job, progress):
    Municipality.objects.create(name="Aldrig", slug="aldrig")
    raise jobs.JobFailed("Regnearket har ingen rækker.")


@jobs.register("tests.page")
def _page(job, progress, url):
    return jobs.Result(url=url)


@jobs.register("tests.taken_over")
def _taken_over(job, progress):
    """While this attempt runs, the scheduler thinks it lost and another attempt claims it."""
    Municipality.objects.create(name="Dobbelt", slug="dobbelt")
    Job.objects.filter(pk=job.pk).update(attempts=job.attempts + 1)


@pytest.fixture
def user():
    m = factories.municipality("Jobkommune")
    return factories.user(m, Role.SECRETARY, username="jobber")


def _effects(prefix: str) -> int:
    return Municipality.objects.filter(name__startswith=prefix).count()


def test_a_job_runs_once_and_offers_its_file(client, user):
    CALLS.clear()
    job = jobs.start("tests.document", user, "Dagsorden som PDF", title="dagsorden")
    assert job.status == JobStatus.DONE and job.attempts == 1 and job.on_queue
    assert CALLS == ["dagsorden"] and _effects("Effekt dagsorden") == 1
    # a second message for the same job does nothing
    jobs.execute(job.pk)
    assert CALLS == ["dagsorden"]
    client.force_login(user)
    with translation.override("da"):
        page = client.get(reverse("job_detail", args=[job.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Færdig." in html and "Hent dagsorden.pdf" in html
    download = client.get(reverse("job_file", args=[job.pk]))
    assert download.status_code == 200
    assert download.content == b"%PDF-1.7 dagsorden"
    assert "attachment" in download["Content-Disposition"]


def test_another_user_does_not_know_the_job_exists(client, user):
    job = jobs.start("tests.document", user, "Plan", title="plan")
    other = factories.user(user.municipality, Role.ADMINISTRATOR, username="chef")
    client.force_login(other)
    assert client.get(reverse("job_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("job_file", args=[job.pk])).status_code == 404


def test_a_poll_that_would_show_the_same_status_swaps_nothing(client, user, settings):
    settings.TASKS = RQ_TASKS  # not run at once: the job waits for a worker
    settings.RQ_QUEUES = _rq_queues(f"redis://127.0.0.1:{_closed_port()}/0")
    job = jobs.start("tests.document", user, "Plan", title="venter")
    client.force_login(user)
    url = reverse("job_detail", args=[job.pk])
    with translation.override("da"):
        page = client.get(url).content.decode()
    polled_url = re.search(r'hx-get="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert "vist=" in polled_url
    same = client.get(polled_url, HTTP_HX_REQUEST="true")
    assert same.status_code == 204 and not same.content, "nothing new: no swap"
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=40)
    with translation.override("da"):
        changed = client.get(polled_url, HTTP_HX_REQUEST="true")
    assert changed.status_code == 200 and 'value="40"' in changed.content.decode()


def test_a_job_that_makes_a_page_takes_the_user_there(client, user):
    job = jobs.start("tests.page", user, "Import", url="/projekter/")
    client.force_login(user)
    response = client.get(reverse("job_detail", args=[job.pk]))
    assert response.status_code == 302 and response["Location"] == "/projekter/"
    polled = client.get(reverse("job_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert polled["HX-Redirect"] == "/projekter/"


def test_a_failing_job_is_retried_and_its_failed_attempts_leave_nothing(user):
    with override_settings(JOB_MAX_ATTEMPTS=3):
        job = jobs.start("tests.document", user, "Hjul", title="hjul", fail_times=2)
    assert job.status == JobStatus.DONE and job.attempts == 3
    # only the third attempt's effect is there: the two failed ones were rolled back
    assert list(
        Municipality.objects.filter(name__startswith="Effekt hjul").values_list("name", flat=True)
    ) == ["Effekt hjul 3"]


def test_a_job_failing_every_attempt_is_failed_and_says_so(client, user):
    with override_settings(JOB_MAX_ATTEMPTS=2):
        job = jobs.start("tests.document", user, "Pakke", title="pakke", fail_times=9)
    assert job.status == JobStatus.FAILED and job.attempts == 2
    assert _effects("Effekt pakke") == 0
    assert "RuntimeError: the printer is on fire" in job.error
    client.force_login(user)
    with translation.override("da"):
        html = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Opgaven mislykkedes." in html and "2 forsøg" in html
    assert "printer" not in html  # the technical detail is for administrators


def test_bad_input_fails_at_once_with_the_message(user):
    job = jobs.start("tests.refused", user, "Import")
    assert job.status == JobStatus.FAILED and job.attempts == 1
    assert job.progress_text == "Regnearket har ingen rækker."
    assert not Municipality.objects.filter(slug="aldrig").exists()


def test_an_attempt_taken_over_by_a_later_one_writes_nothing(user):
    job = jobs.start("tests.taken_over", user, "Dobbelt")
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING  # the later attempt owns it now
    assert not Municipality.objects.filter(slug="dobbelt").exists()


def test_a_job_whose_worker_died_runs_again_once(user):
    CALLS.clear()
    job = Job.objects.create(
        kind="tests.document",
        label="Hjul",
        user=user,
        municipality=user.municipality,
        params={"title": "forladt"},
        status=JobStatus.RUNNING,
        on_queue=True,
        attempts=1,
        started_at=timezone.now() - timedelta(hours=1),
    )
    assert jobs.requeue_stalled() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2 and CALLS == ["forladt"]
    assert jobs.requeue_stalled() == 0  # done: not again
    assert _effects("Effekt forladt") == 1


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


def _rq_queues(url: str) -> dict:
    return {
        "default": {
            "URL": url,
            "DEFAULT_TIMEOUT": 60,
            "CONNECTION_KWARGS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }


def test_with_the_queue_down_the_job_waits_and_runs_later(
    client, user, django_capture_on_commit_callbacks
):
    down = _rq_queues(f"redis://127.0.0.1:{_closed_port()}/0")
    with override_settings(TASKS=RQ_TASKS, RQ_QUEUES=down):
        with django_capture_on_commit_callbacks(execute=True):
            job = jobs.start("tests.document", user, "Plan", title="ventende")
        job.refresh_from_db()
        assert job.status == JobStatus.QUEUED and not job.on_queue
        client.force_login(user)
        with translation.override("da"):
            html = client.get(reverse("job_detail", args=[job.pk])).content.decode()
        assert "Køen kan ikke nås lige nu" in html
        assert jobs.requeue_waiting() == 0  # still down: it keeps waiting
    # the queue is back (here: run at once): the scheduler's pass runs it
    call_command("run_scheduled", stdout=open("/dev/null", "w"))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and _effects("Effekt ventende") == 1


def test_on_redis_a_worker_runs_the_job(user, django_capture_on_commit_callbacks):
    queues = _rq_queues("redis://127.0.0.1:6379/15")
    with override_settings(TASKS=RQ_TASKS, RQ_QUEUES=queues):
        queue = django_rq.get_queue("default", job_class=RQJob)
        queue.empty()
        with django_capture_on_commit_callbacks(execute=True):
            job = jobs.start("tests.document", user, "Plan", title="redis")
        job.refresh_from_db()
        assert job.status == JobStatus.QUEUED and job.on_queue and queue.count == 1
        # A worker in this process (no fork), so it sees the test's transaction.
        worker = django_rq.get_worker("default", job_class=RQJob, worker_class="rq.SimpleWorker")
        worker.work(burst=True)
        job.refresh_from_db()
        assert job.status == JobStatus.DONE and job.result_name == "redis.pdf"
        assert queue.count == 0
