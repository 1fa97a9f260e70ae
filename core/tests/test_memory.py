"""core.memory: a warm process freezes what it holds for the garbage collector, once."""

import gc

from django.core.signals import request_finished

from core import memory


def test_a_process_freezes_once_after_its_first_requests(settings):
    settings.DIGISTYR_GC_FREEZE_AFTER = 3
    memory.reset()
    try:
        for _ in range(2):
            request_finished.send(sender=None)
        assert gc.get_freeze_count() == 0
        request_finished.send(sender=None)  # the third: collected and frozen
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # Django and the apps, at least
        kept = [object() for _ in range(1000)]  # what later requests make is not frozen
        request_finished.send(sender=None)
        assert gc.get_freeze_count() == frozen and kept
    finally:
        memory.reset()
    assert gc.get_freeze_count() == 0


def test_zero_never_freezes(settings):
    settings.DIGISTYR_GC_FREEZE_AFTER = 0
    memory.reset()
    for _ in range(5):
        request_finished.send(sender=None)
    assert gc.get_freeze_count() == 0
