"""Every save and delete of an indexed model writes its search entries (`search.services`).
Bulk writes (`bulk_create`, `update`) send no signal: the demo loader and the benchmark's
generator rebuild the index afterwards (`services.rebuild`)."""

from django.db.models.signals import post_delete, post_save


def _saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: rebuild_search_index afterwards
        return
    from search import services

    services.index(instance)


def _deleted(sender, instance, **kwargs):
    from search import services

    services.unindex(instance)


def connect() -> None:
    from search.services import SOURCES

    for source in SOURCES:
        uid = f"search-{source.model._meta.label_lower}"
        post_save.connect(_saved, sender=source.model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=source.model, dispatch_uid=uid)
