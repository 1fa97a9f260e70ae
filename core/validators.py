"""Validators shared by the apps' models."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2999, 12, 31)


@deconstructible
class PlausibleDate:
    """A date a municipality can mean: 1900–2999. A typo like 20244-05-15 or 9999-12-31 is
    refused with a clear message rather than breaking the date arithmetic of due dates."""

    message = _("Give a date between 1900 and 2999.")

    def __call__(self, value):
        if value is not None and not FIRST_DAY <= value <= LAST_DAY:
            raise ValidationError(self.message, code="implausible_date")

    def __eq__(self, other):
        return isinstance(other, PlausibleDate)


plausible_date = PlausibleDate()
