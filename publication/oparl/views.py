"""OParl 1.1: the published subset as the standard's JSON, read-only and without a login.

`/oparl/v1.1/` is the System; each municipality that publishes is one Body at
`/oparl/v1.1/<kommune>/`, with its lists (organizations, persons, memberships, meetings, agenda
items, papers, consultations, files, legislative terms) and objects below it. Every list is
paged by id (`page_after`) and takes `created_since`, `created_until`, `modified_since` and
`modified_until`. An object that is not published answers 404, the same as an unknown id.
"""

import datetime
import os
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.db.models import Max, Min, Prefetch
from django.http import FileResponse, Http404, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_scopes import scope

from meetings.models import ALLOWED_ATTACHMENT_EXTENSIONS
from meetings.uploads import extension
from publication import published
from publication.models import BodyPublication
from publication.oparl import objects, queries
from publication.oparl.objects import Urls

CONTENT_TYPE = "application/json; charset=utf-8"


def answer(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(
        data, status=status, content_type=CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )
    # OParl clients run in browsers too (the specification recommends CORS).
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=60"
    return response


def refuse(message: str, status: int) -> JsonResponse:
    """The specification's error object."""
    return answer({"type": objects.SCHEMA + "Error", "message": message}, status)


def oparl(view: Callable) -> Callable:
    """A public, read-only OParl view of one municipality: finds it by the address's slug (404
    unless it publishes something), activates its scope and answers bad filters with 400."""

    @login_not_required
    @require_safe
    @wraps(view)
    def wrapped(request, slug: str, **kwargs):
        try:
            municipality = published.municipality(slug)
            with scope(municipality=municipality.pk):
                if not queries.publishes_anything():
                    raise Http404
                return view(request, municipality, **kwargs)
        except queries.BadFilter as error:
            return refuse(bad_filter(error.args[0]), 400)
        except Http404:
            # The same answer for an unknown and an unpublished id.
            return refuse(_("There is no such object, or it is not published."), 404)

    return wrapped


def bad_filter(name: str) -> str:
    if name == "page_after":
        return _("page_after must be the id of the last object of the page before.")
    return _("The filter %(name)s is not a date and time such as %(example)s.") % {
        "name": name,
        "example": "2024-05-15T09:00:00+02:00",
    }


def _after(request) -> int | None:
    raw = request.GET.get("page_after")
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise queries.BadFilter("page_after") from None


def object_list(
    request, rows: list, more: bool, render: Callable, size: int | None = None
) -> JsonResponse:
    """A page of an external object list: `data`, `pagination` and `links` (`next` while more
    follow), keeping the filters."""
    base = request.build_absolute_uri(request.path)
    params = {k: v for k, v in request.GET.items() if k in queries.FILTERS}
    query = f"?{urlencode(params)}" if params else ""
    links = {"first": base + query, "self": request.build_absolute_uri()}
    if more and rows:
        links["next"] = f"{base}?{urlencode({**params, 'page_after': rows[-1].pk})}"
    return answer(
        {
            "data": [render(row) for row in rows],
            "pagination": {"elementsPerPage": size or queries.PAGE_SIZE},
            "links": links,
        }
    )


def _one(rows: list):
    if not rows:
        raise Http404
    return rows[0]


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


# --- System and bodies ------------------------------------------------------------------------


@login_not_required
@require_safe
def system(request):
    """The entry point: the OParl version and the list of bodies."""
    # The history of the bodies' publication settings is no tenant model: not scoped.
    history = BodyPublication.history.model.objects.aggregate(
        created=Min("history_date"), modified=Max("history_date")
    )
    now = timezone.now()
    return answer(
        objects.system(Urls(request), history["created"] or now, history["modified"] or now)
    )


@login_not_required
@require_safe
def body_list(request):
    """Every municipality that publishes, one Body each."""
    now = timezone.now()
    try:
        filters = queries.parse_filters(request.GET)
        after = _after(request)
    except queries.BadFilter as error:
        return refuse(bad_filter(error.args[0]), 400)
    rows, more = queries.page(queries.filtered(queries.municipalities(now), filters), after)
    today = timezone.localdate()
    return object_list(request, rows, more, lambda m: objects.body(Urls(request, m.slug), m, today))


@oparl
def body(request, municipality):
    now = timezone.now()
    row = queries.municipalities(now).get(pk=municipality.pk)
    return answer(objects.body(Urls(request, municipality.slug), row, timezone.localdate()))


# --- Legislative terms ------------------------------------------------------------------------


@oparl
def legislativeterm_list(request, municipality):
    filters = queries.parse_filters(request.GET)
    urls = Urls(request, municipality.slug)
    data = [objects.legislative_term(urls, t) for t in objects.terms(timezone.localdate())]

    def keep(term: dict) -> bool:
        stamp = datetime.datetime.fromisoformat(term["created"])
        return all(
            (stamp >= value) if name.endswith("since") else (stamp <= value)
            for name, value in filters.items()
        )

    return answer(
        {
            "data": [t for t in data if keep(t)],
            "pagination": {"elementsPerPage": queries.PAGE_SIZE},
            "links": {"first": request.build_absolute_uri(request.path)},
        }
    )


@oparl
def legislativeterm(request, municipality, pk):
    terms = {t[0]: t for t in objects.terms(timezone.localdate())}
    if pk not in terms:
        raise Http404
    return answer(objects.legislative_term(Urls(request, municipality.slug), terms[pk]))


# --- Organizations, persons, memberships -------------------------------------------------------


def _organizations(now):
    return queries.organizations(now).prefetch_related(
        Prefetch("memberships", queryset=queries.memberships(now).only("pk", "body_id"))
    )


@oparl
def organization_list(request, municipality):
    now = timezone.now()
    rows, more = queries.page(
        queries.filtered(_organizations(now), queries.parse_filters(request.GET)), _after(request)
    )
    urls = Urls(request, municipality.slug)
    return object_list(request, rows, more, lambda row: objects.organization(urls, row))


@oparl
def organization(request, municipality, pk):
    row = _one(list(_organizations(timezone.now()).filter(pk=_pk(pk))))
    return answer(objects.organization(Urls(request, municipality.slug), row))


def _persons(now):
    return queries.persons(now).prefetch_related(
        Prefetch("memberships", queryset=queries.memberships(now), to_attr="public_memberships")
    )


@oparl
def person_list(request, municipality):
    now = timezone.now()
    rows, more = queries.page(
        queries.filtered(_persons(now), queries.parse_filters(request.GET)), _after(request)
    )
    urls = Urls(request, municipality.slug)
    return object_list(request, rows, more, lambda row: objects.person(urls, row))


@oparl
def person(request, municipality, pk):
    row = _one(list(_persons(timezone.now()).filter(pk=_pk(pk))))
    return answer(objects.person(Urls(request, municipality.slug), row))


@oparl
def membership_list(request, municipality):
    now = timezone.now()
    rows, more = queries.page(
        queries.filtered(queries.memberships(now), queries.parse_filters(request.GET)),
        _after(request),
    )
    urls = Urls(request, municipality.slug)
    return object_list(request, rows, more, lambda row: objects.membership(urls, row))


@oparl
def membership(request, municipality, pk):
    row = _one(list(queries.memberships(timezone.now()).filter(pk=_pk(pk))))
    return answer(objects.membership(Urls(request, municipality.slug), row))


# --- Meetings and agenda items ----------------------------------------------------------------


def _items_of(now, meeting_ids) -> dict[int, list]:
    """All items of the meetings, each with its open attachments with a file (2 queries)."""
    return objects.by_meeting(queries.items_of(now, meeting_ids))


def _meetings_page(request, municipality, queryset):
    now = timezone.now()
    filters = queries.parse_filters(request.GET)
    size = queries.MEETING_PAGE_SIZE
    rows, more = queries.page(queries.filtered(queryset, filters, ""), _after(request), size)
    items = _items_of(now, [row.pk for row in rows])
    urls = Urls(request, municipality.slug)

    def render(row):
        modified = queries.modified_of(row, row.modified)
        return objects.meeting(urls, row, items.get(row.pk, []), modified)

    return object_list(request, rows, more, render, size)


@oparl
def meeting_list(request, municipality):
    return _meetings_page(request, municipality, queries.meetings(timezone.now()))


@oparl
def organization_meetings(request, municipality, pk):
    """The meetings of one organization (its `meeting` list)."""
    body = published.body(pk)
    return _meetings_page(request, municipality, queries.meetings(timezone.now()).filter(body=body))


@oparl
def meeting(request, municipality, pk):
    now = timezone.now()
    row = _one(list(queries.meetings(now).filter(pk=_pk(pk))))
    items = _items_of(now, [row.pk]).get(row.pk, [])
    modified = queries.modified_of(row, row.modified)
    return answer(objects.meeting(Urls(request, municipality.slug), row, items, modified))


def _render_items(request, municipality, now, rows: list) -> list[dict]:
    """Items (of `agenda_items`) with their clock times and numbers, which need all items of
    their meetings; each as modified as its meeting (the rows' `modified`)."""
    everything = _items_of(now, {row.meeting_id for row in rows})
    modified = {row.meeting_id: queries.modified_of(row.meeting, row.modified) for row in rows}
    urls = Urls(request, municipality.slug)
    wanted = {row.pk for row in rows}
    result = {}
    for meeting_id, items in everything.items():
        meeting = items[0].meeting
        timed = objects.timed_meeting(meeting, items)
        minutes = published.minutes_public(meeting)
        for item in items:
            if item.pk in wanted:
                item.meeting = meeting
                result[item.pk] = objects.agenda_item(
                    urls, item, *timed[item.pk], minutes=minutes, modified=modified[meeting_id]
                )
    return [result[row.pk] for row in rows]


@oparl
def agendaitem_list(request, municipality):
    now = timezone.now()
    filters = queries.parse_filters(request.GET)
    rows, more = queries.page(
        queries.filtered(queries.agenda_items(now), filters, "meeting__"), _after(request)
    )
    rendered = dict(
        zip([row.pk for row in rows], _render_items(request, municipality, now, rows), strict=True)
    )
    return object_list(request, rows, more, lambda row: rendered[row.pk])


@oparl
def agendaitem(request, municipality, pk):
    now = timezone.now()
    row = _one(list(queries.agenda_items(now).filter(pk=_pk(pk))))
    return answer(_render_items(request, municipality, now, [row])[0])


# --- Papers and consultations -----------------------------------------------------------------


def _item_modified(item):
    return queries.modified_of(item.meeting, item.modified)


def _papers(now):
    return queries.papers(now).prefetch_related(
        Prefetch("items", queryset=queries.consultations(now), to_attr="public_items")
    )


@oparl
def paper_list(request, municipality):
    now = timezone.now()
    rows, more = queries.page(
        queries.filtered(_papers(now), queries.parse_filters(request.GET)), _after(request)
    )
    urls = Urls(request, municipality.slug)
    return object_list(request, rows, more, lambda row: objects.paper(urls, row, _item_modified))


@oparl
def paper(request, municipality, pk):
    row = _one(list(_papers(timezone.now()).filter(pk=_pk(pk))))
    return answer(objects.paper(Urls(request, municipality.slug), row, _item_modified))


@oparl
def consultation_list(request, municipality):
    now = timezone.now()
    filters = queries.parse_filters(request.GET)
    rows, more = queries.page(
        queries.filtered(queries.consultations(now), filters, "meeting__"), _after(request)
    )
    urls = Urls(request, municipality.slug)
    return object_list(
        request, rows, more, lambda row: objects.consultation(urls, row, _item_modified(row))
    )


@oparl
def consultation(request, municipality, pk):
    row = _one(list(queries.consultations(timezone.now()).filter(pk=_pk(pk))))
    return answer(objects.consultation(Urls(request, municipality.slug), row, _item_modified(row)))


# --- Files ------------------------------------------------------------------------------------


def _file_modified(row):
    return queries.modified_of(row.item.meeting, row.modified)


def _render_file(urls, row):
    return objects.file(urls, row, row.item_id, row.item.meeting_id, _file_modified(row))


@oparl
def file_list(request, municipality):
    now = timezone.now()
    filters = queries.parse_filters(request.GET)
    rows, more = queries.page(
        queries.filtered(queries.files(now), filters, "item__meeting__"), _after(request)
    )
    urls = Urls(request, municipality.slug)
    return object_list(request, rows, more, lambda row: _render_file(urls, row))


@oparl
def file(request, municipality, pk):
    row = _one(list(queries.files(timezone.now()).filter(pk=_pk(pk))))
    return answer(_render_file(Urls(request, municipality.slug), row))


@oparl
def file_content(request, municipality, pk):
    """The file of an open attachment of a public meeting (`published.attachment`), or 404."""
    attachment = published.attachment(pk)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    name = os.path.basename(attachment.file.name)
    content_type = (
        attachment.content_type
        or ALLOWED_ATTACHMENT_EXTENSIONS.get(extension(name))
        or "application/octet-stream"
    )
    response = FileResponse(handle, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Access-Control-Allow-Origin"] = "*"
    return response
