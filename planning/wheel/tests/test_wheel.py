"""The annual wheel's rules (planning.wheel.services): recurrences into dates, the fields each
frequency needs, a recurrence that never occurs, the wheel year with the real meetings merged
in, the first month, and the picture's geometry."""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from meetings.models import MeetingState
from planning.models import ActivityKind, Frequency, WheelActivity
from planning.wheel import services as wheel
from tests import factories

D = datetime.date
TU, FR = 1, 4

pytestmark = pytest.mark.usefixtures("english")


def activity(**fields) -> WheelActivity:
    values = {
        "title": "Aktivitet",
        "frequency": Frequency.YEARLY,
        "interval": 1,
        "starts_on": D(2024, 1, 1),
    }
    values.update(fields)
    return WheelActivity(**values)


def in_2024(a: WheelActivity) -> list:
    return wheel.dates(a, D(2024, 1, 1), D(2024, 12, 31))


def errors_of(a: WheelActivity) -> dict:
    with pytest.raises(ValidationError) as caught:
        wheel.check(a)
    return caught.value.message_dict


# --- Recurrence ----------------------------------------------------------------------------------


def test_once_is_the_start_date_only():
    a = activity(frequency=Frequency.ONCE, starts_on=D(2024, 6, 12))
    assert in_2024(a) == [D(2024, 6, 12)]
    assert wheel.dates(a, D(2025, 1, 1), D(2025, 12, 31)) == []


def test_every_n_weeks_on_a_weekday():
    # The Project Board every 14 days, on Tuesdays, from Tuesday 2 January 2024.
    a = activity(frequency=Frequency.WEEKLY, interval=2, weekday=TU, starts_on=D(2024, 1, 2))
    days = in_2024(a)
    assert days[:3] == [D(2024, 1, 2), D(2024, 1, 16), D(2024, 1, 30)]
    assert all(d.weekday() == TU for d in days)
    assert all((b - a_).days == 14 for a_, b in zip(days, days[1:], strict=False))
    assert len(days) == 27  # 2 January + 26 × 14 days = 31 December
    # Without a weekday: the weekday of the start (a Wednesday).
    b = activity(frequency=Frequency.WEEKLY, interval=3, starts_on=D(2024, 1, 3))
    assert in_2024(b)[:2] == [D(2024, 1, 3), D(2024, 1, 24)]


def test_monthly_skips_a_month_without_the_day():
    a = activity(frequency=Frequency.MONTHLY, day=31)
    assert [d.month for d in in_2024(a)] == [1, 3, 5, 7, 8, 10, 12]
    # The 29th: in February of a leap year, not of other years.
    b = activity(frequency=Frequency.MONTHLY, day=29)
    assert D(2024, 2, 29) in in_2024(b)
    assert [d.month for d in wheel.dates(b, D(2025, 1, 1), D(2025, 12, 31))] == [
        1,
        3,
        4,
        5,
        6,
        7,
        8,
        9,
        10,
        11,
        12,
    ]


def test_every_n_months_counts_from_the_start():
    a = activity(frequency=Frequency.MONTHLY, interval=2, day=10, starts_on=D(2024, 2, 15))
    # February's 10th is before the start; then every second month from February.
    assert in_2024(a) == [
        D(2024, 4, 10),
        D(2024, 6, 10),
        D(2024, 8, 10),
        D(2024, 10, 10),
        D(2024, 12, 10),
    ]
    # Day 31 every second month from February: February, April, June have no 31st (skipped,
    # as in iCalendar), August does.
    b = activity(frequency=Frequency.MONTHLY, interval=2, day=31, starts_on=D(2024, 2, 1))
    assert in_2024(b) == [D(2024, 8, 31), D(2024, 10, 31), D(2024, 12, 31)]


