"""History pages: each django-simple-history record with what it changed against the record
before it, the values written as the pages write them. Shared by the project's, the action
plan's and the benefit's history pages, and by the one history page of every other governed
object (`register`, `Kind`; the page is `core.views.history`)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from core.charts import format_number


def display(field, value, names: dict) -> str:
    """A field's value as the page shows it; a related row by its name in `names`
    ({(model, id): name}), else its id."""
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return names.get((field.related_model, value), str(value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return f"{value:%d-%m-%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d-%m-%Y}"
    if isinstance(value, Decimal):
        return format_number(value)
    return str(value)


def history_entries(
    model,
    records,
    label: Callable,
    names: dict,
    *,
    excluded: list[str],
    extra: Callable | None = None,
) -> list[dict]:
    """[{record, label, changes, ...}] of `records` (newest first, of one or more rows of
    `model`), each with its field changes against the row's record before it in the list.

    `extra(record, previous, changes)` adds keys to the entry, or answers None to leave the
    record out."""
    entries = []
    by_object: dict[int, list] = {}
    for record in records:
        by_object.setdefault(record.id, []).append(record)
    for history in by_object.values():
        for index, record in enumerate(history):
            previous = history[index + 1] if index + 1 < len(history) else None
            changes = []
            if previous is not None:
                delta = record.diff_against(previous, excluded_fields=excluded)
                for change in delta.changes:
                    field = model._meta.get_field(change.field)
                    changes.append(
                        {
                            "field": field.verbose_name,
                            "old": display(field, change.old, names),
                            "new": display(field, change.new, names),
                        }
                    )
            more = extra(record, previous, changes) if extra else {}
            if more is None:
                continue
            entries.append({"record": record, "label": label(record), "changes": changes, **more})
    return entries


def records(manager) -> list:
    """The history records of `manager` (e.g. `Model.history.filter(...)`), newest first,
    with the user who made each."""
    return list(manager.select_related("history_user").order_by("-history_date", "-history_id"))


def newest_first(entries: list[dict]) -> list[dict]:
    """Entries of several models' records in one list, newest first."""
    entries.sort(key=lambda e: (e["record"].history_date, e["record"].history_id), reverse=True)
    return entries


# --- The history page of every governed object ------------------------------------------------
#
# Each app registers its kinds from its own `history.py` (found by CoreConfig.ready), so that
# the one page in core never imports an app above it:
#
#     # meetings/history.py
#     history.register("sag", history.Kind(Case, lookup=_case, parts=_route))
#
# The page is `organisation:history` (historik/<kind>/<pk>/): a kind it does not know, an object
# of another municipality (django-scopes) or one the user may not read is 404.


@dataclass(frozen=True)
class Reading:
    """What one user may read of an object's history: `excluded` fields are left out of the
    changes, and a record for which `hidden(record, previous)` is true is listed (who, when)
    without its changes, with `note` saying why."""

    excluded: tuple[str, ...] = ()
    hidden: Callable[[Any, Any], bool] | None = None
    note: str = ""


@dataclass(frozen=True)
class Part:
    """The history of rows that belong to the object (a case's route steps): `records`, a
    queryset of historical records; `label(record, names)` names each."""

    model: type[models.Model]
    records: Any
    label: Callable[[Any, dict], str]
    excluded: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kind:
    """How the history page finds and shows one kind of governed object.

    - `lookup(pk)`: the object, 404 when missing or of another municipality (the scope);
    - `permission`: asked about `about(obj)` (the object itself by default); refused is 404,
      for what the user may not know exists;
    - `excluded`: fields never shown (besides `municipality`);
    - `reading(user, obj)`: what this user may read of it (`Reading`), for closed content;
    - `parts(obj)`: the histories of its rows shown with it (`Part`);
    - `url(obj)`: the object's own page, linked from the history."""

    model: type[models.Model]
    lookup: Callable[[int], Any]
    url: Callable[[Any], str]
    permission: str = "core.view"
    about: Callable[[Any], Any] | None = None
    excluded: tuple[str, ...] = ()
    reading: Callable[[Any, Any], Reading] | None = None
    parts: Callable[[Any], list[Part]] | None = None


ALWAYS_EXCLUDED = ("municipality",)
_KINDS: dict[str, Kind] = {}


def register(slug: str, kind: Kind) -> None:
    """Give the history page a kind of object under `slug` (historik/<slug>/<pk>/)."""
    _KINDS[slug] = kind


def kind(slug: str) -> Kind | None:
    return _KINDS.get(slug)


def kinds() -> dict[str, Kind]:
    return dict(_KINDS)


def names_of(parts: list[tuple[type[models.Model], list, tuple[str, ...]]]) -> dict:
    """{(model, id): name} of every row the records of `parts` ((model, records, excluded))
    point at: one query per related model, however many records name it. Users by their
    full name."""
    from django.contrib.auth import get_user_model

    wanted: dict[type[models.Model], set] = {}
    for model, found, excluded in parts:
        for field in model._meta.concrete_fields:
            related = field.related_model
            if related is None or field.name in excluded or field.name in ALWAYS_EXCLUDED:
                continue
            ids = wanted.setdefault(related, set())
            ids.update(getattr(record, field.attname) for record in found)
    user_model = get_user_model()
    names: dict = {}
    for related, ids in wanted.items():
        ids.discard(None)
        if not ids:
            continue
        if related is user_model:
            for user in related._default_manager.filter(pk__in=ids):
                names[(related, user.pk)] = user.get_full_name() or user.get_username()
            continue
        # What the row's name reads (a meeting is named by its body): joined, not queried.
        joined = [
            f.name
            for f in related._meta.concrete_fields
            if f.many_to_one and not f.null and f.name not in ALWAYS_EXCLUDED
        ]
        for row in related._default_manager.filter(pk__in=ids).select_related(*joined):
            names[(related, row.pk)] = str(row)
    return names
