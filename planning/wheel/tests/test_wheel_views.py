"""The annual wheel's pages, exports, API and demo: the picture and the list, the activity
form with its preview and "never occurs", deleting, the first month, iCal, PDF, who may."""

import datetime
import subprocess
from types import SimpleNamespace

import icalendar
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from core.models import Municipality, Role
from meetings.models import MeetingState
from planning.models import ActivityKind, Frequency, WheelActivity
from tests import factories

D = datetime.date
TU = 1
NEVER = "The recurrence never occurs"
SECRET = "SECRET-of-the-other-municipality"

pytestmark = pytest.mark.usefixtures("english")

WHEEL = reverse("planning:wheel")
LIST = reverse("planning:activity_list")
CREATE = reverse("planning:activity_create")
PREVIEW = reverse("planning:activity_preview")
SETTINGS = reverse("planning:wheel_settings")
ICS = reverse("planning:wheel_ics")
PDF = reverse("planning:wheel_pdf")


@pytest.fixture
def w(municipality, other_municipality, users):
    """A steering group with quarterly meetings planned (first Tuesday of March, June,
    September, December from 2024), two of them held; a yearly budget month of the whole
    organisation; the other municipality's mirror marked SECRET."""
    o = SimpleNamespace(m=municipality)
    with scopes_disabled():
        o.steering = factories.body(municipality, "Styregruppen")
        o.person = factories.person(municipality, "Tonny Olsen", "chef")
        o.meetings = factories.wheel_activity(
            municipality,
            "Styregruppemøde",
            body=o.steering,
            kind=ActivityKind.MEETING,
            frequency=Frequency.NTH_WEEKDAY,
            interval=3,
            weekday=TU,
            week_of_month=1,
            month=None,
            day=None,
            starts_on=D(2024, 3, 1),
            responsible=o.person,
        )
        o.budget = factories.wheel_activity(
            municipality,
            "Budgetproces",
            kind=ActivityKind.BUDGET,
            month=5,
            day=None,
            description="Budgettet lægges.",
        )
        o.held = factories.meeting(
            o.steering, D(2024, 6, 6), state=MeetingState.HELD, title="Styregruppemøde 2/2024"
        )
        o.foreign_body = factories.body(other_municipality, SECRET)
        o.foreign = factories.wheel_activity(
            other_municipality, SECRET, body=o.foreign_body, month=5, day=2
        )
        factories.meeting(o.foreign_body, D(2024, 6, 5), title=SECRET)
    return o


def login(client, users, role=Role.ADMINISTRATOR):
    client.force_login(users[role])
    return client


def count() -> int:
    with scopes_disabled():
        return WheelActivity.objects.count()


def form_data(**fields) -> dict:
    data = {
        "title": "Dialogmøde med Skole og Dagtilbud",
        "body": "",
        "kind": ActivityKind.DIALOGUE,
        "description": "",
        "responsible": "",
        "frequency": Frequency.NTH_WEEKDAY,
        "interval": "6",
        "month": "",
        "day": "",
        "weekday": "2",
        "week_of_month": "-1",
        "starts_on": "2026-04-01",
        "ends_on": "",
        "active": "on",
    }
    data.update(fields)
    return data


# --- The wheel page ------------------------------------------------------------------------------