def test_quarterly_from_the_month_of_the_first_quarter():
    a = activity(frequency=Frequency.QUARTERLY, month=2, day=15)
    assert in_2024(a) == [D(2024, 2, 15), D(2024, 5, 15), D(2024, 8, 15), D(2024, 11, 15)]
    b = activity(frequency=Frequency.QUARTERLY, month=11, day=30)  # Feb has no 30th
    assert in_2024(b) == [D(2024, 5, 30), D(2024, 8, 30), D(2024, 11, 30)]


def test_nth_weekday_every_n_months():
    # The programme group: the third Tuesday of February, May, August and November.
    a = activity(
        frequency=Frequency.NTH_WEEKDAY,
        interval=3,
        weekday=TU,
        week_of_month=3,
        starts_on=D(2024, 2, 1),
    )
    assert in_2024(a) == [D(2024, 2, 20), D(2024, 5, 21), D(2024, 8, 20), D(2024, 11, 19)]


def test_the_last_weekday_of_the_month():
    a = activity(frequency=Frequency.NTH_WEEKDAY, weekday=FR, week_of_month=-1)
    days = in_2024(a)
    assert len(days) == 12
    assert days[1] == D(2024, 2, 23)
    assert days[-1] == D(2024, 12, 27)
    assert all(
        d.weekday() == FR and (d + datetime.timedelta(days=7)).month != d.month for d in days
    )
    # The last Thursday of February in a leap year is the 29th.
    b = activity(frequency=Frequency.NTH_WEEKDAY, weekday=3, week_of_month=-1)
    assert D(2024, 2, 29) in in_2024(b)


def test_yearly_on_29_february_only_in_leap_years():
    a = activity(frequency=Frequency.YEARLY, month=2, day=29, starts_on=D(2023, 1, 1))
    assert wheel.dates(a, D(2023, 1, 1), D(2028, 12, 31)) == [D(2024, 2, 29), D(2028, 2, 29)]
    wheel.check(a)  # it occurs, so it is accepted


def test_yearly_without_a_day_lasts_the_whole_month():
    a = activity(frequency=Frequency.YEARLY, month=5, day=None, starts_on=D(2024, 5, 20))
    assert wheel.whole_month(a)
    # The month the activity starts in counts (it overlaps).
    assert wheel.dates(a, D(2024, 1, 1), D(2026, 12, 31)) == [
        D(2024, 5, 1),
        D(2025, 5, 1),
        D(2026, 5, 1),
    ]
    # A period that only touches the end of the month still has it.
    assert wheel.dates(a, D(2025, 5, 31), D(2025, 6, 30)) == [D(2025, 5, 1)]
    assert wheel.next_dates(a, D(2025, 5, 15), count=2) == [D(2025, 5, 1), D(2026, 5, 1)]


def test_ends_on_stops_the_recurrence():
    a = activity(frequency=Frequency.MONTHLY, day=1, ends_on=D(2024, 4, 1))
    assert in_2024(a) == [D(2024, 1, 1), D(2024, 2, 1), D(2024, 3, 1), D(2024, 4, 1)]
    assert wheel.next_dates(a, D(2024, 5, 1)) == []


# --- What each frequency needs, and a recurrence that never occurs -------------------------------


def test_the_nth_weekday_needs_the_weekday_and_the_week():
    errors = errors_of(activity(frequency=Frequency.NTH_WEEKDAY, weekday=None, week_of_month=None))
    assert errors == {
        "weekday": ["Choose the weekday and the week of the month."],
        "week_of_month": ["Choose the weekday and the week of the month."],
    }


def test_each_frequency_names_what_is_missing():
    assert errors_of(activity(frequency=Frequency.MONTHLY, day=None)) == {
        "day": ["Choose the day of the month."]
    }
    assert errors_of(activity(frequency=Frequency.QUARTERLY, month=None, day=None)) == {
        "month": ["Choose the month of the first quarter."],
        "day": ["Choose the day of the month."],
    }
    assert errors_of(activity(frequency=Frequency.YEARLY, month=None, day=4)) == {
        "month": ["Choose the month."]
    }
    wheel.check(activity(frequency=Frequency.WEEKLY))  # the weekday of the start
    wheel.check(activity(frequency=Frequency.ONCE))


