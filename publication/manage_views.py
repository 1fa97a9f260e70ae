"""The logged-in side of publication: a body's publication settings, and publishing an
agenda at once. Both are the body's secretary's (`publication.change`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.permissions import permission_required
from core.responses import render_form
from meetings.models import Meeting
from organisation.models import Body
from publication import published, services
from publication.forms import BodyPublicationForm


def _body(pk: int) -> Body:
    return get_object_or_404(Body.objects.all(), pk=pk)


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("body__publication", "publication"), pk=pk
    )


@permission_required("publication.change", lookup=_body)
def body_settings(request: HttpRequest, body: Body) -> HttpResponse:
    """Whether the body publishes, how many days before the meeting, and whether a closed
    item shows its reason."""
    form = BodyPublicationForm(request.POST or None, instance=services.settings_of(body))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The publication settings were saved."))
        return redirect("organisation:body_detail", pk=body.pk)
    return render_form(
        request,
        "publication/body_settings.html",
        {"body": body, "form": form, "municipality": request.municipality},
    )


@permission_required("publication.change", lookup=_meeting)
def publish_now(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """Publish the approved agenda at once (a confirmation, then POST)."""
    public = published.agenda_public(meeting)
    if request.method == "POST":
        try:
            services.publish_now(meeting, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return render(
                request,
                "publication/publish_now.html",
                {"meeting": meeting, "public": public, "refused": True},
                status=400,
            )
        messages.success(request, _("The agenda is published on the public pages."))
        return redirect("organisation:body_detail", pk=meeting.body_id)
    return render(
        request,
        "publication/publish_now.html",
        {
            "meeting": meeting,
            "public": public,
            "approved": meeting.state in published.AGENDA_APPROVED_STATES,
        },
    )