def test_the_wheel_shows_the_picture_the_list_and_the_merged_meetings(client, users, w):
    response = login(client, users, Role.READER).get(WHEEL + "?aar=2024")
    assert response.status_code == 200
    html = response.content.decode()
    assert SECRET not in html
    assert '<g class="wheel-drawing" role="img" aria-labelledby="wheel-title wheel-desc">' in html
    assert '<title id="wheel-title">Annual wheel 2024</title>' in html
    assert '<desc id="wheel-desc">A circle with 2 rings' in html
    year = response.context["year"]
    # March, the meeting held on 6 June instead of the planned 4 June, September, December,
    # and May as a whole month.
    assert [(e.date, e.title) for e in year.entries] == [
        (D(2024, 3, 5), "Styregruppemøde"),
        (D(2024, 5, 1), "Budgetproces"),
        (D(2024, 6, 6), "Styregruppemøde 2/2024"),
        (D(2024, 9, 3), "Styregruppemøde"),
        (D(2024, 12, 3), "Styregruppemøde"),
    ]
    # Each marker links to its activity or its meeting; the list says what the meeting was
    # planned as.
    assert f'href="/moeder/{w.held.pk}/"' in html
    assert f'href="/aarshjul/aktiviteter/{w.meetings.pk}/"' in html
    assert html.count('class="wheel-link"') == 5
    assert "Planned as: Styregruppemøde" in html
    assert '<th scope="rowgroup" colspan="4">June 2024</th>' in html
    assert "The whole month" in html
    # The legend names the rings, outermost first.
    legend = html[
        html.index('class="wheel-rings"') : html.index("</ol>", html.index('class="wheel-rings"'))
    ]
    assert legend.index("The whole organisation") < legend.index("Styregruppen")
    # Readers get no editing links.
    assert CREATE not in html and SETTINGS not in html


def test_past_its_ring_limit_the_page_says_which_bodies_it_left_out(client, users, w, monkeypatch):
    """The page and the PDF draw at most MAX_RINGS rings and say so; the calendar file and a
    chosen body have every entry of theirs."""
    from planning.wheel import services as wheel_services

    monkeypatch.setattr(wheel_services, "MAX_RINGS", 1)
    client = login(client, users, Role.READER)
    html = client.get(WHEEL + "?aar=2024").content.decode()
    assert "1 rings. 1 more bodies with 4 entries in all are left out" in html
    assert "Budgetproces" in html and "Styregruppemøde 2/2024" not in html
    html = client.get(WHEEL + f"?aar=2024&organ={w.steering.pk}").content.decode()
    assert "left out" not in html and "Styregruppemøde 2/2024" in html
    calendar = icalendar.Calendar.from_ical(client.get(ICS + "?aar=2024").content)
    assert "Styregruppemøde 2/2024 (Styregruppen)" in {
        str(e["SUMMARY"]) for e in calendar.walk("VEVENT")
    }


def test_the_first_month_defaults_to_the_municipality_and_can_be_chosen(client, users, w):
    with scopes_disabled():
        Municipality.objects.filter(pk=w.m.pk).update(wheel_first_month=8)
    response = login(client, users).get(WHEEL)
    year = response.context["year"]
    today = timezone.localdate()
    assert year.first_month == 8
    assert year.start == D(today.year if today.month >= 8 else today.year - 1, 8, 1)
    assert year.today_in_year and 'class="wheel-today"' in response.content.decode()
    response = client.get(WHEEL + "?aar=2024&foerste=3")
    year = response.context["year"]
    assert (year.start, year.end, year.label) == (D(2024, 3, 1), D(2025, 2, 28), "2024/25")
    assert year.months[0].label == "March 2024"
    labels = [label for _x, _y, label in response.context["picture"].month_labels]
    assert labels[:2] == ["March", "April"] and labels[-1] == "February"
    # Writers get the links to change the wheel.
    html = response.content.decode()
    assert CREATE in html and SETTINGS in html


def test_filters_body_kind_and_bad_values(client, users, w):
    client = login(client, users)
    response = client.get(WHEEL + f"?aar=2024&organ={w.steering.pk}&type=meeting")
    assert [e.title for e in response.context["year"].entries] == [
        "Styregruppemøde",
        "Styregruppemøde 2/2024",
        "Styregruppemøde",
        "Styregruppemøde",
    ]
    response = client.get(WHEEL + "?aar=2024&organ=hele")
    assert [e.title for e in response.context["year"].entries] == ["Budgetproces"]
    # A body of the other municipality is no choice: the filter is ignored, with a message.
    response = client.get(WHEEL + f"?aar=2024&organ={w.foreign_body.pk}&foerste=13&aar=x")
    assert response.status_code == 200
    assert "Some filters are not valid and were not used." in response.content.decode()
    assert SECRET not in response.content.decode()
    # The exports keep the filters.
    response = client.get(WHEEL + "?aar=2024&organ=hele")
    assert f"{PDF}?aar=2024&amp;organ=hele" in response.content.decode()