@pytest.mark.parametrize(
    "fields",
    [
        {"frequency": Frequency.YEARLY, "month": 2, "day": 31},
        {"frequency": Frequency.YEARLY, "month": 2, "day": 30},
        {"frequency": Frequency.YEARLY, "month": 4, "day": 31},
        # the 31st every 12 months from February: only Februaries
        {"frequency": Frequency.MONTHLY, "interval": 12, "day": 31, "starts_on": D(2026, 2, 1)},
        # 29 February every 48 months from 2025: 2025, 2029, 2033 are no leap years
        {"frequency": Frequency.MONTHLY, "interval": 48, "day": 29, "starts_on": D(2025, 2, 1)},
        # the quarters from February on day 31: February, May, August, November … May and August
        # have a 31st, but the end comes first
        {
            "frequency": Frequency.QUARTERLY,
            "month": 2,
            "day": 31,
            "starts_on": D(2026, 2, 1),
            "ends_on": D(2026, 4, 30),
        },
        # a whole month outside the period
        {
            "frequency": Frequency.YEARLY,
            "month": 3,
            "day": None,
            "starts_on": D(2026, 6, 1),
            "ends_on": D(2026, 12, 31),
        },
        # the first Monday, but the period is Tuesday to Sunday of the first week
        {
            "frequency": Frequency.NTH_WEEKDAY,
            "weekday": 0,
            "week_of_month": 1,
            "starts_on": D(2026, 9, 8),
            "ends_on": D(2026, 10, 4),
        },
        {
            "frequency": Frequency.WEEKLY,
            "weekday": 0,
            "starts_on": D(2026, 9, 8),
            "ends_on": D(2026, 9, 13),
        },
    ],
)
def test_a_recurrence_that_never_occurs_is_refused(fields):
    errors = errors_of(activity(**fields))
    assert list(errors) == [NON_FIELD_ERRORS]
    assert errors[NON_FIELD_ERRORS][0].startswith("The recurrence never occurs: no date from")


def test_the_horizon_is_ten_years_without_an_end():
    a = activity(frequency=Frequency.YEARLY, month=2, day=31, starts_on=D(2026, 3, 1))
    message = errors_of(a)[NON_FIELD_ERRORS][0]
    assert "from 01-03-2026 to 01-03-2036" in message
    # With an end, up to the end.
    a = activity(
        frequency=Frequency.YEARLY, month=2, day=30, starts_on=D(2026, 3, 1), ends_on=D(2027, 1, 31)
    )
    assert "from 01-03-2026 to 31-01-2027" in errors_of(a)[NON_FIELD_ERRORS][0]


def test_fields_the_frequency_does_not_use_are_emptied():
    a = activity(frequency=Frequency.ONCE, interval=4, month=3, day=5, weekday=1, week_of_month=2)
    wheel.check(a)
    assert (a.interval, a.month, a.day, a.weekday, a.week_of_month) == (1, None, None, None, None)
    b = activity(
        frequency=Frequency.NTH_WEEKDAY, interval=2, month=3, day=5, weekday=1, week_of_month=2
    )
    wheel.check(b)
    assert (b.interval, b.month, b.day, b.weekday, b.week_of_month) == (2, None, None, 1, 2)


def test_an_activity_is_saved_with_its_recurrence_checked_and_emptied(org):
    """`save_activity`, which the page and the API save with."""
    with scope(municipality=org["municipality"].pk):
        never = activity(month=2, day=31, body=org["steering"])
        with pytest.raises(ValidationError, match="never occurs"):
            wheel.save_activity(never)
        assert never.pk is None
        saved = wheel.save_activity(activity(frequency=Frequency.WEEKLY, weekday=TU, month=3))
        saved.refresh_from_db()
    assert (saved.municipality_id, saved.weekday, saved.month) == (org["municipality"].pk, TU, None)


