"""core.memory: a warm process freezes what it holds for the garbage collector, once."""

import gc

from django.core.signals import request_finished

from core import memory


def test_it_listens_for_the_end_of_every_request():
    assert any(
        receiver() is memory.freeze_when_warm
        for _key, receiver, *_rest in request_finished.receivers
    )


def test_a_process_freezes_once_after_its_first_requests(settings):
    settings.DIGISTYR_GC_FREEZE_AFTER = 3
    memory.reset()
    try:
        for _ in range(2):
            memory.freeze_when_warm()
        assert gc.get_freeze_count() == 0
        memory.freeze_when_warm()  # the third: collected and frozen
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # Django and the apps, at least
        kept = [object() for _ in range(1000)]  # what later requests make is not frozen
        memory.freeze_when_warm()
        assert gc.get_freeze_count() == frozen and kept
    finally:
        memory.reset()
    assert gc.get_freeze_count() == 0


def test_zero_never_freezes(settings):
    settings.DIGISTYR_GC_FREEZE_AFTER = 0
    memory.reset()
    for _ in range(5):
        memory.freeze_when_warm()
    assert gc.get_freeze_count() == 0
