"""Views of the meetings app: the agenda and minutes as PDF and DOCX, the invitation, and the
calendar subscriptions (secret-token feeds of a body's meetings or of a person's slots)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scope, scopes_disabled

from core.auth import person_of
from core.permissions import has_perm, permission_required
from documents.http import DOCX, ICS, PDF, download
from meetings import documents, ical, services
from meetings.models import CalendarFeed, Meeting
from meetings.proceedings import services as proceedings
from meetings.rules import is_admin, member_body_ids
from organisation.models import Body, Person


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("body"), pk=pk)


def _document(request, meeting: Meeting, minutes: bool, extension: str):
    """The agenda (or minutes) of a meeting whose agenda (or decisions) the user may read,
    declared by the view. The public variant is shown on request, and always to those who
    may not see closed items: the internal one is only for them."""
    public = request.GET.get("udgave") == "offentlig" or not has_perm(
        request.user, "meetings.see_closed", meeting
    )
    if extension == "pdf":
        render_document = documents.minutes_pdf if minutes else documents.agenda_pdf
        content_type = PDF
    else:
        render_document = documents.minutes_docx if minutes else documents.agenda_docx
        content_type = DOCX
    # A member disqualified from an item (inhabil) gets its closed content left out.
    withheld = frozenset() if public else proceedings.disqualified_items(request.user, meeting)
    return download(
        render_document(meeting, public=public, withheld=withheld),
        content_type,
        documents.filename(meeting, minutes, public, extension),
    )


@permission_required("meetings.see_agenda", lookup=_meeting, hide=True)
def agenda_pdf(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    return _document(request, meeting, minutes=False, extension="pdf")


@permission_required("meetings.see_agenda", lookup=_meeting, hide=True)
def agenda_docx(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    return _document(request, meeting, minutes=False, extension="docx")


@permission_required("meetings.see_decisions", lookup=_meeting, hide=True)
def minutes_pdf(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    return _document(request, meeting, minutes=True, extension="pdf")


@permission_required("meetings.see_decisions", lookup=_meeting, hide=True)
def minutes_docx(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    return _document(request, meeting, minutes=True, extension="docx")


@permission_required("meetings.see_agenda", lookup=_meeting, hide=True)
def meeting_ics(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    return download(ical.invitation(meeting), ICS, f"moede-{meeting.date:%Y-%m-%d}.ics")


# --- Calendar subscriptions ---------------------------------------------------------------------


def _feed_urls(request: HttpRequest, url_name: str, feed: CalendarFeed | None) -> dict | None:
    if feed is None:
        return None
    url = request.build_absolute_uri(reverse(url_name, kwargs={"token": feed.token}))
    return {"https": url, "webcal": "webcal://" + url.split("://", 1)[1], "feed": feed}


@permission_required("core.view")
def calendar_links(request: HttpRequest) -> HttpResponse:
    """The user's subscription addresses: their own person and the bodies they sit in."""
    user = request.user
    person = person_of(user)
    person_feed = CalendarFeed.objects.filter(person=person).first() if person else None
    bodies = Body.objects.select_related("calendar_feed")
    if not is_admin(user):
        bodies = bodies.filter(pk__in=member_body_ids(user))
    rows = []
    for body in bodies:
        feed = getattr(body, "calendar_feed", None)
        rows.append(
            {
                "body": body,
                "urls": _feed_urls(request, "meetings:feed_body", feed),
                "can_renew": has_perm(user, "meetings.edit", body),
            }
        )
    return render(
        request,
        "meetings/calendar_links.html",
        {
            "person": person,
            "person_urls": _feed_urls(request, "meetings:feed_person", person_feed),
            "rows": rows,
        },
    )


@require_POST
@permission_required("core.view")
def calendar_token(request: HttpRequest) -> HttpResponse:
    """Create or renew a feed's secret token; the old address stops working at once. Who may
    depends on the posted target: a person's own feed (or an administrator), a body's feed
    for those who plan its meetings (`meetings.edit`)."""
    kind = request.POST.get("kind")
    try:
        pk = int(request.POST.get("id", ""))
    except ValueError:
        pk = None
    if kind not in {"body", "person"} or pk is None:
        return HttpResponseBadRequest(_("Choose a body or a person."))
    user = request.user
    if kind == "person":
        target = get_object_or_404(Person, pk=pk)
        if target.user_id != user.pk and not is_admin(user):
            raise PermissionDenied
    else:
        target = get_object_or_404(Body, pk=pk)
        if not has_perm(user, "meetings.edit", target):
            raise PermissionDenied
    if services.renew_calendar_feed(target):
        messages.success(
            request, _("A calendar address for %(name)s was created.") % {"name": target.name}
        )
    else:
        messages.success(
            request,
            _("The calendar address for %(name)s was renewed. The old address no longer works.")
            % {"name": target.name},
        )
    return redirect("meetings:calendar_links")


def _feed(token: str, kind: str) -> HttpResponse:
    with scopes_disabled():
        feed = (
            CalendarFeed.objects.filter(token=token, **{f"{kind}__isnull": False})
            .select_related(kind)
            .first()
        )
    if feed is None:
        raise Http404
    with scope(municipality=feed.municipality_id):
        content = ical.body_feed(feed.body) if kind == "body" else ical.person_feed(feed.person)
    response = HttpResponse(content, content_type=ICS)
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_not_required
def feed_body(request: HttpRequest, token: str) -> HttpResponse:
    return _feed(token, "body")


@login_not_required
def feed_person(request: HttpRequest, token: str) -> HttpResponse:
    return _feed(token, "person")