def test_the_recurrence_in_words():
    assert wheel.describe(activity(frequency=Frequency.WEEKLY, interval=2, weekday=TU)) == (
        "Every 2 weeks on Tuesday"
    )
    assert (
        wheel.describe(
            activity(frequency=Frequency.NTH_WEEKDAY, interval=3, weekday=TU, week_of_month=3)
        )
        == "The third Tuesday every 3 months"
    )
    assert (
        wheel.describe(activity(frequency=Frequency.NTH_WEEKDAY, weekday=FR, week_of_month=-1))
        == "The last Friday of every month"
    )
    assert wheel.describe(activity(month=5, day=None)) == "Yearly in May (the whole month)"
    assert wheel.describe(activity(month=3, day=1)) == "Yearly on 1 March"
    assert wheel.describe(activity(frequency=Frequency.MONTHLY, day=10)) == (
        "Every month on day 10"
    )


# --- The wheel year ------------------------------------------------------------------------------


@pytest.fixture
def org(municipality):
    with scopes_disabled():
        steering = factories.body(municipality, "Styregruppen", meetings_per_year=4)
        programme = factories.body(municipality, "Programgruppen", parent=steering)
        closed = factories.body(
            municipality, "Lukket gruppe", closed_on=D(2025, 1, 1), closing_summary="Slut."
        )
        idle = factories.body(municipality, "Gruppe uden aktiviteter")
    return {
        "steering": steering,
        "programme": programme,
        "closed": closed,
        "idle": idle,
        "municipality": municipality,
    }


def _activity(org, title, **fields):
    with scopes_disabled():
        return factories.wheel_activity(org["municipality"], title, **fields)


def _year(org, *args, **kwargs):
    with scope(municipality=org["municipality"].pk):
        return wheel.wheel_year(*args, **kwargs)


def test_the_year_runs_twelve_months_from_the_first_month(org):
    _activity(org, "Budget", month=1, day=None)  # the whole organisation, every January
    _activity(org, "Seminar", body=org["programme"], month=9, day=10, kind=ActivityKind.SEMINAR)
    year = _year(org, 2026, 8, today=D(2026, 11, 23))
    assert (year.start, year.end) == (D(2026, 8, 1), D(2027, 7, 31))
    assert year.label == "2026/27"
    assert [m.start for m in year.months][:2] == [D(2026, 8, 1), D(2026, 9, 1)]
    assert year.months[0].label == "August 2026" and year.months[-1].label == "July 2027"
    assert [e.title for e in year.months[1].entries] == ["Seminar"]
    assert [(e.title, e.whole_month) for e in year.months[5].entries] == [("Budget", True)]
    assert [e.date for e in year.entries] == [D(2026, 9, 10), D(2027, 1, 1)]
    # The whole organisation is the outermost ring, then the bodies by name.
    assert [(r.number, r.name) for r in year.rings] == [
        (1, "The whole organisation"),
        (2, "Programgruppen"),
    ]
    calendar_year = _year(org, 2026, 1)
    assert (calendar_year.start, calendar_year.end, calendar_year.label) == (
        D(2026, 1, 1),
        D(2026, 12, 31),
        "2026",
    )


