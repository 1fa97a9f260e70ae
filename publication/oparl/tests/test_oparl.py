"""OParl 1.1: every object type against the vendored schemas, only the published subset
(the canaries), 404 for what is not published, paging by id, the filters and constant queries."""

import datetime
import json
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource

from meetings.models import MeetingState
from publication.models import BodyPublication
from publication.oparl import queries
from tests import factories
from tests.once import once_per_module
from tests.world import CANARY_CLOSED, CANARY_OTHER, CANARY_OWN, build_tenant

SCHEMAS = Path(__file__).resolve().parent.parent / "schema"
# Objects that embed others: property -> the embedded object's type.
EMBEDDED = {
    "Body": {"legislativeTerm": "LegislativeTerm"},
    "Person": {"membership": "Membership"},
    "Meeting": {"agendaItem": "AgendaItem"},
    "AgendaItem": {"auxiliaryFile": "File"},
    "Paper": {"consultation": "Consultation"},
}
LISTS = {
    "organization_list": "Organization",
    "person_list": "Person",
    "membership_list": "Membership",
    "meeting_list": "Meeting",
    "agendaitem_list": "AgendaItem",
    "paper_list": "Paper",
    "consultation_list": "Consultation",
    "file_list": "File",
    "legislativeterm_list": "LegislativeTerm",
}


def _schemas():
    found = {p.stem: json.loads(p.read_text()) for p in SCHEMAS.glob("*.json")}
    registry = Registry().with_resources(
        (f"https://schema.oparl.org/1.1/{name}.json", Resource.from_contents(body))
        for name, body in found.items()
    )
    return found, registry


SCHEMA, REGISTRY = _schemas()
FORMATS = FormatChecker()


@FORMATS.checks("url")
def _absolute(value) -> bool:
    return isinstance(value, str) and value.startswith("http://testserver/")


def valid(data: dict, kind: str) -> None:
    """`data` is a valid OParl `kind`, with no property outside the specification's, and so is
    every object it embeds."""
    Draft7Validator(SCHEMA[kind], registry=REGISTRY, format_checker=FORMATS).validate(data)
    unknown = set(data) - set(SCHEMA[kind]["properties"])
    assert not unknown, f"{kind} has properties outside OParl 1.1: {unknown}"
    for prop, inner in EMBEDDED.get(kind, {}).items():
        for each in data.get(prop, []):
            valid(each, inner)


@once_per_module(history=True)
def world():
    """Both municipalities, both publishing their steering group (with history: `created` and
    `modified` come from it). The own steering group's meeting of 15-05-2024 has approved
    minutes, an open item with a case and an open attachment, and a closed item; its draft
    meeting is not public."""
    own = build_tenant("Norddjurs Kommune", canary=CANARY_OWN)
    other = build_tenant("Anden Kommune", canary=CANARY_OTHER, usernames_prefix="other-")
    for tenant in (own, other):
        BodyPublication.objects.update_or_create(
            body=tenant.body, defaults={"municipality": tenant.municipality, "publishes": True}
        )
    return own, other


def url(name: str, t, **kwargs) -> str:
    return reverse(f"oparl:{name}", kwargs={"slug": t.municipality.slug, **kwargs})


def get(client, address: str, status: int = 200):
    response = client.get(address)
    assert response.status_code == status, f"{address}: {response.status_code}"
    if status == 200:
        assert response["Content-Type"] == "application/json; charset=utf-8"
    return response


def everything(client, own) -> list[tuple[str, str, dict]]:
    """Every list and every object in it, fetched by its id: (address, type, object)."""
    found = [("/oparl/v1.1/", "System", get(client, "/oparl/v1.1/").json())]
    bodies = get(client, reverse("oparl:body_list")).json()
    found += [("bodies", "Body", body) for body in bodies["data"]]
    found.append(("body", "Body", get(client, url("body", own)).json()))
    for name, kind in LISTS.items():
        page = get(client, url(name, own)).json()
        valid(page, "ObjectList")
        assert page["data"], f"{name} is empty: the test shows nothing"
        for row in page["data"]:
            found.append((name, kind, row))
            found.append((row["id"], kind, get(client, row["id"]).json()))
    return found


