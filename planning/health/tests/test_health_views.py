"""The governance health page (/styringssundhed/) and its API (/api/v1/governance-health/):
filters, bad input, closed follow-ups, permissions and tenancy."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from core.models import Role
from meetings.models import Meeting, MeetingState
from organisation.models import MembershipRole
from tests import factories

URL = "/styringssundhed/"
API = "/api/v1/governance-health/"


@pytest.fixture
def data(municipality, other_municipality, users):
    """A body behind its cadence chaired by MEMBER's person, an overdue follow-up of a closed
    item and a late project, and a body of the other municipality."""
    today = timezone.localdate()
    with scopes_disabled():
        unit = factories.unit(municipality, "Digitalisering")
        chair = factories.person(
            municipality, "Tonny Chef", "chef", unit=unit, user=users[Role.MEMBER]
        )
        steering = factories.body(municipality, "Styregruppen", meetings_per_year=52)
        factories.membership(chair, steering, role=MembershipRole.CHAIR)
        held = factories.meeting(
            steering, today - datetime.timedelta(days=400), state=MeetingState.MINUTES_DRAFT
        )
        item = factories.item(held, "Personalesag", closed=True, closed_reason="Fortroligt")
        Meeting.objects.filter(pk=held.pk).update(state=MeetingState.MINUTES_APPROVED)
        factories.follow_up(
            steering,
            owner=chair,
            item=item,
            due_date=today - datetime.timedelta(days=3),
            description="HEMMELIG opfølgning",
        )
        factories.project(
            municipality, "Sent projekt", start_date=today - datetime.timedelta(days=200)
        )
        factories.body(other_municipality, "ANDEN KOMMUNES GRUPPE", meetings_per_year=4)
    return {"steering": steering, "today": today}


def test_the_page_shows_sections_counts_and_the_bodies_table(client, users, data, english):
    client.force_login(users[Role.READER])
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    year = data["today"].year
    assert f"Governance health {year}" in html
    assert f"Meetings and composition of the bodies in {year}" in html
    assert 'href="#cadence"' in html and 'id="cadence"' in html
    assert "Styregruppen" in html and "Behind" in html
    assert "Sent projekt" in html and "See the reports" in html
    assert "ANDEN KOMMUNES GRUPPE" not in html
    # the year selector offers this year, selected, also when only "mine" is asked for
    assert f'<option value="{year}" selected>{year}</option>' in html
    html = client.get(URL + "?mine=1").content.decode()
    assert f'<option value="{year}" selected>{year}</option>' in html
    assert "Some filters are not valid" not in html


def test_a_closed_items_follow_up_shows_no_text_to_a_reader(client, users, data, english):
    client.force_login(users[Role.READER])
    html = client.get(URL).content.decode()
    assert "HEMMELIG" not in html
    assert "A follow-up of a closed item." in html
    client.force_login(users[Role.MEMBER])
    html = client.get(URL).content.decode()
    assert "HEMMELIG opfølgning" in html


def test_only_what_i_can_act_on(client, users, data, english):
    client.force_login(users[Role.READER])
    html = client.get(URL + "?mine=1").content.decode()
    assert "Nothing that you can act on breaks a rule." in html
    assert "Sent projekt" not in html
    client.force_login(users[Role.MEMBER])  # chairs the steering group, owns the follow-up
    html = client.get(URL + "?mine=1").content.decode()
    assert "Styregruppen" in html and "HEMMELIG opfølgning" in html
    assert "Sent projekt" not in html
    assert "that you can act on" in html


def test_another_year(client, users, data, english):
    client.force_login(users[Role.READER])
    year = data["today"].year - 1
    html = client.get(URL + f"?aar={year}").content.decode()
    assert f"Governance health {year}" in html
    assert f"Expected by 31-12-{year}" in html


@pytest.mark.parametrize("query", ["?aar=1800", "?aar=abc", f"?aar={timezone.now().year + 5}"])
def test_a_bad_year_is_refused_with_a_message_and_this_year_is_shown(
    client, users, data, english, query
):
    client.force_login(users[Role.READER])
    response = client.get(URL + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Some filters are not valid and were not used." in html
    assert f"Governance health {data['today'].year}" in html


def test_the_page_needs_a_login(client, data):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/konto/login/")


# --- API ---------------------------------------------------------------------------------------


def test_the_api_answers_the_findings_of_the_year(client, users, data, english):
    client.force_login(users[Role.READER])
    response = client.get(API)
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == data["today"].year and body["mine"] is False
    [row] = body["bodies"]
    assert row["name"] == "Styregruppen" and row["cadence"] == "behind"
    groups = {g["check"]: g for g in body["groups"]}
    assert list(groups) == [
        "cadence",
        "composition",
        "report_late",
        "benefit_overdue",
        "benefit_no_owner",
        "benefit_no_target",
        "follow_up_overdue",
        "follow_up_incomplete",
        "plan",
        "system_duty",
    ]
    assert groups["report_late"]["count"] == 1
    assert groups["report_late"]["findings"][0]["subject"] == "Sent projekt"
    [follow_up] = groups["follow_up_overdue"]["findings"]
    assert follow_up["message"] == "A follow-up of a closed item."
    assert "HEMMELIG" not in response.content.decode()
    assert "ANDEN KOMMUNES GRUPPE" not in response.content.decode()
    assert body["count"] == sum(g["count"] for g in body["groups"])


def test_the_api_filters_by_year_mine_and_limit(client, users, data, english):
    client.force_login(users[Role.MEMBER])
    year = data["today"].year - 1
    body = client.get(API + f"?year={year}&mine=1&limit=0").json()
    assert body["year"] == year and body["mine"] is True
    groups = {g["check"]: g for g in body["groups"]}
    assert groups["follow_up_overdue"]["count"] == 1 and groups["report_late"]["count"] == 0
    assert groups["report_late"]["all_count"] == 1
    assert all(g["findings"] == [] for g in body["groups"])
    body = client.get(API + "?mine=1").json()
    assert "HEMMELIG opfølgning" in str(body["groups"])  # a member reads the closed item


@pytest.mark.parametrize(
    "query, field",
    [
        ("?year=abc", "year"),
        ("?year=1800", "year"),
        ("?mine=kanske", "mine"),
        ("?limit=-1", "limit"),
        ("?limit=501", "limit"),
    ],
)
def test_bad_input_to_the_api_is_400(client, users, data, query, field):
    client.force_login(users[Role.READER])
    response = client.get(API + query)
    assert response.status_code == 400
    assert field in response.json()


def test_the_api_is_read_only_and_needs_a_login(client, users, data):
    assert client.get(API).status_code in {401, 403}
    client.force_login(users[Role.ADMINISTRATOR])
    assert client.post(API, {}, content_type="application/json").status_code == 405
    assert client.delete(API).status_code == 405
    client.force_login(users[Role.READER])
    assert client.post(API, {}, content_type="application/json").status_code == 403


def test_the_other_municipality_sees_only_its_own(client, users, data):
    client.force_login(users["outsider"])
    body = client.get(API).json()
    assert [row["name"] for row in body["bodies"]] == ["ANDEN KOMMUNES GRUPPE"]
    html = client.get(URL).content.decode()
    assert "Styregruppen" not in html and "ANDEN KOMMUNES GRUPPE" in html