def test_the_year_field_shows_the_year_shown(client, users, w):
    """No year chosen: the field shows the year the wheel shows, not an empty box."""
    client = login(client, users)
    response = client.get(WHEEL)
    shown = response.context["form"].year()
    assert shown in {timezone.localdate().year, timezone.localdate().year - 1}
    assert f'name="aar" value="{shown}"' in response.content.decode()
    html = client.get(WHEEL + f"?organ={w.steering.pk}").content.decode()
    assert f'name="aar" value="{shown}"' in html
    html = client.get(WHEEL + "?aar=2024").content.decode()
    assert 'name="aar" value="2024"' in html


# --- Activities ----------------------------------------------------------------------------------


def test_the_activity_list_and_card(client, users, w):
    client = login(client, users, Role.READER)
    response = client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200 and SECRET not in html
    assert "The first Tuesday every 3 months" in html
    assert "Yearly in May (the whole month)" in html
    assert reverse("planning:activity_edit", args=[w.meetings.pk]) not in html  # a reader
    response = client.get(reverse("planning:activity_detail", args=[w.meetings.pk]))
    assert response.status_code == 200
    upcoming = response.context["upcoming"]
    assert len(upcoming) == 10 and upcoming[0] >= timezone.localdate()
    assert all(d.weekday() == TU and d.day <= 7 for d in upcoming)
    assert client.get(reverse("planning:activity_detail", args=[w.foreign.pk])).status_code == 404


def test_the_activity_card_in_danish_says_active_in_the_singular(client, users, w):
    client = login(client, users, Role.READER)
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    with translation.override("da"):
        response = client.get(reverse("planning:activity_detail", args=[w.meetings.pk]))
    html = response.content.decode()
    assert "<dt>Aktiv</dt><dd>Ja</dd>" in html and "<dt>Aktive</dt>" not in html


def test_a_writer_adds_an_activity(client, users, w):
    client = login(client, users, Role.SECRETARY)
    assert client.get(CREATE).status_code == 200
    response = client.post(
        CREATE, form_data(body=str(w.steering.pk), responsible=str(w.person.pk), month="4", day="9")
    )
    with scopes_disabled():
        activity = WheelActivity.objects.get(title="Dialogmøde med Skole og Dagtilbud")
        assert activity.history.count() == 1
        assert activity.history.first().history_user == users[Role.SECRETARY]
    assert response.status_code == 302
    assert response["Location"] == reverse("planning:activity_detail", args=[activity.pk])
    assert (activity.frequency, activity.interval, activity.weekday, activity.week_of_month) == (
        Frequency.NTH_WEEKDAY,
        6,
        2,
        -1,
    )
    # The month and the day the nth weekday does not use were emptied.
    assert (activity.month, activity.day, activity.body, activity.responsible) == (
        None,
        None,
        w.steering,
        w.person,
    )


def test_a_recurrence_that_never_occurs_is_refused_and_nothing_saved(client, users, w):
    client = login(client, users)
    before = count()
    response = client.post(CREATE, form_data(frequency=Frequency.YEARLY, month="2", day="30"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "The form has errors. Nothing was saved." in html
    assert NEVER in html and "no date from 01-04-2026 to 01-04-2036" in html
    assert count() == before
    # Editing an existing activity into one that never occurs leaves it as it was.
    edit = reverse("planning:activity_edit", args=[w.budget.pk])
    response = client.post(
        edit,
        form_data(
            title="Budgetproces",
            frequency=Frequency.MONTHLY,
            interval="12",
            day="31",
            starts_on="2026-02-01",
        ),
    )
    assert response.status_code == 422 and NEVER in response.content.decode()
    with scopes_disabled():
        w.budget.refresh_from_db()
    assert (w.budget.frequency, w.budget.month, w.budget.day) == (Frequency.YEARLY, 5, None)


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"weekday": ""}, "weekday", "Choose the weekday and the week of the month."),
        ({"week_of_month": ""}, "week_of_month", "Choose the weekday and the week of the month."),
        ({"frequency": Frequency.MONTHLY}, "day", "Choose the day of the month."),
        ({"frequency": Frequency.YEARLY}, "month", "Choose the month."),
        (
            {"frequency": Frequency.QUARTERLY, "day": "3"},
            "month",
            "Choose the month of the first quarter.",
        ),
        (
            {"week_of_month": "5"},
            "week_of_month",
            "Select a valid choice. 5 is not one of the available choices.",
        ),
        ({"interval": "0"}, "interval", "Ensure this value is greater than or equal to 1."),
        (
            {"frequency": Frequency.YEARLY, "month": "13"},
            "month",
            "Ensure this value is less than or equal to 12.",
        ),
        ({"starts_on": ""}, "starts_on", "This field is required."),
        ({"ends_on": "2026-03-01"}, "ends_on", "The end is before the start."),
        ({"title": ""}, "title", "This field is required."),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(client, users, w, fields, field, message):
    client = login(client, users)
    before = count()
    response = client.post(CREATE, form_data(**fields))
    assert response.status_code == 422
    assert message in response.context["form"].errors[field]
    assert count() == before


