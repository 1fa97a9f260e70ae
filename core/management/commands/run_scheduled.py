"""`manage.py run_scheduled`: the scheduled work, once, or every `--every` seconds.

One scheduler for everything that happens without a user: the jobs that wait in the database
go on the queue, jobs whose worker was lost run again, every app's scheduled work runs
(`core.jobs.scheduled`: reminders, publication), and last the mail that waits is sent. A
system timer runs it every few minutes (README, Running in production), or the compose
file's scheduler service runs it with `--every 300`. Two schedulers at once do no harm (the
jobs and the mail are locked row by row, and a mail's key is sent once), but a pass that
starts while another runs is skipped.
"""

import time

from django.core.cache import cache
from django.core.management.base import BaseCommand

from core import jobs, mail

LOCK = "digistyr:run_scheduled"


class Command(BaseCommand):
    help = "Run the scheduled work: jobs left waiting, reminders, publication, mail."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, default=0, help="Repeat every N seconds (0: run once)."
        )

    def handle(self, *args, every: int = 0, **options):
        while True:
            self.run_once()
            if not every:
                return
            time.sleep(every)

    def run_once(self) -> dict[str, object]:
        try:
            free = cache.add(LOCK, 1, timeout=1800)
        except Exception as error:  # the cache (Redis) is down: run unlocked, rows are locked
            self.stderr.write(f"lock: {type(error).__name__}: {error}")
            free = True
        if not free:
            self.stdout.write("Another pass is running; skipped.")
            return {}
        try:
            done: dict[str, object] = {
                "jobs.waiting": jobs.requeue_waiting(),
                "jobs.stalled": jobs.requeue_stalled(),
            }
            for name, function in jobs.SCHEDULED.items():
                try:
                    done[name] = function()
                except Exception as error:  # one failing part must not stop the others
                    self.stderr.write(f"{name}: {type(error).__name__}: {error}")
                    done[name] = "failed"
            done["mail"] = mail.send_pending()
        finally:
            try:
                cache.delete(LOCK)
            except Exception:  # noqa: S110 — the lock expires by itself
                pass
        self.stdout.write("; ".join(f"{name}: {value}" for name, value in done.items()))
        return done
