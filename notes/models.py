"""Private notes: what a user writes for themselves on an agenda item or an attachment.

A note is its author's alone. Nobody else ever reads it: not the administrator, not the
secretary, not a superuser, not the API of another user, not the full export, not the search
and not the history. So, deliberately:

- no `HistoricalRecords` (history tables are read by administrators);
- no admin, no entry in the full export (`documents.exports`), no search entry, no serializer
  in any other app's API;
- every read goes through `Note.objects.of(user)`, the query form of the one rule
  `notes.own` (notes/rules.py), and the note is found by its author, never by its id alone.

A note hangs on the item (or the attachment), not on the agenda or the minutes, so it follows
its author from the agenda to the minutes of the same meeting. One note per author and item or
attachment: writing again changes it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from core.models import TenantModel
from meetings.models import AgendaItem, Attachment

# The longest note, in characters: about four pages of text.
MAX_LENGTH = 10_000


class NoteQuerySet(models.QuerySet):
    def of(self, user):
        """The notes `user` wrote, and no other: the only notes anyone is ever shown."""
        if not user or not user.is_authenticated or user.municipality_id is None:
            return self.none()
        return self.filter(author_id=user.pk, municipality_id=user.municipality_id)

    def of_meeting(self, meeting_id: int):
        """Notes on the items of a meeting and on their attachments."""
        return self.filter(
            Q(item__meeting_id=meeting_id) | Q(attachment__item__meeting_id=meeting_id)
        )


class Note(TenantModel):
    """A private note of a user on an agenda item or on an attachment (exactly one of them)."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    attachment = models.ForeignKey(
        Attachment,
        verbose_name=_("attachment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("note"), max_length=MAX_LENGTH)
    created = models.DateTimeField(_("written"), auto_now_add=True)
    updated = models.DateTimeField(_("changed"), auto_now=True)

    objects = ScopedManager(
        _manager_class=models.Manager.from_queryset(NoteQuerySet), municipality="municipality"
    )

    class Meta:
        verbose_name = _("private note")
        verbose_name_plural = _("private notes")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(item__isnull=False, attachment__isnull=True)
                    | Q(item__isnull=True, attachment__isnull=False)
                ),
                name="note_on_item_or_attachment",
            ),
            models.UniqueConstraint(fields=["author", "item"], name="note_unique_item"),
            models.UniqueConstraint(fields=["author", "attachment"], name="note_unique_attachment"),
        ]

    def __str__(self) -> str:
        return str(_("Private note"))

    @property
    def target(self):
        """The item or the attachment the note is on."""
        return self.item if self.item_id else self.attachment

    @property
    def agenda_item(self) -> AgendaItem:
        """The item the note is on, or the item of its attachment."""
        return self.item if self.item_id else self.attachment.item

    def save(self, *args, **kwargs):
        # The note belongs to the municipality of what it is on.
        self.municipality_id = self.target.municipality_id
        super().save(*args, **kwargs)
