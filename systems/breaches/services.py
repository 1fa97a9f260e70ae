"""Breaches (brud på persondatasikkerheden): recording, changing and closing one, the 72-hour
clock, and what of a breach a user may read.

Every write is atomic, validated by the model's `clean()` (a Danish `ValidationError` naming
the field) and recorded in the breach's history under the user who made it. The page views
and the API call the same functions.

A breach's title, dates, severity and state are open to everyone who reads the register;
its `Breach.CLOSED_FIELDS` only to the circle (`systems.read_breach`): `readable` answers
whether a user may read them, `withheld` blanks them on a copy for everyone else.
"""

import copy
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.permissions import has_perm
from systems.models import Breach


def _save(breach: Breach, user) -> Breach:
    breach.full_clean()
    if user is not None and getattr(user, "is_authenticated", False):
        breach._history_user = user
    breach.save()
    return breach


@transaction.atomic
def record(breach: Breach, user) -> Breach:
    """Record a new breach (unsaved `breach`), registered by `user`."""
    if breach.pk is not None:
        raise ValueError("record() takes a new breach")
    breach.registered_by = user if getattr(user, "is_authenticated", False) else None
    if breach.municipality_id is None and user is not None:
        breach.municipality_id = user.municipality_id
    return _save(breach, user)


@transaction.atomic
def change(breach: Breach, user, **values) -> Breach:
    """Change a recorded breach: `values` are field values to set (a form sets them on the
    instance before, and passes none)."""
    if breach.pk is None:
        raise ValueError("change() takes a recorded breach")
    for name, value in values.items():
        if name not in {f.name for f in Breach._meta.concrete_fields} or name in {
            "id",
            "municipality",
            "registered_by",
        }:
            raise ValidationError(_("%(field)s cannot be changed.") % {"field": name})
        setattr(breach, name, value)
    return _save(breach, user)


@transaction.atomic
def close(breach: Breach, user, closed_on: datetime.date, reason: str | None = None) -> Breach:
    """Close the breach on `closed_on`: not in the future, not before it was discovered. One
    never notified to Datatilsynet needs the reason why (`reason`, or the one it has)."""
    if breach.closed_on is not None:
        raise ValidationError(_("The breach is closed already."))
    errors = {}
    if closed_on > timezone.localdate():
        errors["closed_on"] = _("A breach cannot be closed in the future.")
    elif closed_on < timezone.localdate(breach.discovered_at):
        errors["closed_on"] = _("A breach cannot be closed before it was discovered.")
    if errors:
        raise ValidationError(errors)
    breach.closed_on = closed_on
    if reason is not None:
        breach.not_notified_reason = reason
    return _save(breach, user)


# --- What a user may read ---------------------------------------------------------------------


def readable(user, breach: Breach) -> bool:
    """Whether `user` reads the breach's closed content (`systems.read_breach`)."""
    return has_perm(user, "systems.read_breach", breach)


def withheld(breach: Breach) -> Breach:
    """A copy of the breach with its closed fields empty, for those outside the circle."""
    shown = copy.copy(breach)
    for name in Breach.CLOSED_FIELDS:
        field = Breach._meta.get_field(name)
        setattr(shown, name, [] if name == "personal_data" else (None if field.null else ""))
    return shown


# --- The 72-hour clock ------------------------------------------------------------------------


class State:
    OPEN = "open"
    NOTIFIED = "notified"
    NOTIFIED_LATE = "notified_late"
    CLOSED = "closed"


def state_label(breach: Breach) -> str:
    state = state_of(breach)
    return {
        State.OPEN: _("Open"),
        State.NOTIFIED: _("Notified in time"),
        State.NOTIFIED_LATE: _("Notified late"),
        State.CLOSED: _("Closed"),
    }[state]


def state_of(breach: Breach) -> str:
    if breach.closed_on is not None:
        return State.CLOSED
    if breach.notified_at is not None:
        return State.NOTIFIED_LATE if breach.notified_late else State.NOTIFIED
    return State.OPEN


@dataclass(frozen=True)
class Clock:
    """The 72-hour clock of an open, unnotified breach at `now`."""

    notify_by: datetime.datetime
    left: datetime.timedelta  # negative when overdue

    @property
    def overdue(self) -> bool:
        return self.left < datetime.timedelta(0)

    @property
    def text(self) -> str:
        """“31 hours 5 minutes left” or “Overdue by 3 hours 0 minutes”."""
        span = _span(abs(self.left))
        if self.overdue:
            return _("Overdue by %(span)s") % {"span": span}
        return _("%(span)s left") % {"span": span}

    @property
    def deadline_text(self) -> str:
        return _("Notify Datatilsynet by %(time)s") % {
            "time": f"{timezone.localtime(self.notify_by):%d-%m-%Y %H:%M}"
        }


def _span(delta: datetime.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    hours_text = ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    minutes_text = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    return f"{hours_text} {minutes_text}"


def clock(breach: Breach, now: datetime.datetime | None = None) -> Clock | None:
    """The clock of an open breach not yet notified; None for any other."""
    if breach.closed_on is not None or breach.notified_at is not None:
        return None
    now = now or timezone.now()
    return Clock(breach.notify_by, breach.notify_by - now)


@dataclass
class Row:
    """A breach as a list or a document shows it to one user."""

    breach: Breach
    state: str
    state_label: str
    clock: Clock | None
    readable: bool


def rows(user, breaches, now: datetime.datetime | None = None) -> list[Row]:
    """The breaches as `user` may read them, each with its state and clock; no query beyond
    the breaches' own (the permission asks the user's memberships once per request)."""
    now = now or timezone.now()
    found = []
    for breach in breaches:
        allowed = readable(user, breach)
        shown = breach if allowed else withheld(breach)
        found.append(Row(shown, state_of(breach), state_label(breach), clock(breach, now), allowed))
    return found