def test_a_planned_meeting_close_to_a_real_meeting_is_shown_once(org):
    steering = org["steering"]
    planned = _activity(
        org,
        "Styregruppemøde",
        body=steering,
        kind=ActivityKind.MEETING,
        frequency=Frequency.NTH_WEEKDAY,
        interval=3,
        weekday=TU,
        week_of_month=1,
        month=None,
        day=None,
        starts_on=D(2024, 3, 1),
    )  # 5 March, 4 June, 3 September, 3 December 2024
    deadline = _activity(org, "Frist", body=steering, kind=ActivityKind.DEADLINE, month=6, day=4)
    other = _activity(
        org, "Programgruppemøde", body=org["programme"], kind=ActivityKind.MEETING, month=6, day=5
    )
    with scopes_disabled():
        moved = factories.meeting(steering, D(2024, 6, 11))  # 7 days after 4 June
        exact = factories.meeting(steering, D(2024, 9, 3), state=MeetingState.HELD)
        extra = factories.meeting(steering, D(2024, 1, 20))  # no planned meeting near
    year = _year(org, 2024, 1)
    steering_entries = [
        (e.date, e.title, e.is_meeting)
        for e in year.entries
        if e.body_id == steering.pk and e.kind == ActivityKind.MEETING
    ]
    assert steering_entries == [
        (D(2024, 1, 20), "Meeting of Styregruppen", True),
        (D(2024, 3, 5), "Styregruppemøde", False),
        (D(2024, 6, 11), "Meeting of Styregruppen", True),
        (D(2024, 9, 3), "Meeting of Styregruppen", True),
        (D(2024, 12, 3), "Styregruppemøde", False),
    ]
    by_meeting = {e.meeting.pk: e for e in year.entries if e.is_meeting}
    assert by_meeting[moved.pk].planned == planned
    assert by_meeting[exact.pk].planned == planned
    assert by_meeting[extra.pk].planned is None
    assert by_meeting[moved.pk].url == f"/moeder/{moved.pk}/"
    # A deadline on the same day and a meeting of another body are not merged.
    titles = [e.title for e in year.entries]
    assert titles.count("Frist") == 1 and titles.count("Programgruppemøde") == 1
    assert deadline and other
    planned_entry = next(e for e in year.entries if e.title == "Styregruppemøde")
    assert planned_entry.url == f"/aarshjul/aktiviteter/{planned.pk}/"


def test_each_real_meeting_takes_one_planned_meeting(org):
    """Two meetings near one planned date: the closer one takes it; a planned date is never
    hidden by a meeting that another planned date took."""
    steering = org["steering"]
    _activity(
        org,
        "Hver uge",
        body=steering,
        kind=ActivityKind.MEETING,
        frequency=Frequency.WEEKLY,
        weekday=TU,
        month=None,
        day=None,
        starts_on=D(2024, 3, 5),
        ends_on=D(2024, 3, 19),
    )  # 5, 12, 19 March
    with scopes_disabled():
        factories.meeting(steering, D(2024, 3, 13))
    year = _year(org, 2024, 1)
    assert [(e.date, e.is_meeting) for e in year.entries] == [
        (D(2024, 3, 5), False),
        (D(2024, 3, 13), True),
        (D(2024, 3, 19), False),
    ]


def test_only_active_bodies_with_something_in_the_year_get_a_ring(org):
    _activity(org, "Lukket aktivitet", body=org["closed"], month=3, day=1)
    _activity(org, "Inaktiv", body=org["steering"], month=3, day=1, active=False)
    _activity(org, "Slut", body=org["steering"], month=3, day=1, ends_on=D(2025, 12, 31))
    with scopes_disabled():
        factories.meeting(org["programme"], D(2026, 2, 2))
    year = _year(org, 2026, 1)
    assert [r.name for r in year.rings] == ["Programgruppen"]
    # Before the group closed, its activity was on the wheel.
    assert [r.name for r in _year(org, 2024, 1).rings] == ["Lukket gruppe", "Styregruppen"]


def test_filters_by_body_whole_organisation_and_kind(org):
    _activity(org, "Organisationens", month=3, day=1, kind=ActivityKind.BUDGET)
    _activity(
        org, "Styregruppens frist", body=org["steering"], month=3, day=2, kind=ActivityKind.DEADLINE
    )
    with scopes_disabled():
        factories.meeting(org["steering"], D(2026, 4, 2))
        factories.meeting(org["programme"], D(2026, 4, 3))

    def titles(**kwargs):
        return [e.title for e in _year(org, 2026, 1, **kwargs).entries]

    assert titles() == [
        "Organisationens",
        "Styregruppens frist",
        "Meeting of Styregruppen",
        "Meeting of Programgruppen",
    ]
    assert titles(body=org["steering"].pk) == ["Styregruppens frist", "Meeting of Styregruppen"]
    assert titles(body=wheel.WHOLE_ORGANISATION) == ["Organisationens"]
    assert titles(kind=ActivityKind.MEETING) == [
        "Meeting of Styregruppen",
        "Meeting of Programgruppen",
    ]
    assert titles(kind=ActivityKind.DEADLINE) == ["Styregruppens frist"]


