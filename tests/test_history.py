"""The one history page (`core.history`, organisation:history) for every governed object:
each kind lists a change with its Danish label, related rows by name, choices by label and
times in Copenhagen time; a closed item's history shows nothing closed to those who may not
see closed items; another municipality's object is 404; the queries do not grow with the
records."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from core.models import Role
from tests import factories
from tests.once import make_session, once_per_module, use_session
from tests.world import CANARY_CLOSED, CANARY_OTHER, CANARY_OWN, build_tenant

pytestmark = pytest.mark.history

# After everything the world wrote, so each change is the newest record: 09:30 in Copenhagen.
WHEN = datetime.datetime(2030, 1, 15, 8, 30, tzinfo=datetime.UTC)
LOCAL = "15-01-2030 09:30"


def change(obj, user, **values):
    for name, value in values.items():
        setattr(obj, name, value)
    obj._history_user = user
    obj._history_date = WHEN
    obj.save()


@once_per_module
def world():
    from meetings.models import AgendaItem, Meeting, MeetingState
    from planning.models import ProposalStatus

    own = build_tenant("Norddjurs Kommune", canary=CANARY_OWN)
    other = build_tenant("Anden Kommune", canary=CANARY_OTHER, usernames_prefix="other-")
    admin = own.users[Role.ADMINISTRATOR]
    admin.first_name, admin.last_name = "Anne", "Administrator"
    admin.save()
    someone = factories.person(own.municipality, "Birgitte Ejer", "chef", unit=own.unit)
    step = own.case.steps.order_by("position").first()
    change(own.case, admin, title="Borgerblikket i drift", status="closed")
    change(step, admin, arrived_on=datetime.date(2024, 4, 2))
    change(own.risk, admin, owner=someone, probability=2)
    change(own.follow_up, admin, owner=someone, due_date=datetime.date(2024, 7, 1))
    change(own.proposal, admin, unit=own.unit, status=ProposalStatus.REJECTED)
    change(own.strategy, admin, title="Digitaliseringsprogram 2021–2026")
    change(own.goal, admin, title="Borgerne betjener sig selv digitalt")
    change(own.membership, admin, role="member")
    change(own.body, admin, parent=None)
    # The minutes are approved: reopened a moment (no history) to correct the items.
    Meeting.objects.filter(pk=own.meeting.pk).update(state=MeetingState.HELD)
    for pk in (own.open_item.pk, own.closed_item.pk):
        item = AgendaItem.objects.get(pk=pk)
        change(item, admin, kind="discussion", decision=f"Rettet {item.decision}")
    Meeting.objects.filter(pk=own.meeting.pk).update(state=MeetingState.MINUTES_APPROVED)
    sessions = {
        role: make_session(own.users[role])
        for role in (Role.ADMINISTRATOR, Role.MEMBER, Role.READER)
    }
    sessions["outsider"] = make_session(other.users[Role.ADMINISTRATOR])
    return own, other, someone, sessions


# (kind, the world's object, what the page must show of the change)
KINDS = {
    "sag": (
        lambda t: t.case,
        ["Titel", "Borgerblikket i drift", "Status", "Afsluttet", "Modtaget den", "02-04-2024"],
    ),
    "risiko": (lambda t: t.risk, ["Risikoejer", "Birgitte Ejer", "Sandsynlighed (1–5)"]),
    "opfoelgning": (lambda t: t.follow_up, ["Ansvarlig", "Birgitte Ejer", "Frist", "01-07-2024"]),
    "forslag": (lambda t: t.proposal, ["Status", "Afvist"]),
    "strategi": (lambda t: t.strategy, ["Titel", "Digitaliseringsprogram 2021–2026", "Mål"]),
    "maal": (lambda t: t.goal, ["Mål", "Borgerne betjener sig selv digitalt"]),
    "punkt": (lambda t: t.open_item, ["Type", "Drøftelse", "Beslutning", "Rettet Godkendt"]),
    "medlemskab": (lambda t: t.membership, ["Rolle", "Formand", "Medlem"]),
    "organ": (lambda t: t.body, ["Refererer til", "Direktion"]),
}


def page(client, world, actor, kind, obj):
    use_session(client, world[3][actor])
    return client.get(reverse("organisation:history", args=[kind, obj.pk]))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_page_lists_the_change_in_danish_by_name_in_local_time(client, world, kind):
    own = world[0]
    obj, shown = KINDS[kind]
    response = page(client, world, Role.ADMINISTRATOR, kind, obj(own))
    assert response.status_code == 200
    html = response.content.decode()
    for text in shown:
        assert text in html, f"{kind}: {text!r} is not shown"
    assert LOCAL in html and "Anne Administrator" in html
    assert "08:30" not in html
    assert CANARY_OTHER not in html


def test_related_rows_are_named_not_numbered(client, world):
    own, _, someone, _ = world
    html = page(client, world, Role.ADMINISTRATOR, "risiko", own.risk).content.decode()
    assert f"→ {someone.pk}<" not in html and "→ Birgitte Ejer" in html


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_another_municipalitys_object_is_404(client, world, kind):
    own = world[0]
    obj, _ = KINDS[kind]
    assert page(client, world, "outsider", kind, obj(own)).status_code == 404


def test_an_unknown_kind_is_404(client, world):
    assert page(client, world, Role.ADMINISTRATOR, "bruger", world[0].body).status_code == 404


def test_a_closed_item_shows_nothing_closed_to_a_non_member(client, world):
    own = world[0]
    response = page(client, world, Role.READER, "punkt", own.closed_item)
    assert response.status_code == 200
    html = response.content.decode()
    assert CANARY_CLOSED not in html
    assert "Kun organets medlemmer kan se ændringerne af et lukket punkt." in html
    assert "Rettet" not in html


@pytest.mark.parametrize("actor", [Role.MEMBER, Role.ADMINISTRATOR])
def test_a_closed_item_shows_its_changes_to_those_who_see_closed_items(client, world, actor):
    own = world[0]
    html = page(client, world, actor, "punkt", own.closed_item).content.decode()
    assert CANARY_CLOSED in html and "Rettet" in html


def test_a_closed_items_follow_up_is_404_to_a_non_member(client, world):
    own = world[0]
    assert page(client, world, Role.READER, "opfoelgning", own.closed_follow_up).status_code == 404
    assert page(client, world, Role.MEMBER, "opfoelgning", own.closed_follow_up).status_code == 200


def test_a_draft_agendas_item_is_404_to_a_non_member(client, world):
    own = world[0]
    with scopes_disabled():
        item = own.draft_meeting.items.first()
    assert page(client, world, Role.READER, "punkt", item).status_code == 404
    assert page(client, world, Role.MEMBER, "punkt", item).status_code == 200


def test_a_closed_cases_description_is_left_out_for_those_off_its_route(client, world):
    from meetings.models import Case

    own = world[0]
    admin = own.users[Role.ADMINISTRATOR]
    with scopes_disabled():
        case = Case.objects.get(pk=own.case.pk)
        change(case, admin, closed=True, description="Hemmelig beskrivelse")
    assert (
        "Hemmelig beskrivelse" not in page(client, world, Role.READER, "sag", case).content.decode()
    )
    assert "Hemmelig beskrivelse" in page(client, world, Role.MEMBER, "sag", case).content.decode()


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_queries_do_not_grow_with_the_records(client, world, kind):
    own = world[0]
    obj, _ = KINDS[kind]
    target = obj(own)
    use_session(client, world[3][Role.ADMINISTRATOR])
    url = reverse("organisation:history", args=[kind, target.pk])
    client.get(url)  # the session, the user and the translations, once

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = count()
    with scopes_disabled():
        _more_records(own, kind, target)
    assert count() == before


def _more_records(own, kind, target):
    """Three more changes of the object (and of its parts), each naming another row."""
    from meetings.models import AgendaItem, Meeting, MeetingState

    admin = own.users[Role.ADMINISTRATOR]
    model = type(target)
    Meeting.objects.filter(pk=own.meeting.pk).update(state=MeetingState.HELD)
    for i in range(3):
        row = model.objects.get(pk=target.pk)
        person = factories.person(own.municipality, f"Ny {i}", "chef", unit=own.unit)
        unit = factories.unit(own.municipality, f"Enhed {i}", parent=own.unit)
        if kind == "sag":
            change(row, admin, title=f"Sag {i}")
            step = row.steps.first()
            change(step, admin, body=factories.body(own.municipality, f"Organ {i}"))
        elif kind in {"risiko", "opfoelgning"}:
            change(row, admin, owner=person)
        elif kind == "forslag":
            change(row, admin, unit=unit, contact=person)
        elif kind == "strategi":
            change(row, admin, title=f"Strategi {i}")
            factories.goal(row, f"Mål {i}", number=str(i + 2))
        elif kind == "maal":
            change(row, admin, title=f"Mål {i}")
        elif kind == "punkt":
            change(row, admin, case=factories.case(own.municipality, f"Sag {i}", route=[own.body]))
            assert isinstance(row, AgendaItem)
        elif kind == "medlemskab":
            change(row, admin, person=person)
        elif kind == "organ":
            change(row, admin, parent=factories.body(own.municipality, f"Overordnet {i}"))


# (the object's page, its kwargs, the history's kind, the object)
LINKED_FROM = {
    "meetings:case_detail": (lambda t: t.case, "sag"),
    "meetings:followup_edit": (lambda t: t.follow_up, "opfoelgning"),
    "meetings:meeting_detail": (lambda t: t.meeting, "punkt"),
    "portfolio:risk_edit": (lambda t: t.risk, "risiko"),
    "portfolio:risk_list": (None, "risiko"),
    "planning:proposal_detail": (lambda t: t.proposal, "forslag"),
    "strategy:strategy_detail": (lambda t: t.strategy, "strategi"),
    "strategy:goal_edit": (lambda t: t.goal, "maal"),
    "organisation:membership_edit": (lambda t: t.membership, "medlemskab"),
}


@pytest.mark.parametrize("url_name", sorted(LINKED_FROM))
def test_the_objects_page_links_to_its_history(client, world, url_name):
    own = world[0]
    obj, kind = LINKED_FROM[url_name]
    use_session(client, world[3][Role.ADMINISTRATOR])
    url = reverse(url_name, args=[obj(own).pk]) if obj else reverse(url_name)
    html = client.get(url).content.decode()
    target = {
        "punkt": own.open_item,
        "risiko": own.risk,
    }.get(kind) or obj(own)
    assert reverse("organisation:history", args=[kind, target.pk]) in html


def test_the_item_editor_links_to_the_items_history(client, world):
    own = world[0]
    with scopes_disabled():
        item = own.draft_meeting.items.first()
    use_session(client, world[3][Role.ADMINISTRATOR])
    html = client.get(reverse("meetings:item_edit", args=[item.pk])).content.decode()
    assert html.count(reverse("organisation:history", args=["punkt", item.pk])) >= 1
