"""What each user wants to be reminded of, and how (`ReminderSetting`).

A reminder (a follow-up due, a status report late …) is not a row: it is computed on each
pass of the scheduler from the governed data (`reminders.services`), and the mail it gives
is a row of the outbox (`core.models.OutgoingMail`) under a key that says what and when, so
it is sent once. What is stored here is only the user's choice per kind of reminder.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    """The kinds a user chooses for; each covers "due soon" and "overdue" of its thing."""

    FOLLOW_UPS = "follow_ups", _("Follow-ups due and overdue")
    STATUS_REPORTS = "status_reports", _("Status reports due and late")
    MEASUREMENTS = "measurements", _("Benefit measurements due")
    MINUTES = "minutes", _("Minutes awaiting your approval")
    AGENDAS = "agendas", _("Agendas not approved before the meeting")
    SYSTEM_DUTIES = "system_duties", _("Duties of the IT systems you own")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("At once")
    WEEKLY = "weekly", _("Weekly digest")
    NONE = "none", _("No reminders")


class ReminderSetting(models.Model):
    """A user's choice for one kind of reminder; without a row the kind comes at once.

    Not governed data (a personal preference, like the language): no history is kept. Not a
    tenant model either: it belongs to the login, and the login to its municipality.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reminder_settings",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )

    class Meta:
        verbose_name = _("reminder setting")
        verbose_name_plural = _("reminder settings")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="reminder_setting_once")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} – {self.get_delivery_display()}"


class DigestWeek(models.Model):
    """The weekly digests of one ISO week were queued (installation-wide): the digest goes
    out on the first pass on or after Monday 07:00, and only on that pass, so a user whose
    list was empty on Monday gets no digest in the middle of the week."""

    week = models.CharField(_("week"), max_length=8, unique=True)  # "2026-W50"
    done_at = models.DateTimeField(_("done"), auto_now_add=True)

    class Meta:
        verbose_name = _("weekly digest")
        verbose_name_plural = _("weekly digests")

    def __str__(self) -> str:
        return self.week