def test_the_year_takes_the_same_queries_however_many_rows(org):
    def count():
        with scope(municipality=org["municipality"].pk):
            with CaptureQueriesContext(connection) as captured:
                wheel.wheel_year(2026, 1)
        return len(captured)

    _activity(org, "En", body=org["steering"], month=3, day=1)
    small = count()
    for i in range(15):
        _activity(
            org,
            f"Aktivitet {i}",
            body=[org["steering"], org["programme"], None][i % 3],
            frequency=Frequency.WEEKLY,
            weekday=i % 5,
            month=None,
            day=None,
            kind=ActivityKind.MEETING,
        )
        with scopes_disabled():
            factories.meeting(org["programme"], D(2026, 1, 1) + datetime.timedelta(days=9 * i))
    # the activities, the meetings and the register's deadlines (four: systems.duties)
    assert count() == small == 6


# --- The picture ---------------------------------------------------------------------------------


def test_angles_start_at_the_first_month_at_the_top():
    assert wheel.angle_of(D(2026, 8, 1), 8) == pytest.approx(0.5 / 31 * 30)
    assert wheel.angle_of(D(2027, 1, 16), 8) == pytest.approx(5 * 30 + 15.5 / 31 * 30)
    assert wheel.angle_of(D(2027, 7, 31), 8) == pytest.approx(360 - 0.5 / 31 * 30)
    # 3 o'clock is a quarter of the way: the start of the fourth month, on the right.
    x, y = wheel._point(90, 100)
    assert (round(x), round(y)) == (500, 400)
    x, y = wheel._point(0, 100)
    assert (round(x), round(y)) == (400, 300)


def test_the_svg_has_the_rings_months_today_and_a_text_alternative(org):
    _activity(org, "Budget", month=10, day=None, kind=ActivityKind.BUDGET)
    _activity(org, "Frist", body=org["steering"], month=12, day=1, kind=ActivityKind.DEADLINE)
    with scopes_disabled():
        factories.meeting(org["programme"], D(2026, 9, 15))
    year = _year(org, 2026, 8, today=D(2026, 11, 23))
    picture = wheel.picture(year)
    assert len(picture.rings) == 3 and len(picture.markers) == 3
    assert [m.shape for m in picture.markers] == ["diamond", "arc", "circle"]
    assert picture.today is not None
    html = render_to_string(
        "planning/wheel/_picture.html",
        {"picture": picture, "year": year, "links": True, "prefix": "w"},
    )
    assert html.count('class="wheel-ring wheel-ring-') == 3
    assert html.count('class="wheel-month"') == 12
    months = [label for _x, _y, label in picture.month_labels]
    assert months[0] == "August" and months[-1] == "July"
    assert 'class="wheel-today"' in html and ">Today<" in html
    assert 'role="img" aria-labelledby="w-title w-desc"' in html
    assert '<title id="w-title">Annual wheel 2026/27</title>' in html
    assert "3 rings, one per body, and the months clockwise from August at the top" in html
    assert "A line marks today, 23-11-2026." in html
    assert html.count('<a class="wheel-link"') == 3
    assert "01-12-2026: Styregruppen – Frist (Deadline)" in html
    assert "October 2026 (the whole month): The whole organisation – Budget" in html
    # No "400,0": coordinates are written with a decimal point whatever the language.
    assert 'cx="400.0"' in html and "400,0" not in html
    # Another year: no today line.
    assert wheel.picture(_year(org, 2024, 8, today=D(2026, 11, 23))).today is None
    pdf_html = render_to_string(
        "planning/wheel/_picture.html",
        {"picture": picture, "year": year, "links": False, "prefix": "p"},
    )
    assert '<svg class="wheel-svg" viewBox="0 0 800 800" role="img"' in pdf_html
    assert "<a " not in pdf_html and pdf_html.count('class="wheel-marker') == 3