def test_a_body_of_another_municipality_is_refused(client, users, w):
    client = login(client, users)
    before = count()
    response = client.post(CREATE, form_data(body=str(w.foreign_body.pk)))
    assert response.status_code == 422
    assert "body" in response.context["form"].errors
    assert count() == before


def test_editing_to_once_empties_the_recurrence_fields(client, users, w):
    client = login(client, users)
    edit = reverse("planning:activity_edit", args=[w.meetings.pk])
    response = client.get(edit)
    assert response.status_code == 200
    html = response.content.decode()
    # Every recurrence field is there, each saying which repetitions use it (the CSS hides
    # the others); the current next dates are shown.
    assert 'data-for="weekly nth_weekday"' in html and 'data-for="monthly quarterly yearly"' in html
    assert response.context["preview"]["dates"]
    response = client.post(
        edit,
        form_data(
            title="Styregruppemøde",
            kind="meeting",
            body=str(w.steering.pk),
            frequency=Frequency.ONCE,
            starts_on="2026-12-01",
        ),
    )
    assert response.status_code == 302
    with scopes_disabled():
        w.meetings.refresh_from_db()
    assert (
        w.meetings.frequency,
        w.meetings.interval,
        w.meetings.weekday,
        w.meetings.week_of_month,
    ) == (Frequency.ONCE, 1, None, None)


def test_the_preview_shows_the_next_dates(client, users, w):
    client = login(client, users)
    future = timezone.localdate().year + 1
    params = {
        "frequency": Frequency.NTH_WEEKDAY,
        "interval": "1",
        "weekday": "4",
        "week_of_month": "-1",
        "starts_on": f"{future}-01-01",
    }
    response = client.get(PREVIEW, params, headers={"HX-Request": "true"})
    assert response.status_code == 200
    dates = response.context["preview"]["dates"]
    assert len(dates) == 6 and dates[0].month == 1 and dates[0].year == future
    assert all(
        d.weekday() == 4 and (d + datetime.timedelta(days=7)).month != d.month for d in dates
    )
    assert "The last Friday of every month" in response.content.decode()
    response = client.get(
        PREVIEW, {**params, "frequency": Frequency.YEARLY, "month": "2", "day": "31"}
    )
    assert NEVER in response.content.decode()
    response = client.get(PREVIEW, {**params, "weekday": ""})
    assert "Choose the weekday and the week of the month." in response.content.decode()
    assert "Choose how the activity repeats" in client.get(PREVIEW).content.decode()
    assert client.post(PREVIEW, params).status_code == 405
    assert login(client, users, Role.READER).get(PREVIEW, params).status_code == 403


def test_the_preview_button_works_without_javascript_and_saves_nothing(client, users, w):
    client = login(client, users)
    before = count()
    response = client.post(CREATE, {**form_data(title=""), "preview": "1"})
    assert response.status_code == 200
    assert count() == before
    html = response.content.decode()
    assert "The last Wednesday every 6 months" in html
    assert "The form has errors" not in html
    assert response.context["preview"]["dates"][0].weekday() == 2
    # What was typed is still in the form.
    assert 'value="-1" selected' in html


