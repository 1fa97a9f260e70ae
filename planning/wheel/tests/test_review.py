"""The yearly review on the annual wheel: its outcome recorded per system the body governs
(an assessment of kind "review" each, in one transaction), bad input refused with nothing
written; and the register's deadlines as read-only dated entries of the wheel year."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from core.dates import add_months
from core.models import Role
from planning.models import ActivityKind
from planning.wheel import services as wheel
from systems.models import Assessment, AssessmentKind, Lifecycle
from tests import factories

pytestmark = pytest.mark.django_db


class Org:
    pass


@pytest.fixture
def org(municipality, other_municipality, users):
    today = timezone.localdate()
    o = Org()
    o.m, o.users, o.today = municipality, users, today
    with scopes_disabled():
        o.security = factories.body(municipality, "IT-sikkerhedsgruppen")
        o.steering = factories.body(municipality, "Styregruppen")
        o.review = factories.wheel_activity(
            municipality,
            "Årlig gennemgang",
            body=o.security,
            kind=ActivityKind.REVIEW,
            month=today.month,
            day=1,
        )
        o.aula = factories.system_usage(municipality, "Aula", body=o.security, criticality="high")
        o.fasit = factories.system_usage(
            municipality, "Fasit", body=o.security, personal_data=["ordinary"]
        )
        o.ended = factories.system_usage(
            municipality, "Gammelt", body=o.security, lifecycle=Lifecycle.ENDED
        )
        o.foreign = factories.system_usage(municipality, "Andet", body=o.steering)
        o.budget = factories.wheel_activity(municipality, "Budget", body=o.security)
        elsewhere = factories.body(other_municipality, "Deres gruppe")
        o.other_review = factories.wheel_activity(
            other_municipality, "Deres gennemgang", body=elsewhere, kind=ActivityKind.REVIEW
        )
    return o


def url(activity) -> str:
    return reverse("planning:activity_review", args=[activity.pk])


def reviews(o):
    with scope(municipality=o.m.pk):
        return list(
            Assessment.objects.filter(kind=AssessmentKind.REVIEW).order_by("usage__system__name")
        )


def test_the_form_lists_the_systems_the_body_governs(client, org):
    client.force_login(org.users[Role.SECRETARY])
    page = client.get(url(org.review), {"dato": "2024-05-01"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Aula" in html and "Fasit" in html
    assert "Gammelt" not in html and "Andet" not in html
    assert 'value="2024-05-01"' in html
    # the activity's page links to it
    detail = client.get(reverse("planning:activity_detail", args=[org.review.pk]))
    assert url(org.review) in detail.content.decode()


def test_the_outcome_is_recorded_per_system_with_history(client, org):
    client.force_login(org.users[Role.SECRETARY])
    done = org.today - datetime.timedelta(days=3)
    answer = client.post(
        url(org.review),
        {
            "done_on": done.isoformat(),
            f"outcome_{org.aula.pk}": "satisfactory",
            f"outcome_{org.fasit.pk}": "remarks",
            f"note_{org.fasit.pk}": "Logning mangler",
            f"note_{org.aula.pk}": "",
        },
    )
    assert answer.status_code == 302
    found = reviews(org)
    assert [(r.usage_id, r.outcome, r.summary, r.done_on) for r in found] == [
        (org.aula.pk, "satisfactory", "", done),
        (org.fasit.pk, "remarks", "Logning mangler", done),
    ]
    assert all(r.recorded_by_id == org.users[Role.SECRETARY].pk for r in found)
    with scope(municipality=org.m.pk):
        assert found[1].history.count() == 1
        assert found[1].history.first().history_user_id == org.users[Role.SECRETARY].pk


def test_a_system_without_an_outcome_is_refused_and_nothing_written(client, english, org):
    client.force_login(org.users[Role.ADMINISTRATOR])
    answer = client.post(
        url(org.review),
        {"done_on": org.today.isoformat(), f"outcome_{org.aula.pk}": "satisfactory"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 422
    assert "Choose the outcome for Fasit." in answer.content.decode()
    assert reviews(org) == []


def test_a_system_the_body_does_not_govern_is_refused(client, org):
    client.force_login(org.users[Role.ADMINISTRATOR])
    answer = client.post(
        url(org.review),
        {
            "done_on": org.today.isoformat(),
            f"outcome_{org.aula.pk}": "satisfactory",
            f"outcome_{org.fasit.pk}": "satisfactory",
            f"outcome_{org.foreign.pk}": "unsatisfactory",
        },
    )
    assert answer.status_code == 422
    assert "IT-sikkerhedsgruppen" in answer.content.decode()
    assert reviews(org) == []


def test_bad_outcomes_and_dates_are_refused(client, org):
    client.force_login(org.users[Role.ADMINISTRATOR])
    base = {f"outcome_{org.aula.pk}": "satisfactory", f"outcome_{org.fasit.pk}": "satisfactory"}
    for data in (
        {**base, "done_on": (org.today + datetime.timedelta(days=1)).isoformat()},
        {**base, "done_on": "31-02-2024"},
        {**base, "done_on": "1899-01-01"},
        {**base, "done_on": org.today.isoformat(), f"outcome_{org.aula.pk}": "fine"},
        {**base, "done_on": org.today.isoformat(), f"outcome_{org.aula.pk}x": "fine"},
    ):
        assert client.post(url(org.review), data).status_code == 422, data
    assert reviews(org) == []


def test_a_review_of_another_municipality_or_not_a_review_is_404(client, org):
    client.force_login(org.users[Role.ADMINISTRATOR])
    assert client.get(url(org.other_review)).status_code == 404
    assert client.get(url(org.budget)).status_code == 404
    assert client.post(url(org.other_review), {"done_on": org.today.isoformat()}).status_code == 404


def test_readers_may_not_record(client, org):
    client.force_login(org.users[Role.READER])
    assert client.get(url(org.review)).status_code == 403
    assert client.post(url(org.review), {}).status_code == 403


def test_the_register_deadlines_are_dated_entries_of_the_governing_body(org):
    soon = org.today + datetime.timedelta(days=40)
    with scopes_disabled():
        factories.contract(
            org.m,
            "Aula-kontrakten",
            usages=[org.aula],
            start=datetime.date(2020, 1, 1),
            end=add_months(soon, 6),
            notice_months=6,
        )
        factories.assessment(org.fasit, done_on=add_months(soon, -12))
        factories.system_usage(org.m, "Uden organ", personal_data=["ordinary"])  # missing: no date
    with scope(municipality=org.m.pk), translation.override("en"):
        year = wheel.wheel_year(soon.year, soon.month, today=org.today)
        deadlines = [e for e in year.entries if e.is_deadline]
        assert sorted((e.date, e.title, e.body_name, e.kind) for e in deadlines) == [
            (soon, "Notice of the contract: Aula-kontrakten", "IT-sikkerhedsgruppen", "deadline"),
            (soon, "Risk assessment: Fasit", "IT-sikkerhedsgruppen", "deadline"),
        ]
        assert all(e.activity is None and e.uid.startswith("aarshjul-frist-") for e in deadlines)
        assert len({e.uid for e in deadlines}) == 2
        # only with the kind deadline, and only of the body chosen
        assert not [
            e
            for e in wheel.wheel_year(soon.year, soon.month, kind="meeting").entries
            if e.is_deadline
        ]
        chosen = wheel.wheel_year(soon.year, soon.month, body=org.steering.pk, today=org.today)
        assert not [e for e in chosen.entries if e.is_deadline]
        # a year before has none of them
        earlier = wheel.wheel_year(soon.year - 2, soon.month, today=org.today)
        assert not [e for e in earlier.entries if e.is_deadline]


def test_the_wheel_page_and_its_api_show_the_deadlines(client, english, org):
    soon = org.today + datetime.timedelta(days=40)
    with scopes_disabled():
        factories.contract(
            org.m,
            "Aula-kontrakten",
            usages=[org.aula],
            start=datetime.date(2020, 1, 1),
            end=add_months(soon, 6),
            notice_months=6,
        )
    client.force_login(org.users[Role.READER])
    query = {"aar": soon.year, "foerste": soon.month}
    assert "Aula-kontrakten" in client.get(reverse("planning:wheel"), query).content.decode()
    ics = b"".join(client.get(reverse("planning:wheel_ics"), query))
    assert b"Aula-kontrakten" in ics
    api = client.get("/api/v1/wheel/", {"year": soon.year, "first_month": soon.month})
    assert api.status_code == 200
    deadlines = [e for e in api.json()["occurrences"] if e["deadline"]]
    assert [e["title"] for e in deadlines] == ["Notice of the contract: Aula-kontrakten"]
    assert deadlines[0]["kind"] == "deadline" and deadlines[0]["activity"] is None
