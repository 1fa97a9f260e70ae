"""Model fields that carry the plausible years (`core.validators`).

A `PlausibleDateField` is a `DateField` and a `PlausibleYearField` a `PositiveSmallIntegerField`
whose validators include the bound, with the field's own label in the message ("Periode fra:
angiv en dato i årene 2000–2100."). Model validators run wherever the model is validated:
a model form (`full_clean`), a service (`full_clean` before `save`) and a model serializer
(DRF copies a model field's validators to the serializer field), so the pages and the API
refuse the same dates.

In the migrations they are the plain fields they extend (`deconstruct`): the bound is no
property of the column, and a changed field class would make SQLite rebuild every table that
has one. Changing the bound needs no migration.
"""

from django.db import models
from django.utils.functional import cached_property

from core.validators import PlausibleDate, PlausibleYear


class PlausibleDateField(models.DateField):
    """A date in the years `core.validators.FIRST_YEAR`–`LAST_YEAR`."""

    @cached_property
    def validators(self):
        return [*super().validators, PlausibleDate(self.verbose_name)]

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateField", args, kwargs


class PlausibleYearField(models.PositiveSmallIntegerField):
    """A year from `core.validators.FIRST_YEAR` to `LAST_YEAR`."""

    @cached_property
    def validators(self):
        return [*super().validators, PlausibleYear(self.verbose_name)]

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.PositiveSmallIntegerField", args, kwargs
