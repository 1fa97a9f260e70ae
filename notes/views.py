"""Views of private notes: "Mine noter", the note of an item or an attachment (in place on the
meeting page with htmx, or on a page of its own), deleting a note, and the agenda with the
user's notes as PDF.

Every view declares `notes.own`. An item, attachment or meeting the user may not read answers
404, as if it did not exist; a note of someone else answers 404 as well.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import has_perm, permission_required
from core.responses import invalid_status
from documents.http import PDF, download
from meetings.models import AgendaItem, Meeting
from meetings.rules import published_agendas
from notes import documents, services
from notes.models import Note
from notes.sections import Target, target, targets_of


@permission_required("notes.own")
def my_notes(request: HttpRequest) -> HttpResponse:
    """“Mine noter”: every note of the user, by meeting."""
    return render(request, "notes/mine.html", {"groups": services.notes_by_meeting(request.user)})


def _item_url(item: AgendaItem) -> str:
    return reverse("meetings:meeting_detail", args=[item.meeting_id]) + f"#item-{item.pk}"


def _answer(request: HttpRequest, found: Target, item: AgendaItem, status: int = 200):
    """The form of one note: in place (htmx), else the note's page."""
    if request.htmx:
        return render(
            request, "notes/_note_form.html", {"target": found, "swapped": True}, status=status
        )
    notes = services.notes_of_meeting(request.user, item.meeting_id)
    targets = [
        found if t.kind == found.kind and t.obj.pk == found.obj.pk else t
        for t in targets_of(request.user, item, item.meeting, notes)
    ]
    return render(
        request,
        "notes/note_page.html",
        {"item": item, "meeting": item.meeting, "targets": targets, "back": _item_url(item)},
        status=status,
    )


def _note_view(request: HttpRequest, kind: str, obj, item: AgendaItem) -> HttpResponse:
    note = services.note_on(request.user, obj)
    if request.method != "POST":
        return _answer(request, target(kind, obj, note), item)
    found = target(kind, obj, note, data=request.POST)
    if not found.form.is_valid():
        return _answer(request, found, item, status=invalid_status(request))
    try:
        note = services.save_note(request.user, obj, found.form.cleaned_data["text"])
    except Note.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:  # pragma: no cover - the form checked the same
        found.form.add_error("text", error)
        return _answer(request, found, item, status=invalid_status(request))
    messages.success(request, _("Your note is saved. Only you can see it."))
    if request.htmx:
        return _answer(request, target(kind, obj, note, saved=True), item)
    return redirect(_item_url(item))


@permission_required("notes.own")
def item_note(request: HttpRequest, pk: int) -> HttpResponse:
    """The user's note on an item they may read (else 404)."""
    item = get_object_or_404(
        services.readable_items(request.user).select_related("meeting__body"), pk=pk
    )
    return _note_view(request, "item", item, item)


@permission_required("notes.own")
def attachment_note(request: HttpRequest, pk: int) -> HttpResponse:
    """The user's note on an attachment they may read (else 404)."""
    attachment = get_object_or_404(
        services.readable_attachments(request.user).select_related("item__meeting__body"),
        pk=pk,
    )
    return _note_view(request, "attachment", attachment, attachment.item)


def _note(pk: int) -> Note:
    return get_object_or_404(
        Note.objects.select_related("item__meeting", "attachment__item__meeting"), pk=pk
    )


@require_POST
@permission_required("notes.own", lookup=_note, hide=True)
def note_delete(request: HttpRequest, note: Note) -> HttpResponse:
    """Delete the user's own note; someone else's is 404."""
    item = note.agenda_item
    kind, obj = ("item", note.item) if note.item_id else ("attachment", note.attachment)
    services.delete_note(request.user, note)
    messages.success(request, _("Your note is deleted."))
    if request.htmx:
        return render(
            request, "notes/_note_form.html", {"target": target(kind, obj, None), "swapped": True}
        )
    if request.POST.get("next") == "mine":
        return redirect("notes:mine")
    return redirect(_item_url(item))


@permission_required("notes.own")
def meeting_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The agenda of a meeting the user may read, with the user's notes, as PDF."""
    meeting = get_object_or_404(
        Meeting.objects.filter(published_agendas(request.user)).select_related(
            "body", "municipality"
        ),
        pk=pk,
    )
    sees_closed = has_perm(request.user, "meetings.see_closed", meeting)
    content = documents.agenda_with_notes_pdf(meeting, request.user, sees_closed)
    return download(content, PDF, documents.filename(meeting))
