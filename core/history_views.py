"""The history page of every governed object that has no history page of its own: who
changed what and when, the values written as the object's pages write them. The kinds come
from each app's `history.py` (`core.history.register`)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import capfirst

from core import history as machinery
from core.permissions import has_perm, permission_required


@permission_required("core.view")
def history(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """historik/<kind>/<pk>/: the object's changes and those of its parts, newest first."""
    found = machinery.kind(kind)
    if found is None:
        raise Http404
    obj = found.lookup(pk)
    about = found.about(obj) if found.about else obj
    if not has_perm(request.user, found.permission, about):
        raise Http404
    reading = found.reading(request.user, obj) if found.reading else machinery.Reading()
    own = machinery.records(obj.history.all())
    parts = [
        (part, machinery.records(part.records))
        for part in (found.parts(obj) if found.parts else [])
    ]
    excluded = [*machinery.ALWAYS_EXCLUDED, *found.excluded, *reading.excluded]
    names = machinery.names_of(
        [(found.model, own, tuple(excluded))]
        + [(part.model, rows, part.excluded) for part, rows in parts]
    )

    def extra(record, previous, changes):
        if reading.hidden and reading.hidden(record, previous):
            return {"changes": [], "hidden": reading.note}
        return {}

    label = capfirst(found.model._meta.verbose_name)
    entries = machinery.history_entries(
        found.model, own, lambda record: label, names, excluded=excluded, extra=extra
    )
    for part, rows in parts:
        entries += machinery.history_entries(
            part.model,
            rows,
            lambda record, part=part: part.label(record, names),
            names,
            excluded=[*machinery.ALWAYS_EXCLUDED, *part.excluded],
        )
    return render(
        request,
        "core/history.html",
        {
            "object": obj,
            "kind_name": label,
            "back": found.url(obj),
            "entries": machinery.newest_first(entries),
        },
    )