def test_every_object_is_valid_oparl_of_the_published_subset_only(client, world):
    own, other = world
    found = everything(client, own)
    kinds = set()
    for address, kind, data in found:
        valid(data, kind)
        kinds.add(kind)
        text = json.dumps(data, ensure_ascii=False)
        assert CANARY_CLOSED not in text, f"{address} shows closed content"
        assert CANARY_OTHER not in text, f"{address} shows another municipality's data"
        assert "@" not in text.replace("http://", ""), f"{address} shows an e-mail address"
    assert kinds == set(SCHEMA) - {"Location", "ObjectList"}
    text = json.dumps([d for _, _, d in found], ensure_ascii=False)
    assert CANARY_OWN in text
    # The published meeting, its items (the closed one reduced), its open attachment's file.
    meeting = get(client, url("meeting", own, pk=own.meeting.pk)).json()
    assert meeting["meetingState"] == "durchgeführt"
    items = {i["id"].rstrip("/").rsplit("/", 1)[1]: i for i in meeting["agendaItem"]}
    closed = items[str(own.closed_item.pk)]
    assert closed["public"] is False and closed["keyword"] == ["Lukket punkt"]
    assert set(closed) <= {
        "id",
        "type",
        "meeting",
        "number",
        "order",
        "name",
        "public",
        "start",
        "end",
        "keyword",
        "created",
        "modified",
    }
    opened = items[str(own.open_item.pk)]
    assert opened["resolutionText"] == own.open_item.decision
    assert opened["consultation"].endswith(f"/consultations/{own.open_item.pk}/")
    [attachment] = opened["auxiliaryFile"]
    assert attachment["name"] == own.open_attachment.title
    content = client.get(attachment["accessUrl"])
    assert content.status_code == 200 and b"%PDF" in b"".join(content.streaming_content)
    # Persons by name only: the world's chair and secretary of the steering group.
    persons = get(client, url("person_list", own)).json()["data"]
    assert {p["name"] for p in persons} == {own.person.name, own.secretary_person.name}
    # The draft meeting is nowhere.
    assert f"/meetings/{own.draft_meeting.pk}/" not in text


def test_what_is_not_published_is_404_like_what_does_not_exist(client, world):
    own, other = world
    for name, pk in [
        ("meeting", own.draft_meeting.pk),
        ("meeting", other.meeting.pk),
        ("meeting", 10**9),
        ("agendaitem", other.open_item.pk),
        ("consultation", own.closed_item.pk),
        ("file", own.closed_attachment.pk),
        ("file_content", own.closed_attachment.pk),
        ("file_content", other.open_attachment.pk),
        ("organization", own.board.pk),
        ("person", own.leader_person.pk),
        ("paper", other.case.pk),
    ]:
        get(client, url(name, own, pk=pk), 404)
    unknown = get(client, "/oparl/v1.1/ukendt-kommune/", 404)
    assert unknown["Content-Type"] == "application/json; charset=utf-8"
    assert unknown.json()["type"] == "https://schema.oparl.org/1.1/Error"
    # A municipality whose bodies publish nothing has no Body.
    with scopes_disabled():
        BodyPublication.objects.filter(body=other.body).update(publishes=False)
    get(client, url("body", other), 404)
    bodies = get(client, reverse("oparl:body_list")).json()["data"]
    assert [b["name"] for b in bodies] == [own.municipality.name]
    # A bad filter is refused, with the specification's error object.
    refused = get(client, url("meeting_list", own) + "?modified_since=igår", 400).json()
    assert "modified_since" in refused["message"]
    refused = get(client, url("file_list", own) + "?page_after=sidste", 400).json()
    assert "page_after" in refused["message"]


def _more_meetings(t, count: int) -> None:
    """`count` more public meetings of the steering group, each with two items, a case and an
    attachment."""
    with scopes_disabled():
        for n in range(count):
            meeting = factories.meeting(
                t.body,
                datetime.date(2023, 1, 2) + datetime.timedelta(days=7 * n),
                state=MeetingState.HELD,
            )
            item = factories.item(
                meeting, f"Punkt {n}", case=factories.case(t.municipality, f"Sag {n}")
            )
            factories.attachment(item, f"Bilag {n}")
            factories.item(meeting, f"Lukket {n}", closed=True, closed_reason="Fortroligt")
            factories.membership(factories.person(t.municipality, f"Medlem {n}"), t.body)


