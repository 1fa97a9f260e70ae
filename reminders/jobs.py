"""The reminders' part of each pass of `manage.py run_scheduled` (`core.jobs.scheduled`):
compute what is due and queue the mails; the scheduler sends them right after."""

from core import jobs
from reminders import services


@jobs.scheduled("reminders")
def reminders() -> dict[str, int]:
    return services.run()
