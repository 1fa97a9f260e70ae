"""Python's garbage collector in a long-running worker.

A full collection walks every object the process holds: in a worker that has served every
page (Django, the URL patterns, the compiled templates, the translations: some 240,000
objects) it takes 100–160 ms, and it falls inside some request, whichever. `make bench` saw
it as the p95 of a 50 ms API list at 230–290 ms. After a worker's first requests have loaded
what it keeps for life, `freeze_when_warm` collects once and moves everything it holds to
the collector's permanent generation (`gc.freeze()`): later collections walk only what
requests make, and the spikes are gone (the same list: p95 80–140 ms).

The freeze happens on `request_finished`, after the response has gone out, once per process,
after `DIGISTYR_GC_FREEZE_AFTER` requests (100; 0 turns it off). What is frozen is never
collected: the collection just before it frees the garbage of the first requests, and
gunicorn replaces a worker after `max_requests` anyway.
"""

import gc
import logging

from django.conf import settings
from django.core.signals import request_finished

log = logging.getLogger(__name__)

_served = 0
_frozen = False


def freeze() -> None:
    """Collect once, then move everything the process holds to the permanent generation."""
    gc.collect()
    gc.freeze()


def freeze_when_warm(sender=None, **kwargs) -> None:
    global _served, _frozen
    if _frozen:
        return
    after = settings.DIGISTYR_GC_FREEZE_AFTER
    if not after:
        return
    _served += 1
    if _served < after:
        return
    freeze()
    _frozen = True
    log.info(
        "Garbage collector: %s objects frozen after %s requests", gc.get_freeze_count(), _served
    )


def connect() -> None:
    request_finished.connect(freeze_when_warm, dispatch_uid="digistyr-gc-freeze")


def reset() -> None:
    """For the tests: count again from zero, nothing frozen."""
    global _served, _frozen
    _served, _frozen = 0, False
    gc.unfreeze()