def _count(client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries_run:
        get(client, address)
    return len(queries_run)


def test_lists_page_by_id_to_the_end_without_duplicates_in_constant_queries(
    client, world, monkeypatch
):
    own, _ = world
    few = {name: _count(client, url(name, own)) for name in LISTS}
    _more_meetings(own, 6)
    many = {name: _count(client, url(name, own)) for name in LISTS}
    assert few == many, f"queries grow with the rows: {few} → {many}"
    assert max(many.values()) <= 8, many
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    monkeypatch.setattr(queries, "MEETING_PAGE_SIZE", 2)
    for name in ("meeting_list", "agendaitem_list", "file_list", "person_list", "paper_list"):
        seen, address, pages = [], url(name, own) + "?created_since=2000-01-01T00:00:00%2B01:00", 0
        while address:
            page = get(client, address).json()
            seen += [row["id"] for row in page["data"]]
            address, pages = page["links"].get("next"), pages + 1
            if address:
                assert "created_since=" in address, "the next page keeps the filter"
        assert len(seen) == len(set(seen)), f"{name} repeats rows"
        assert pages >= 3, f"{name}: {len(seen)} rows in {pages} pages"
    meetings = get(client, url("meeting_list", own) + "?elementsPerPage=1000").json()
    assert len(meetings["data"]) == meetings["pagination"]["elementsPerPage"] == 2


def test_modified_since_and_until(client, world):
    own, _ = world
    before = timezone.now() - datetime.timedelta(seconds=1)
    with scopes_disabled():
        own.meeting.place = "Byrådssalen"
        own.meeting.save()
    after = timezone.now() + datetime.timedelta(seconds=1)
    since = "?modified_since=" + before.isoformat().replace("+", "%2B")
    until = "?modified_until=" + before.isoformat().replace("+", "%2B")
    changed = get(client, url("meeting_list", own) + since).json()["data"]
    assert [m["id"] for m in changed] == [
        f"http://testserver{url('meeting', own, pk=own.meeting.pk)}"
    ]
    # Everything below the meeting changed with it; the rest did not.
    assert get(client, url("agendaitem_list", own) + since).json()["data"]
    assert get(client, url("file_list", own) + since).json()["data"]
    assert not get(client, url("organization_list", own) + since).json()["data"]
    assert not get(client, url("membership_list", own) + since).json()["data"]
    assert not get(client, url("meeting_list", own) + until).json()["data"]
    assert get(client, url("organization_list", own) + until).json()["data"]
    later = "?modified_since=" + after.isoformat().replace("+", "%2B")
    assert not get(client, url("meeting_list", own) + later).json()["data"]


def test_a_meeting_published_by_its_days_before_counts_as_modified_that_day(client, world):
    """No row changes when an agenda becomes public by the body's days before; a client that
    synchronises with modified_since must still get it, and modified_until knows it."""
    own, _ = world
    today = timezone.localdate()
    long_ago = timezone.now() - datetime.timedelta(days=30)
    with scopes_disabled():
        days = BodyPublication.objects.get(body=own.body).days_before
        meeting = factories.meeting(
            own.body, today + datetime.timedelta(days=days), state=MeetingState.AGENDA_SENT
        )
        factories.item(meeting, "Kommende punkt")
        # Its rows were last changed a month ago.
        meeting.history.model.objects.filter(id=meeting.pk).update(history_date=long_ago)
        meeting.items.first().history.model.objects.filter(meeting_id=meeting.pk).update(
            history_date=long_ago
        )
    midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))

    def meetings(name: str, at: datetime.datetime) -> str:
        query = f"?{name}=" + at.isoformat().replace("+", "%2B")
        return json.dumps(get(client, url("meeting_list", own) + query).json()["data"])

    assert f"/meetings/{meeting.pk}/" in meetings("modified_since", midnight)
    assert f"/meetings/{meeting.pk}/" not in meetings(
        "modified_since", midnight + datetime.timedelta(seconds=1)
    )
    yesterday = midnight - datetime.timedelta(seconds=1)
    assert f"/meetings/{meeting.pk}/" not in meetings("modified_until", yesterday)
    assert f"/meetings/{meeting.pk}/" in meetings("modified_until", midnight)