def test_delete_asks_first(client, users, w):
    client = login(client, users, Role.SECRETARY)
    url = reverse("planning:activity_delete", args=[w.budget.pk])
    response = client.get(url)
    assert response.status_code == 200 and "Delete the activity" in response.content.decode()
    assert count() == 3  # two here, one in the other municipality
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == LIST
    with scopes_disabled():
        assert not WheelActivity.objects.filter(pk=w.budget.pk).exists()
        assert WheelActivity.history.filter(id=w.budget.pk, history_type="-").exists()
    assert client.post(reverse("planning:activity_delete", args=[w.foreign.pk])).status_code == 404
    reader = login(client, users, Role.READER)
    assert reader.post(reverse("planning:activity_delete", args=[w.meetings.pk])).status_code == 403
    assert count() == 2  # this one and the other municipality's


def test_the_first_month_setting(client, users, w):
    client = login(client, users, Role.SECRETARY)
    response = client.get(SETTINGS)
    assert response.status_code == 200 and "August" in response.content.decode()
    response = client.post(SETTINGS, {"wheel_first_month": "13"})
    assert response.status_code == 422
    with scopes_disabled():
        assert Municipality.objects.get(pk=w.m.pk).wheel_first_month == 1
    response = client.post(SETTINGS, {"wheel_first_month": "8"})
    assert response.status_code == 302 and response["Location"] == WHEEL
    with scopes_disabled():
        municipality = Municipality.objects.get(pk=w.m.pk)
        assert municipality.wheel_first_month == 8
        assert municipality.history.first().history_user == users[Role.SECRETARY]
    assert client.get(WHEEL).context["year"].first_month == 8
    reader = login(client, users, Role.READER)
    assert reader.post(SETTINGS, {"wheel_first_month": "3"}).status_code == 403
    with scopes_disabled():
        assert Municipality.objects.get(pk=w.m.pk).wheel_first_month == 8


# --- iCal and PDF --------------------------------------------------------------------------------


def test_ical_has_one_event_per_date_with_stable_uids(client, users, w):
    client = login(client, users, Role.READER)
    response = client.get(ICS + "?aar=2024")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "aarshjul-2024.ics" in response["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [
        "Styregruppemøde (Styregruppen)",
        "Budgetproces (The whole organisation)",
        "Styregruppemøde 2/2024 (Styregruppen)",
        "Styregruppemøde (Styregruppen)",
        "Styregruppemøde (Styregruppen)",
    ]
    budget = events[1]
    # A month-long activity is a whole-day event over the whole month.
    assert budget["dtstart"].dt == D(2024, 5, 1) and budget["dtend"].dt == D(2024, 6, 1)
    assert (
        budget["dtstart"].params.get("VALUE") == "DATE"
        or isinstance(budget["dtstart"].dt, datetime.date)
        and not isinstance(budget["dtstart"].dt, datetime.datetime)
    )
    assert "Budgettet lægges." in str(budget["description"])
    meeting = events[2]
    assert meeting["dtstart"].dt == D(2024, 6, 6) and meeting["dtend"].dt == D(2024, 6, 7)
    assert str(meeting["uid"]) == f"aarshjul-moede-{w.held.uid}@digistyr"
    assert "Planned as: Styregruppemøde" in str(meeting["description"])
    assert str(events[0]["uid"]) == f"aarshjul-{w.meetings.pk}-20240305@digistyr"
    uids = [str(e["uid"]) for e in events]
    again = icalendar.Calendar.from_ical(client.get(ICS + "?aar=2024").content)
    assert [str(e["uid"]) for e in again.walk("VEVENT")] == uids
    assert len(set(uids)) == len(uids)
    assert SECRET.encode() not in response.content
    # The filters hold.
    only = icalendar.Calendar.from_ical(client.get(ICS + "?aar=2024&type=budget").content)
    assert [str(e["summary"]) for e in only.walk("VEVENT")] == [
        "Budgetproces (The whole organisation)"
    ]


@pytest.mark.documents
def test_pdf_has_the_picture_and_the_list(client, users, w, tmp_path):
    response = login(client, users, Role.READER).get(PDF + "?aar=2024&foerste=3")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "aarshjul-2024-25.pdf" in response["Content-Disposition"]
    path = tmp_path / "wheel.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Annual wheel 2024/25" in text
    assert "2/2024" in text and "Planned as:" in text
    assert "March 2024" in text and "February 2025" in text
    assert "Rings, from the outside in" in text
    assert SECRET not in text


