"""The public pages, anonymously: the canary tests (nothing closed, nothing unpublished, nothing
of another municipality), 404 for what is not public, caching, and the queries per page; and
the secretary's settings and "publish now"."""

import datetime

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from core.models import Role
from meetings.models import MeetingState
from publication.models import BodyPublication, MeetingPublication
from tests import factories
from tests.once import once_per_module
from tests.world import CANARY_CLOSED, CANARY_OTHER, CANARY_OWN, build_tenant

# What only the draft meeting (18-09-2024, agenda draft) holds.
DRAFT_MARKS = ("Aula", "Udkast", "18. september 2024", "18-09-2024", "20240918")


@once_per_module
def world():
    own = build_tenant("Norddjurs Kommune", canary=CANARY_OWN)
    other = build_tenant("Anden Kommune", canary=CANARY_OTHER, usernames_prefix="other-")
    # A coming meeting whose agenda the chair approved, far ahead: not public yet.
    coming = factories.meeting(
        own.body,
        datetime.date.today() + datetime.timedelta(days=30),
        state=MeetingState.AGENDA_APPROVED,
    )
    factories.item(coming, "Fremtidigt punkt", case_text="Fremtidig tekst")
    return own, other, coming


def _urls(t) -> dict[str, str]:
    slug = t.municipality.slug
    with scope(municipality=t.municipality.pk):
        return {
            "index": reverse("publication:index", args=[slug]),
            "body": reverse("publication:body", args=[slug, t.body.pk]),
            "meeting": reverse("publication:meeting", args=[slug, t.meeting.pk]),
            "decisions": reverse("publication:decisions", args=[slug]),
            "search": reverse("publication:decisions", args=[slug]) + "?q=Godkendt",
            "search_closed": reverse("publication:decisions", args=[slug]) + "?q=Lukket+beslutning",
            "feed": reverse("publication:body_feed", args=[slug, t.body.pk]),
            "ical": reverse("publication:body_ical", args=[slug, t.body.pk]),
            "attachment": reverse("publication:attachment", args=[slug, t.open_attachment.pk]),
        }


def _body(response) -> str:
    content = b"".join(response) if response.streaming else response.content
    return content.decode()


def test_no_public_page_shows_anything_closed_unpublished_or_of_another_municipality(client, world):
    own, other, coming = world
    for name, url in _urls(own).items():
        response = client.get(url)
        assert response.status_code == 200, url
        text = _body(response)
        assert CANARY_CLOSED not in text, url
        assert CANARY_OTHER not in text, url
        for mark in DRAFT_MARKS:
            assert mark not in text, (url, mark)
        assert "Fremtidig" not in text, url
        if name not in {"attachment", "search_closed"}:
            assert CANARY_OWN in text, url
        assert "public" in response["Cache-Control"], url
    # The meeting: agenda and decisions of the open item; the closed one by title only.
    text = _body(client.get(_urls(own)["meeting"]))
    assert own.closed_item.title in text and "Lukket punkt" in text
    assert f"Godkendt {CANARY_OWN}" in text and f"Sagsfremstilling {CANARY_OWN}" in text
    assert own.closed_attachment.title in text and "Personfølsomme" not in text
    assert 'lang="da"' in text and "skipnav" in text
    # The attachment is the file itself.
    assert _body(client.get(_urls(own)["attachment"])).startswith("%PDF")