@pytest.mark.parametrize("frequency", list(Frequency.values))
def test_a_long_running_recurrence_gives_the_same_dates_from_a_late_window(frequency):
    """The rule is started near the window asked for, not walked from its beginning; the
    dates must be those of the rule from its own start."""
    import itertools

    starts = [D(2017, 1, 10), D(2019, 8, 31), D(2020, 2, 29)]
    for start, interval, (day, weekday, week) in itertools.product(
        starts, [1, 2, 3, 5, 12], [(31, 1, 1), (15, 4, -1), (29, None, 3)]
    ):
        a = activity(
            frequency=frequency,
            interval=interval,
            month=start.month,
            day=day,
            weekday=weekday if weekday is not None or frequency != Frequency.NTH_WEEKDAY else 2,
            week_of_month=week,
            starts_on=start,
        )
        wheel.normalise(a)
        for low, high in ((D(2026, 8, 1), D(2027, 7, 31)), (D(2024, 2, 29), D(2024, 3, 31))):
            if not wheel.can_occur(a):
                assert wheel.dates(a, low, high) == [] and wheel.next_dates(a, low) == []
                continue
            full = [d.date() for d in wheel._rule(a, high)]
            expected = [
                d for d in full if (wheel.month_last(d) if wheel.whole_month(a) else d) >= low
            ]
            assert wheel.dates(a, low, high) == expected, (frequency, start, interval, day)
            assert (
                wheel.next_dates(a, low, count=3)
                == [
                    d.date()
                    for d in wheel._rule(a, low + datetime.timedelta(days=3700))
                    if (wheel.month_last(d.date()) if wheel.whole_month(a) else d.date()) >= low
                ][:3]
            )


def test_a_wheel_of_all_bodies_keeps_the_whole_organisation_and_the_busiest_bodies(org):
    """Past `max_rings` rings the wheel of all bodies draws the whole organisation and the
    bodies with the most entries (ties by name), and counts what it left out; a chosen body
    shows its own ring whatever the limit."""
    _activity(org, "Budget", month=1, day=1)  # the whole organisation: always kept
    with scopes_disabled():
        bodies = [factories.body(org["municipality"], f"Gruppe {n:02d}") for n in range(5)]
    for n, body in enumerate(bodies):
        for month in range(1, n + 2):  # Gruppe 00 has one entry, Gruppe 04 five
            _activity(org, f"Punkt {month}", body=body, month=month, day=15)
    year = _year(org, 2026, 1, max_rings=3)
    assert [r.name for r in year.rings] == ["The whole organisation", "Gruppe 03", "Gruppe 04"]
    assert [r.number for r in year.rings] == [1, 2, 3]
    assert (year.hidden_bodies, year.hidden_entries) == (3, 1 + 2 + 3)
    assert {e.body_name for e in year.entries} == {"", "Gruppe 03", "Gruppe 04"}
    assert sum(len(m.entries) for m in year.months) == len(year.entries) == 1 + 4 + 5
    assert {e.ring for e in year.entries} == {0, 1, 2}
    # Within the limit, or one body chosen: nothing is left out.
    assert _year(org, 2026, 1, max_rings=6).hidden_bodies == 0
    chosen = _year(org, 2026, 1, body=bodies[0].pk, max_rings=3)
    assert [r.name for r in chosen.rings] == ["Gruppe 00"] and chosen.hidden_bodies == 0
    assert _year(org, 2026, 1).hidden_bodies == 0  # the calendar file and the API: no limit