# --- API -----------------------------------------------------------------------------------------


@pytest.fixture
def api(users):
    def make(role=Role.ADMINISTRATOR):
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        key = factories.api_key(users[role])
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


ACTIVITIES = "/api/v1/wheel-activities/"


def api_data(**fields) -> dict:
    data = {
        "title": "Project Board-møde",
        "kind": "meeting",
        "frequency": "weekly",
        "interval": 2,
        "weekday": 1,
        "starts_on": "2026-01-06",
        "month": 4,
        "day": 9,
    }
    data.update(fields)
    return data


def test_api_lists_and_creates_activities(api, w):
    response = api(Role.READER).get(ACTIVITIES)
    assert response.status_code == 200
    titles = [row["title"] for row in response.json()["results"]]
    assert sorted(titles) == ["Budgetproces", "Styregruppemøde"]
    row = next(r for r in response.json()["results"] if r["title"] == "Styregruppemøde")
    assert row["recurrence"] == "The first Tuesday every 3 months"
    assert SECRET not in response.content.decode()
    response = api(Role.READER).get(ACTIVITIES, {"whole_organisation": "true"})
    assert [r["title"] for r in response.json()["results"]] == ["Budgetproces"]
    assert api(Role.READER).get(ACTIVITIES, {"kind": "nonsense"}).status_code == 400

    response = api(Role.SECRETARY).post(ACTIVITIES, api_data(body=w.steering.pk), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    # The month and day an every-N-weeks activity does not use are emptied.
    assert (body["month"], body["day"], body["recurrence"]) == (
        None,
        None,
        "Every 2 weeks on Tuesday",
    )
    assert api(Role.READER).post(ACTIVITIES, api_data(), format="json").status_code == 403
    assert api(Role.ADMINISTRATOR).get(f"{ACTIVITIES}{w.foreign.pk}/").status_code == 404


@pytest.mark.parametrize(
    "fields, key, message",
    [
        ({"frequency": "yearly", "month": 2, "day": 31}, "non_field_errors", NEVER),
        (
            {"frequency": "monthly", "interval": 12, "day": 31, "starts_on": "2026-02-01"},
            "non_field_errors",
            NEVER,
        ),
        (
            {"frequency": "nth_weekday", "weekday": None},
            "weekday",
            "Choose the weekday and the week of the month.",
        ),
        (
            {"frequency": "quarterly", "month": None},
            "month",
            "Choose the month of the first quarter.",
        ),
        ({"week_of_month": 7}, "week_of_month", "is not a valid choice"),
        ({"ends_on": "2025-01-01"}, "ends_on", "The end is before the start."),
        ({"starts_on": "9999-01-01"}, "starts_on", "Give a date from 1900 to 2999."),
    ],
)
def test_api_refuses_bad_recurrences_and_writes_nothing(api, w, fields, key, message):
    before = count()
    response = api().post(ACTIVITIES, api_data(**fields), format="json")
    assert response.status_code == 400
    assert any(message in text for text in response.json()[key]), response.json()
    assert count() == before


def test_api_update_runs_the_same_rules(api, w):
    url = f"{ACTIVITIES}{w.budget.pk}/"
    response = api().patch(url, {"day": 31, "month": 2}, format="json")
    assert response.status_code == 400
    assert NEVER in response.json()["non_field_errors"][0]
    with scopes_disabled():
        w.budget.refresh_from_db()
    assert (w.budget.month, w.budget.day) == (5, None)
    response = api().patch(url, {"day": 12}, format="json")
    assert response.status_code == 200
    assert response.json()["recurrence"] == "Yearly on 12 May"
    response = api().patch(url, {"body": w.foreign_body.pk}, format="json")
    assert response.status_code == 400 and "body" in response.json()
    assert api(Role.MEMBER).patch(url, {"day": 3}, format="json").status_code == 403
    assert api().delete(url).status_code == 204
    assert api().delete(f"{ACTIVITIES}{w.foreign.pk}/").status_code == 404


def test_api_wheel_year_merges_the_meetings(api, w):
    response = api(Role.READER).get("/api/v1/wheel/", {"year": 2024, "first_month": 3})
    assert response.status_code == 200
    data = response.json()
    assert (data["start"], data["end"], data["label"]) == ("2024-03-01", "2025-02-28", "2024/25")
    assert [r["name"] for r in data["rings"]] == ["The whole organisation", "Styregruppen"]
    held = next(o for o in data["occurrences"] if o["meeting"] == w.held.pk)
    assert held["planned_activity"] == w.meetings.pk and held["ring"] == 2
    assert [o["date"] for o in data["occurrences"] if o["activity"] == w.meetings.pk] == [
        "2024-03-05",
        "2024-09-03",
        "2024-12-03",
    ]
    budget = next(o for o in data["occurrences"] if o["activity"] == w.budget.pk)
    assert (budget["whole_month"], budget["last"], budget["body"]) == (True, "2024-05-31", None)
    assert SECRET not in response.content.decode()
    only = api().get("/api/v1/wheel/", {"year": 2024, "kind": "budget"}).json()
    assert [o["title"] for o in only["occurrences"]] == ["Budgetproces"]
    for bad in ({"year": "x"}, {"year": 99999}, {"first_month": 13}, {"kind": "x"}):
        assert api().get("/api/v1/wheel/", bad).status_code == 400
    assert api().post("/api/v1/wheel/", {}).status_code == 405


# --- Demo ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_wheel_is_idempotent_and_from_the_seeds():
    from meetings import demo_year
    from organisation import demo
    from planning.wheel import demo as demo_wheel
    from planning.wheel import services as wheel_module

    demo.load()
    with scopes_disabled():
        norddjurs = Municipality.objects.get(slug="norddjurs")
        vest = Municipality.objects.get(slug="demokommune-vest")
    demo_year.load_year(norddjurs)
    first = demo_wheel.load(norddjurs)
    assert first == {"created": 18, "updated": 0}
    assert demo_wheel.load(norddjurs) == {"created": 0, "updated": 0}
    assert demo_wheel.load(vest) == {}
    with scopes_disabled():
        titles = set(
            WheelActivity.objects.filter(municipality=norddjurs).values_list("title", flat=True)
        )
        invented = WheelActivity.objects.filter(municipality=norddjurs).exclude(
            description__contains="(demo)"
        )
        assert not invented.exists()
        dialogues = WheelActivity.objects.filter(municipality=norddjurs, kind=ActivityKind.DIALOGUE)
        assert dialogues.count() == 7 and all(a.interval == 6 for a in dialogues)
    assert {
        "Møde i styregruppen",
        "Møde i programgruppen",
        "Internt digitaliseringsseminar",
        "Indsatsplan: godkendelse",
        "Vurdering af informationssikkerhedspolitikken",
        "Databeskyttelsesrådgiverens årsrapport",
        "Budgetprocessen",
        "Project Board-møde",
    } <= titles
    from django_scopes import scope

    with scope(municipality=norddjurs.pk):
        # the demo meetings' year: the one before today (core.demo_clock)
        year = wheel_module.wheel_year(timezone.localdate().year - 1, 1)
    meetings = [
        (e.date, e.body_name)
        for e in year.entries
        if e.kind == ActivityKind.MEETING and e.is_meeting and e.planned is not None
    ]
    # The programme group meets before the steering group in every quarter, and every real
    # meeting of theirs that year replaced its planned date.
    programme = sorted(d for d, b in meetings if b == demo_wheel.PROGRAMME)
    steering = sorted(d for d, b in meetings if b == demo_wheel.STEERING)
    assert len(programme) == 4 and len(steering) >= 4
    assert all(p < s for p, s in zip(programme, steering[:4], strict=True))
    planned_left = [
        e
        for e in year.entries
        if e.activity is not None
        and e.activity.title in ("Møde i styregruppen", "Møde i programgruppen")
    ]
    assert planned_left == []
    board = [e for e in year.entries if e.body_name == demo_wheel.PROJECT_BOARD]
    assert len(board) in (26, 27) and all(e.date.weekday() == TU for e in board)
