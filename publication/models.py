"""What a municipality publishes to its citizens, without a login (the public pages, OParl).

A body publishes when its `BodyPublication.publishes` is set: the open agenda of each of its
meetings from `days_before` days before the meeting (at once when the secretary publishes it
by hand: `MeetingPublication`), and the minutes once they are approved. What is public is
decided in one place, `publication.published`; the public pages and OParl read only that.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TenantModel
from meetings.models import Meeting
from organisation.models import Body

MAX_DAYS_BEFORE = 60


class BodyPublication(TenantModel):
    """Whether and how a body publishes its meetings to the public."""

    tenant_parent = "body"

    body = models.OneToOneField(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="publication"
    )
    publishes = models.BooleanField(
        _("publishes its meetings"),
        default=False,
        help_text=_("The open agendas and the approved minutes are shown on the public pages."),
    )
    days_before = models.PositiveSmallIntegerField(
        _("days before the meeting"),
        default=4,
        validators=[MaxValueValidator(MAX_DAYS_BEFORE)],
        help_text=_("The approved agenda is published this many days before the meeting."),
    )
    show_closed_reason = models.BooleanField(
        _("show why an item is closed"),
        default=False,
        help_text=_("A closed item shows its title and “Lukket punkt”, and with this its reason."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publication of a body")
        verbose_name_plural = _("publications of bodies")

    def __str__(self) -> str:
        return str(self.body)


class MeetingPublication(TenantModel):
    """An agenda the secretary published by hand, before the body's days before the meeting."""

    tenant_parent = "meeting"

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="publication"
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publication of an agenda")
        verbose_name_plural = _("publications of agendas")

    def __str__(self) -> str:
        return str(self.meeting)
