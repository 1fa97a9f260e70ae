"""What notes add to the meeting page (`core.sections`, slot "meetings.item"): in the place of
each item the user may read, their own notes on the item and its attachments, with a form for
each. The page's notes are read once per request (one query for the whole agenda)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from core.permissions import has_perm
from meetings.models import AgendaItem, Attachment
from notes import services
from notes.forms import NoteForm
from notes.models import Note

_CACHE = "_digistyr_notes_of_meeting"


@dataclass
class Target:
    """An item or an attachment with the user's note on it and the form to write it."""

    kind: str  # "item" | "attachment"
    obj: AgendaItem | Attachment
    note: Note | None
    form: NoteForm
    saved: bool = False  # just saved: the form says so

    @property
    def dom_id(self) -> str:
        return f"note-{self.kind}-{self.obj.pk}"

    @property
    def url(self) -> str:
        name = "notes:item_note" if self.kind == "item" else "notes:attachment_note"
        return reverse(name, args=[self.obj.pk])

    @property
    def delete_url(self) -> str:
        return reverse("notes:note_delete", args=[self.note.pk]) if self.note else ""

    @property
    def label(self) -> str:
        if self.kind == "item":
            return _("My note on the item “%(title)s”") % {"title": self.obj.title}
        return _("My note on the attachment “%(title)s”") % {"title": self.obj.title}


def target(kind: str, obj, note: Note | None, data=None, saved: bool = False) -> Target:
    """The target with its form: bound to `data` (a post), else showing the note."""
    prefix = f"note-{kind}-{obj.pk}"
    if data is not None:
        form = NoteForm(data, auto_id=f"id_{prefix}-%s")
    else:
        form = NoteForm(initial={"text": note.text if note else ""}, auto_id=f"id_{prefix}-%s")
    return Target(kind, obj, note, form, saved)


def targets_of(user, item: AgendaItem, meeting, notes: dict) -> list[Target]:
    """The item and the attachments of it that the user may read, each with its note."""
    sees_closed = has_perm(user, "meetings.see_closed", meeting)
    found = [target("item", item, notes.get(("item", item.pk)))]
    for attachment in item.attachments.all():
        if attachment.closed and not sees_closed:
            continue
        found.append(target("attachment", attachment, notes.get(("attachment", attachment.pk))))
    return found


def item_notes(request, item: AgendaItem, meeting=None, **kwargs) -> dict:
    """The section's values for one item of the agenda: nothing for a break or an item the
    user may not read in full (the page places the slot where it shows the item in full)."""
    user = getattr(request, "user", None)
    meeting = meeting or item.meeting
    if item.is_break or not has_perm(user, "notes.own"):
        return {"show": False}
    cache = getattr(request, _CACHE, None)
    if cache is None:
        cache = {}
        setattr(request, _CACHE, cache)
    if meeting.pk not in cache:
        cache[meeting.pk] = services.notes_of_meeting(user, meeting.pk)
    targets = targets_of(user, item, meeting, cache[meeting.pk])
    return {
        "show": True,
        "targets": targets,
        "count": sum(1 for t in targets if t.note),
        "meeting": meeting,
    }
