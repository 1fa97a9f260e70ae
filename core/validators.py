"""Validators shared by the apps' models.

The plausible years: every date and year a user or the API sets (a meeting, a status report's
period, a project's start and end, a milestone, a benefit's measurement, a plan, a strategy's
period …) lies in the years `FIRST_YEAR`–`LAST_YEAR`. History back to 2000 may be imported; a
typo like 20244-05-15, 2500 for 2025 or 1900 for an empty date is refused with a message
naming the field, instead of being stored and breaking the date arithmetic of due dates. The
model fields carry the bound (`core.fields.PlausibleDateField`, `PlausibleYearField`), so the
pages' forms (`full_clean`), the services and the API's serializers all refuse the same.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop

FIRST_YEAR = 2000
LAST_YEAR = 2100
FIRST_DAY = datetime.date(FIRST_YEAR, 1, 1)
LAST_DAY = datetime.date(LAST_YEAR, 12, 31)


class _Plausible:
    """A bound on a date or a year; the message names the field when given its label."""

    code = ""
    named = ""
    unnamed = ""

    def __init__(self, field=None):
        self.field = field  # the field's label (lazy), or None

    def in_bounds(self, value) -> bool:
        raise NotImplementedError

    def __call__(self, value):
        if value is None or self.in_bounds(value):
            return
        bounds = {"first": FIRST_YEAR, "last": LAST_YEAR}
        if self.field:
            message = gettext(self.named) % {"field": capfirst(str(self.field)), **bounds}
        else:
            message = gettext(self.unnamed) % bounds
        raise ValidationError(message, code=self.code)

    def __eq__(self, other):
        return type(other) is type(self) and str(other.field or "") == str(self.field or "")

    def __hash__(self):
        return hash((type(self), str(self.field or "")))


@deconstructible
class PlausibleDate(_Plausible):
    """A date in the years FIRST_YEAR–LAST_YEAR."""

    code = "implausible_date"
    named = gettext_noop("%(field)s: give a date in the years %(first)d–%(last)d.")
    unnamed = gettext_noop("Give a date in the years %(first)d–%(last)d.")

    def in_bounds(self, value) -> bool:
        if isinstance(value, datetime.datetime):
            value = value.date()
        return FIRST_DAY <= value <= LAST_DAY


@deconstructible
class PlausibleYear(_Plausible):
    """A year from FIRST_YEAR to LAST_YEAR."""

    code = "implausible_year"
    named = gettext_noop("%(field)s: give a year from %(first)d to %(last)d.")
    unnamed = gettext_noop("Give a year from %(first)d to %(last)d.")

    def in_bounds(self, value) -> bool:
        return FIRST_YEAR <= value <= LAST_YEAR


# Named by the migrations that added it to the fields before `core.fields` carried the bound.
plausible_date = PlausibleDate()
