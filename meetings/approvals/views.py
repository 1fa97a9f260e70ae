"""Pages of the approval of the minutes by every participant: the approval page (which
replaces the signature sheet), the participant's approval and remark, and the secretary's and
the chair's steps (send for approval, withdraw, close after the deadline).

Each view declares its permission (`meetings.rules`); the rules of the steps live in
`meetings.approvals.services`, which refuses in Danish and writes nothing. Without
JavaScript every step is a form of its own (GET shows it, POST takes it).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.auth import person_of
from core.forms import add_validation_errors
from core.permissions import has_perm, permission_required
from core.responses import render_form
from meetings import services as meeting_services
from meetings.approvals import services
from meetings.approvals.forms import RemarkForm
from meetings.models import Meeting, MeetingState


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("body", "approval_closed_by", "minutes_approved_by"),
        pk=pk,
    )


def panel(request: HttpRequest, meeting: Meeting) -> dict:
    """What the meeting's page shows of the approval (`approvals/panel.html`): nothing for a
    body whose chair approves alone (and no query then)."""
    if not meeting_services.by_participants(meeting) or meeting.state not in (
        services.OPEN_STATES | {MeetingState.MINUTES_APPROVED}
    ):
        return {"approval": None}
    user = request.user
    sheet = services.sheet(meeting)
    mine = sheet.answer_of(person_of(user))
    return {
        "approval": sheet,
        "my_answer": mine,
        "may_answer": sheet.open and mine is not None and mine.required,
        "sees_remarks": has_perm(user, "meetings.see_closed", meeting),
        "edits_approval": has_perm(user, "meetings.edit", meeting),
        "closes_approval": has_perm(user, "meetings.approve", meeting),
    }


@permission_required("meetings.see_approvals", lookup=_meeting, hide=True)
def approval_sheet(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """Who approved the minutes when, who remarked (to the body's members), who is missing."""
    context = panel(request, meeting)
    context.update(
        meeting=meeting,
        sheet=context["approval"] or services.sheet(meeting),
        sees_remarks=has_perm(request.user, "meetings.see_closed", meeting),
        approved_by=services.user_label(meeting.minutes_approved_by),
    )
    return render(request, "meetings/approvals/sheet.html", context)


def _step(request, meeting, step: str, action, success) -> HttpResponse:
    """A step on the approval: GET asks, POST takes it (or says why not) and goes back."""
    if request.method != "POST":
        return render(
            request,
            "meetings/approvals/confirm.html",
            {"meeting": meeting, "step": step, "sheet": services.sheet(meeting)},
        )
    try:
        result = action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect("meetings:meeting_detail", pk=meeting.pk)


@permission_required("meetings.answer_minutes", lookup=_meeting, hide=True)
def approve(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """“Godkend referat”: one click, with the time."""
    return _step(
        request,
        meeting,
        "approve",
        lambda: services.approve(meeting, request.user),
        lambda version: (
            _("You approved the minutes. They were the last approval: the minutes are approved.")
            if version is not None
            else _("You approved the minutes.")
        ),
    )


@permission_required("meetings.answer_minutes", lookup=_meeting, hide=True)
def remark(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """A remark on the minutes instead of an approval, for the secretary."""
    answer = services.sheet(meeting).answer_of(person_of(request.user))
    form = RemarkForm(request.POST or None, initial={"comment": answer.comment if answer else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.remark(meeting, request.user, form.cleaned_data["comment"])
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Your remark on the minutes was sent to the secretary."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render_form(
        request, "meetings/approvals/remark.html", {"meeting": meeting, "form": form}
    )


@permission_required("meetings.edit", lookup=_meeting)
def circulate(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """The secretary sends the minutes for the participants' approval."""
    return _step(
        request,
        meeting,
        "circulate",
        lambda: services.circulate(meeting, request.user),
        _("The minutes were sent for approval. Each participant present approves them."),
    )


@permission_required("meetings.edit", lookup=_meeting)
def withdraw(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """The secretary takes the minutes back from approval to change them."""
    return _step(
        request,
        meeting,
        "withdraw",
        lambda: services.withdraw(meeting, request.user),
        _("The minutes were withdrawn from approval. Send them again when they are corrected."),
    )


@permission_required("meetings.approve", lookup=_meeting)
def close(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """After the deadline the chair closes the approval: the minutes are approved."""
    return _step(
        request,
        meeting,
        "close",
        lambda: services.close(meeting, request.user),
        lambda version: (
            _(
                "The approval was closed after the deadline. Version %(number)d of the minutes "
                "is approved and locked."
            )
            % {"number": version.number}
        ),
    )