def test_what_is_not_public_is_not_found_like_the_unknown(client, world):
    own, other, coming = world
    slug = own.municipality.slug
    with scopes_disabled():
        draft_attachment = factories.attachment(own.draft_meeting.items.get(), "Udkastbilag")
    for url in (
        reverse("publication:meeting", args=[slug, own.draft_meeting.pk]),
        reverse("publication:meeting", args=[slug, coming.pk]),
        reverse("publication:meeting", args=[slug, other.meeting.pk]),
        reverse("publication:meeting", args=[slug, 999999]),
        reverse("publication:body", args=[slug, own.board.pk]),
        reverse("publication:body", args=[slug, other.body.pk]),
        reverse("publication:body_feed", args=[slug, own.board.pk]),
        reverse("publication:body_ical", args=[slug, other.body.pk]),
        reverse("publication:attachment", args=[slug, own.closed_attachment.pk]),
        reverse("publication:attachment", args=[slug, other.open_attachment.pk]),
        reverse("publication:attachment", args=[slug, draft_attachment.pk]),
        reverse("publication:index", args=["ingen-kommune"]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert CANARY_OTHER not in _body(response) and CANARY_CLOSED not in _body(response)
    # Read only: a POST is refused.
    assert client.post(reverse("publication:index", args=[slug])).status_code == 405


def test_a_logged_in_user_of_another_municipality_sees_this_municipalitys_public_site(
    client, world
):
    own, other, _ = world
    client.force_login(other.users[Role.ADMINISTRATOR])
    for url in _urls(own).values():
        response = client.get(url)
        assert response.status_code == 200, url
        assert CANARY_OTHER not in _body(response) and CANARY_CLOSED not in _body(response), url


def test_pages_are_cacheable_and_answer_304(client, world):
    own, _, _ = world
    url = _urls(own)["meeting"]
    response = client.get(url)
    etag = response["ETag"]
    assert "max-age=300" in response["Cache-Control"] and response["Last-Modified"]
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert client.head(url).status_code == 200
    # The calendar is the same from one request to the next (its time stamps are the data's).
    ical = _urls(own)["ical"]
    assert client.get(ical)["ETag"] == client.get(ical)["ETag"]


@pytest.mark.parametrize(
    "page", ["index", "body", "meeting", "decisions", "search", "feed", "ical"]
)
def test_queries_per_public_page(client, world, page, django_assert_max_num_queries):
    own, _, _ = world
    url = _urls(own)[page]
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_publishing_by_hand_is_refused_until_the_agenda_is_approved(client, world, english):
    own, _, coming = world
    client.force_login(own.users[Role.SECRETARY])
    with scopes_disabled():
        before = MeetingPublication.objects.count()
    url = reverse("publication:publish_now", args=[own.draft_meeting.pk])
    response = client.post(url)
    assert response.status_code == 400
    assert "the chair has not approved it yet" in response.content.decode()
    with scopes_disabled():
        assert MeetingPublication.objects.count() == before
    # The approved agenda of the coming meeting: public at once.
    public_url = reverse("publication:meeting", args=[own.municipality.slug, coming.pk])
    assert client.get(public_url).status_code == 404
    # The meeting page and the body page offer it.
    meeting_page = reverse("meetings:meeting_detail", args=[coming.pk])
    publish_url = reverse("publication:publish_now", args=[coming.pk])
    assert publish_url in client.get(meeting_page).content.decode()
    body_page = reverse("organisation:body_detail", args=[own.body.pk])
    assert publish_url in client.get(body_page).content.decode()
    response = client.post(publish_url)
    assert response.status_code == 302
    with scopes_disabled():
        assert MeetingPublication.objects.get(meeting=coming).published_by == own.users["secretary"]
    assert "Fremtidigt punkt" in _body(client.get(public_url))
    # Neither page offers it any more; the meeting page links to the public agenda.
    assert publish_url not in client.get(body_page).content.decode()
    page = client.get(meeting_page).content.decode()
    assert publish_url not in page and public_url in page


def test_the_settings_refuse_more_than_60_days_and_write_nothing(client, world, english):
    own, _, _ = world
    client.force_login(own.users[Role.SECRETARY])
    url = reverse("publication:body_settings", args=[own.body.pk])
    response = client.post(url, {"publishes": "on", "days_before": "61"})
    assert response.status_code == 422
    with scopes_disabled():
        assert BodyPublication.objects.get(body=own.body).days_before == 4
    response = client.post(url, {"publishes": "on", "days_before": "7", "show_closed_reason": "on"})
    assert response.status_code == 302
    with scopes_disabled():
        saved = BodyPublication.objects.get(body=own.body)
    assert (saved.days_before, saved.show_closed_reason) == (7, True)
    text = _body(client.get(_urls(own)["meeting"]))
    assert "Lukket punkt</strong> (Personfølsomme oplysninger)" in text
    assert CANARY_CLOSED not in text
    # A reader may not.
    client.force_login(own.users[Role.READER])
    assert client.post(url, {"publishes": ""}).status_code == 403
