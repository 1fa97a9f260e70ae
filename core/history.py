"""History pages: each django-simple-history record with what it changed against the record
before it, the values written as the pages write them. Shared by the project's, the action
plan's and the benefit's history pages."""

import datetime
from collections.abc import Callable
from decimal import Decimal

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
