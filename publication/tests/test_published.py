"""What is public (publication.published): the rules of the interface the pages and OParl read."""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone
from django_scopes import scope

from meetings.models import MeetingState
from publication import published
from publication.models import BodyPublication, MeetingPublication
from tests import factories
from tests.once import once_per_module
from tests.world import CANARY_CLOSED, CANARY_OTHER, CANARY_OWN, build_tenant

# A meeting ten days after this date, its agenda approved: public from four days before.
NOW = timezone.make_aware(datetime.datetime(2024, 11, 1, 12, 0))


@once_per_module
def world():
    own = build_tenant("Norddjurs Kommune", canary=CANARY_OWN)
    other = build_tenant("Anden Kommune", canary=CANARY_OTHER, usernames_prefix="other-")
    coming = factories.meeting(
        own.body, datetime.date(2024, 11, 11), state=MeetingState.AGENDA_APPROVED
    )
    factories.item(coming, "Kommende punkt", case_text="Kommende tekst")
    # A body that does not publish, with a meeting whose minutes are approved.
    quiet = factories.meeting(own.board, datetime.date(2024, 5, 1), state=MeetingState.HELD)
    BodyPublication.objects.create(municipality=own.municipality, body=own.board, publishes=False)
    return own, other, coming, quiet


def _at(days: int) -> datetime.datetime:
    return NOW + datetime.timedelta(days=days)


def test_only_the_published_meetings_of_publishing_bodies_of_the_municipality(world):
    own, other, coming, quiet = world
    with scope(municipality=own.municipality.pk):
        assert list(published.bodies()) == [own.body]
        assert published.municipality(own.municipality.slug) == own.municipality
        public = set(published.meetings(NOW))
        assert own.meeting in public
        assert own.draft_meeting not in public
        assert quiet not in public
        assert other.meeting not in public
        assert not any(m.municipality_id != own.municipality.pk for m in public)
        for pk in (own.draft_meeting.pk, other.meeting.pk, quiet.pk, 0, "x"):
            with pytest.raises(Http404):
                published.meeting(pk, NOW)
        with pytest.raises(Http404):
            published.body(own.board.pk)
        with pytest.raises(Http404):
            published.body(other.body.pk)
        assert published.minutes_public(own.meeting)
    with pytest.raises(Http404):
        published.municipality("ingen-kommune")


def test_an_approved_agenda_is_public_days_before_or_at_once_by_hand(world):
    own, _, coming, _ = world
    with scope(municipality=own.municipality.pk):
        # 10 days before: not yet (4 days); 6 days later it is, and stays so.
        for days, expected in ((0, False), (5, False), (6, True), (30, True)):
            assert (coming in published.meetings(_at(days))) is expected, days
            assert published.agenda_public(coming, _at(days)) is expected, days
        assert not published.minutes_public(coming, _at(30))
        # The body publishes 10 days before: public now.
        BodyPublication.objects.filter(body=own.body).update(days_before=10)
        coming = published.meeting(coming.pk, NOW)
        assert published.agenda_public(coming, NOW)
        BodyPublication.objects.filter(body=own.body).update(days_before=4)
        # Published by hand: public at once.
        MeetingPublication.objects.create(meeting=coming, published_by=own.users["secretary"])
        assert coming in published.meetings(NOW)
        # The body stops publishing: nothing is public.
        BodyPublication.objects.filter(body=own.body).update(publishes=False)
        assert not published.meetings(NOW).exists()
        assert not published.decisions().exists()


def test_the_agenda_shows_a_closed_item_by_its_title_only(world):
    own, _, _, _ = world
    with scope(municipality=own.municipality.pk):
        meeting = published.meeting(own.meeting.pk)
        agenda = published.public_items(meeting)
        assert [i.pk for i in agenda] == [own.open_item.pk, own.closed_item.pk]
        opened, closed = agenda
        assert opened.decision == f"Godkendt {CANARY_OWN}"
        assert opened.case_text and opened.recommendation and opened.start
        assert opened.attachments[0].downloadable and opened.attachments[0].number == 1
        assert closed.closed and closed.title == own.closed_item.title
        assert closed.closed_label == "Lukket punkt" and closed.reason == ""
        assert not closed.case_text and not closed.recommendation and not closed.decision
        (attachment,) = closed.attachments
        assert attachment.closed and not attachment.downloadable
        assert attachment.title == own.closed_attachment.title
        assert CANARY_CLOSED not in repr(agenda)
        # With the reason category, when the body shows it.
        BodyPublication.objects.filter(body=own.body).update(show_closed_reason=True)
        meeting = published.meeting(own.meeting.pk)
        closed = published.public_items(meeting)[1]
        assert closed.reason == "Personfølsomme oplysninger"
        assert CANARY_CLOSED not in repr(closed)


def test_decisions_and_attachments_of_open_items_of_public_minutes_only(world):
    own, other, _, _ = world
    with scope(municipality=own.municipality.pk):
        assert list(published.decisions()) == [own.open_item]
        assert list(published.decisions("Godkendt")) == [own.open_item]
        assert not published.decisions("Lukket beslutning").exists()
        assert published.attachment(own.open_attachment.pk) == own.open_attachment
        draft_attachment = factories.attachment(own.draft_meeting.items.get(), "Udkastbilag")
        for pk in (own.closed_attachment.pk, other.open_attachment.pk, draft_attachment.pk, "x"):
            with pytest.raises(Http404):
                published.attachment(pk)
