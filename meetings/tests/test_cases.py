"""Cases (sager): the list, the form with its route (sagsgang), and the case page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_scopes import scope, scopes_disabled

from core.models import Role
from meetings.models import AgendaItem, Case, CaseStatus, CaseStep, MeetingState, Outcome
from tests import factories
from tests.world import CANARY_CLOSED, CANARY_OWN

CREATE = "/sager/ny/"


def _login(client, t, role=Role.SECRETARY):
    client.force_login(t.users[role])
    return client


def _data(route=(), **fields):
    data = {
        "number": "24/99999",
        "title": "Ny sag om digital post",
        "description": "Beskrivelse",
        "status": "open",
        **fields,
    }
    for index, body in enumerate(route):
        data[f"route-step_{index}"] = "" if body is None else str(body.pk)
    return data


def _steps(case):
    with scopes_disabled():
        return list(
            CaseStep.objects.filter(case=case)
            .order_by("position")
            .values_list("body_id", "position", "arrived_on")
        )


def _counts():
    with scopes_disabled():
        return Case.objects.count(), CaseStep.objects.count()


# --- Creating and editing --------------------------------------------------------------------


def test_create_a_case_with_a_route(client, t):
    _login(client, t)
    page = client.get(CREATE)
    assert page.status_code == 200
    assert 'name="route-step_0"' in page.content.decode()
    response = client.post(CREATE, _data(route=[t.body, None, t.board]))
    assert response.status_code == 302
    with scopes_disabled():
        case = Case.objects.get(number="24/99999")
    assert response["Location"] == f"/sager/{case.pk}/"
    assert _steps(case) == [(t.body.pk, 0, case.created_on), (t.board.pk, 1, None)]


def _danish(source: str) -> str:
    with translation.override("da"):
        return gettext(source)


@pytest.mark.parametrize(
    ("fields", "route", "field", "message"),
    [
        ({"number": ""}, "ok", "number", "This field is required."),
        ({"title": ""}, "ok", "title", "This field is required."),
        ({"status": "maybe"}, "ok", "status", None),
        ({}, "empty", None, "Give the route: choose at least one body."),
        ({}, "twice", None, "A body can only appear once on the route."),
        ({}, "foreign", "step_0", None),
    ],
)
def test_bad_input_writes_nothing(client, t, fields, route, field, message, other):
    routes = {
        "ok": [t.body],
        "empty": [None, None],
        "twice": [t.body, t.board, t.body],
        "foreign": [other.body],
    }
    _login(client, t)
    before = _counts()
    response = client.post(CREATE, _data(route=routes[route], **fields))
    assert response.status_code == 422
    html = response.content.decode()
    assert "alert-error" in html
    if field == "step_0":
        assert "step_0" in response.context["route_form"].errors
    elif field:
        errors = response.context["form"].errors[field]
        if message:
            assert errors == [_danish(message)]
    else:
        assert list(response.context["route_form"].non_field_errors()) == [_danish(message)]
        assert _danish(message) in html
    assert _counts() == before


def test_duplicate_case_number_is_refused_in_danish(client, t):
    _login(client, t)
    before = _counts()
    response = client.post(CREATE, _data(route=[t.body], number=t.case.number))
    assert response.status_code == 422
    assert response.context["form"].errors["number"] == [
        _danish("Another case has this case number.")
    ]
    assert _counts() == before


def test_same_number_in_another_municipality_is_fine(client, t, other):
    with scopes_disabled():
        factories.case(other.municipality, "Anden sag", number="24/99999")
    _login(client, t)
    assert client.post(CREATE, _data(route=[t.body])).status_code == 302


def test_a_failing_route_rolls_the_case_back(client, t, monkeypatch):
    """All or nothing: if writing the route fails, the case is not created either."""
    from meetings import services

    def broken(case, bodies):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "set_route", broken)
    _login(client, t)
    client.raise_request_exception = False
    before = _counts()
    response = client.post(CREATE, _data(route=[t.body]))
    assert response.status_code == 500
    assert _counts() == before


def test_editing_the_route_keeps_arrivals(client, t):
    """The world's case went body → board and arrived at the board; add a body before the
    board and reorder: the steps kept keep their arrived_on."""
    with scopes_disabled():
        project = factories.body(t.municipality, "Programgruppen")
        step = CaseStep.objects.get(case=t.case, body=t.board)
        step.arrived_on = datetime.date(2024, 5, 15)
        step.save()
    first_arrival = t.case.created_on
    _login(client, t)
    url = reverse("meetings:case_edit", kwargs={"pk": t.case.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["route_form"]["step_0"].value() == str(t.body.pk)
    response = client.post(url, _data(route=[t.body, project, t.board], number=t.case.number))
    assert response.status_code == 302, response.content.decode()
    assert _steps(t.case) == [
        (t.body.pk, 0, first_arrival),
        (project.pk, 1, None),
        (t.board.pk, 2, datetime.date(2024, 5, 15)),
    ]
    # Reverse it, drop the project group: arrivals still kept.
    response = client.post(url, _data(route=[t.board, t.body], number=t.case.number))
    assert response.status_code == 302
    assert _steps(t.case) == [
        (t.board.pk, 0, datetime.date(2024, 5, 15)),
        (t.body.pk, 1, first_arrival),
    ]


def test_a_new_first_body_gets_the_case_at_creation(client, t):
    with scopes_disabled():
        project = factories.body(t.municipality, "Programgruppen")
    _login(client, t)
    url = reverse("meetings:case_edit", kwargs={"pk": t.case.pk})
    client.post(url, _data(route=[project, t.body, t.board], number=t.case.number))
    assert _steps(t.case)[0] == (project.pk, 0, t.case.created_on)


def test_only_case_editors_may_create_or_edit(client, t):
    for role in (Role.READER, Role.MEMBER, Role.PROJECT_LEADER):
        _login(client, t, role)
        assert client.get(CREATE).status_code == 403
        before = _counts()
        assert client.post(CREATE, _data(route=[t.body])).status_code == 403
        assert _counts() == before
        url = reverse("meetings:case_edit", kwargs={"pk": t.case.pk})
        assert client.post(url, _data(route=[t.board])).status_code == 403
    _login(client, t, Role.ADMINISTRATOR)
    assert client.get(CREATE).status_code == 200


# --- The list ---------------------------------------------------------------------------------


def test_case_list_filters_and_shows_where_the_case_is(client, t):
    with scopes_disabled():
        done = factories.case(
            t.municipality,
            "Afsluttet sag om wifi",
            route=[t.board],
            status=CaseStatus.CLOSED,
            number="23/00001",
        )
    _login(client, t, Role.READER)
    response = client.get("/sager/")
    assert response.status_code == 200
    html = response.content.decode()
    assert t.case.number in html and done.number not in html
    (row,) = response.context["cases"]
    assert row.current.body == t.body
    assert done in client.get("/sager/", {"status": "closed"}).context["cases"]
    assert len(client.get("/sager/", {"status": "all"}).context["cases"]) == 2
    assert list(client.get("/sager/", {"status": "all", "q": "wifi"}).context["cases"]) == [done]
    assert list(client.get("/sager/", {"status": "all", "q": "23/000"}).context["cases"]) == [done]
    assert list(client.get("/sager/", {"q": "findes ikke"}).context["cases"]) == []


# --- The case page ----------------------------------------------------------------------------


def test_case_page_shows_route_and_every_treatment(client, t):
    with scopes_disabled():
        later = factories.meeting(t.board, datetime.date(2024, 6, 3), state=MeetingState.HELD)
        factories.item(
            later,
            "Borgerblikket i Direktionen",
            case=t.case,
            kind="decision",
            decision="Direktionen godkender",
            outcome=Outcome.TREATED,
        )
    _login(client, t, Role.READER)
    response = client.get(reverse("meetings:case_detail", kwargs={"pk": t.case.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    rows = response.context["treatments"]
    assert [r["meeting"] for r in rows] == [t.meeting, later]
    assert "Godkendt " + CANARY_OWN in html  # approved minutes: public
    assert "Direktionen godkender" not in html  # minutes not approved: not for a reader
    assert f"/moeder/{t.meeting.pk}/" in html
    assert response.context["current"].body == t.body
    member = _login(client, t, Role.MEMBER).get(
        reverse("meetings:case_detail", kwargs={"pk": t.case.pk})
    )
    assert "Direktionen godkender" not in member.content.decode()  # member of body, not board
    admin = _login(client, t, Role.ADMINISTRATOR).get(
        reverse("meetings:case_detail", kwargs={"pk": t.case.pk})
    )
    assert "Direktionen godkender" in admin.content.decode()


def test_draft_agendas_are_not_shown_to_readers(client, t):
    with scopes_disabled():
        item = factories.item(t.draft_meeting, "Kladdepunkt om sagen", case=t.case)
    url = reverse("meetings:case_detail", kwargs={"pk": t.case.pk})
    reader = _login(client, t, Role.READER).get(url)
    assert item.title not in reader.content.decode()
    member = _login(client, t, Role.MEMBER).get(url)
    assert item.title in member.content.decode()


@pytest.fixture
def closed_case(t):
    with scopes_disabled():
        case = factories.case(
            t.municipality,
            "Fortrolig sag",
            route=[t.body, t.board],
            closed=True,
            description=f"Beskrivelse {CANARY_CLOSED}",
            number="24/55555",
        )
        factories.item(
            t.draft_meeting,
            "Fortroligt punkt",
            case=case,
            closed=True,
            closed_reason="Fortroligt",
            case_text=f"Tekst {CANARY_CLOSED}",
        )
        # The minutes are locked; the test links the closed item to the case directly.
        AgendaItem.objects.filter(pk=t.closed_item.pk).update(case=case)
    return case


@pytest.mark.parametrize("role", [Role.READER, Role.PROJECT_LEADER])
def test_closed_case_and_item_stay_hidden_from_non_members(client, t, closed_case, role):
    response = _login(client, t, role).get(
        reverse("meetings:case_detail", kwargs={"pk": closed_case.pk})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert CANARY_CLOSED not in html
    assert closed_case.number in html and closed_case.title in html
    assert t.closed_item.title in html  # the title of a closed item, marked closed
    assert response.context["shows_description"] is False
    for url in ("/sager/", "/sager/?status=all&q=Fortrolig"):
        assert CANARY_CLOSED not in _login(client, t, role).get(url).content.decode()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.SECRETARY, Role.ADMINISTRATOR])
def test_members_see_the_closed_case(client, t, closed_case, role):
    html = (
        _login(client, t, role)
        .get(reverse("meetings:case_detail", kwargs={"pk": closed_case.pk}))
        .content.decode()
    )
    assert f"Beskrivelse {CANARY_CLOSED}" in html
    assert f"Lukket beslutning {CANARY_CLOSED}" in html


def test_another_municipality_gets_404(client, t, other):
    client.force_login(other.users[Role.ADMINISTRATOR])
    for name in ("meetings:case_detail", "meetings:case_edit"):
        with scope(municipality=t.municipality.pk):
            url = reverse(name, kwargs={"pk": t.case.pk})
        assert client.get(url).status_code == 404


# --- Query counts -------------------------------------------------------------------------------


def _grow(t, n):
    with scopes_disabled():
        for i in range(n):
            body = factories.body(t.municipality, f"Gruppe {i}")
            case = factories.case(t.municipality, f"Sag {i}", route=[body, t.body, t.board])
            meeting = factories.meeting(
                body,
                datetime.date(2023, 1, 1) + datetime.timedelta(days=i),
                state=MeetingState.HELD,
            )
            factories.item(
                meeting, f"Punkt {i}", case=case, decision="Godkendt", outcome=Outcome.TREATED
            )
            factories.item(
                meeting,
                f"Punkt {i} igen",
                case=t.case,
                decision="Godkendt",
                outcome=Outcome.FORWARDED,
            )
            factories.item(
                meeting,
                f"Lukket {i}",
                case=t.case,
                closed=True,
                closed_reason="x",
                decision="Hemmeligt",
                outcome=Outcome.TREATED,
            )
            meeting.state = MeetingState.MINUTES_APPROVED
            meeting.save()


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.READER, Role.SECRETARY])
def test_query_counts_are_constant(client, t, role):
    _login(client, t, role)
    with scope(municipality=t.municipality.pk):
        urls = [
            "/sager/",
            "/sager/?status=all&q=24/",
            reverse("meetings:case_detail", kwargs={"pk": t.case.pk}),
        ]
        if role != Role.READER:
            urls.append(reverse("meetings:case_edit", kwargs={"pk": t.case.pk}))
    small = [_count(client, url) for url in urls]
    _grow(t, 8)
    large = [_count(client, url) for url in urls]
    assert small == large, list(zip(urls, small, large, strict=True))
