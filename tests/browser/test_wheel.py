"""The annual wheel in the browser: the secretary creates an activity with a recurrence by
keyboard (only the fields of the chosen repetition are shown, the next dates follow by htmx),
finds it on the wheel and in the list, reaches its marker with Tab, and moves the wheel's
first month. axe on every page and after every swap."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from core.models import Municipality
from planning.models import ActivityKind, Frequency, WheelActivity
from tests import factories
from tests.browser.conftest import tab_to

pytestmark = pytest.mark.browser

WED = 2


@pytest.fixture
def wheel_org(org):
    """The steering group's quarterly meetings on the wheel already, and one held meeting."""
    with scopes_disabled():
        factories.wheel_activity(
            org.municipality,
            "Styregruppemøde",
            body=org.steering,
            kind=ActivityKind.MEETING,
            frequency=Frequency.QUARTERLY,
            month=3,
            day=5,
            starts_on=datetime.date(2024, 1, 1),
        )
    return org


def test_create_an_activity_by_keyboard_and_see_it_on_the_wheel(
    page, wheel_org, login, visit, submit, htmx_swap, type_date
):
    org = wheel_org
    next_year = timezone.localdate().year + 1
    login(org.secretary)
    visit("/aarshjul/")
    assert page.locator("svg.wheel-svg g[role=img] title").count() == 1
    tab_to(page, "a[href='/aarshjul/aktiviteter/ny/']")
    submit(lambda: page.keyboard.press("Enter"))

    # A yearly activity (the default) shows the month and the day, not the weekday.
    assert page.locator("#id_month").is_visible() and page.locator("#id_day").is_visible()
    assert not page.locator("#id_weekday").is_visible()

    tab_to(page, "#id_title")
    page.keyboard.type("Dialogmøde med Skole og Dagtilbud")
    tab_to(page, "#id_body")
    for _ in range(3):  # the whole organisation → Direktionen → Projektgruppen → Styregruppen
        page.keyboard.press("ArrowDown")
    assert page.locator("#id_body").input_value() == str(org.steering.pk)
    tab_to(page, "#id_kind")
    for _ in range(5):  # meeting → … → dialogue meeting
        page.keyboard.press("ArrowDown")
    assert page.locator("#id_kind").input_value() == ActivityKind.DIALOGUE

    # The nth weekday: from "yearly", one up. The weekday fields appear, the day goes.
    tab_to(page, "#id_frequency")
    htmx_swap(lambda: page.keyboard.press("ArrowUp"))
    assert page.locator("#id_frequency").input_value() == Frequency.NTH_WEEKDAY
    assert page.locator("#id_weekday").is_visible()
    assert page.locator("#id_week_of_month").is_visible()
    assert not page.locator("#id_day").is_visible() and not page.locator("#id_month").is_visible()
    # Not complete yet: the preview says what is missing.
    assert page.locator("#activity-preview li").count() >= 1

    page.keyboard.press("Tab")  # to "every N months"
    assert page.evaluate("document.activeElement.id") == "id_interval"
    page.keyboard.press("Backspace")
    page.keyboard.type("6")
    htmx_swap(lambda: page.keyboard.press("Tab"))  # leaving the field sends the change
    assert page.evaluate("document.activeElement.id") == "id_weekday"

    def choose(selector, presses):
        tab_to(page, selector)
        htmx_swap(lambda: [page.keyboard.press("ArrowDown") for _ in range(presses)])

    choose("#id_weekday", 3)  # – → Monday → Tuesday → Wednesday
    assert page.locator("#id_weekday").input_value() == str(WED)
    choose("#id_week_of_month", 5)  # – → first … fourth → last
    assert page.locator("#id_week_of_month").input_value() == "-1"
    htmx_swap(lambda: type_date("#id_starts_on", datetime.date(next_year, 1, 1)))

    # The next dates: the last Wednesday of January and of July, …
    dates = page.locator("#activity-preview li")
    assert dates.count() == 6
    first = dates.first.inner_text()
    assert first.endswith(f"-01-{next_year}")

    tab_to(page, "main form button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    with scopes_disabled():
        activity = WheelActivity.objects.get(title="Dialogmøde med Skole og Dagtilbud")
    assert (
        activity.body_id,
        activity.kind,
        activity.frequency,
        activity.interval,
        activity.weekday,
        activity.week_of_month,
        activity.month,
        activity.day,
    ) == (org.steering.pk, ActivityKind.DIALOGUE, Frequency.NTH_WEEKDAY, 6, WED, -1, None, None)
    assert page.url.endswith(f"/aarshjul/aktiviteter/{activity.pk}/")

    # On the wheel of next year: two markers (January and July) in the steering group's ring,
    # and the same in the list.
    visit(f"/aarshjul/?aar={next_year}")
    markers = page.locator(f"a.wheel-link[href='/aarshjul/aktiviteter/{activity.pk}/']")
    assert markers.count() == 2
    assert "Styregruppen for digitalisering" in page.locator(".wheel-rings").inner_text()
    rows = page.locator(".wheel-table tbody tr", has_text="Dialogmøde med Skole og Dagtilbud")
    assert rows.count() == 2
    # The marker is reached with Tab and opens the activity.
    tab_to(page, f"a.wheel-link[href='/aarshjul/aktiviteter/{activity.pk}/'] >> nth=0")
    assert page.locator(".wheel-link:focus .wheel-focus").is_visible()
    submit(lambda: page.keyboard.press("Enter"))
    assert page.url.endswith(f"/aarshjul/aktiviteter/{activity.pk}/")

    # In the list of activities.
    visit("/aarshjul/aktiviteter/")
    assert page.locator(f"#aktivitet-{activity.pk}").is_visible()

    # Move the first month to August.
    visit("/aarshjul/indstillinger/")
    tab_to(page, "#id_wheel_first_month")
    for _ in range(7):
        page.keyboard.press("ArrowDown")
    assert page.locator("#id_wheel_first_month").input_value() == "8"
    tab_to(page, "main form button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    assert page.url.endswith("/aarshjul/")
    with scopes_disabled():
        assert Municipality.objects.get(pk=org.municipality.pk).wheel_first_month == 8
    months = page.locator("svg.wheel-svg text.wheel-month")
    assert months.count() == 12
    assert months.first.text_content().lower() == "august"
    assert months.last.text_content().lower() == "juli"
    assert page.locator("svg.wheel-svg line.wheel-today").count() == 1


def test_record_the_outcome_of_a_review_per_system_by_keyboard(page, org, login, visit, submit):
    """The IT security review of the steering group's systems: from the activity's page to
    the form, one system left without an outcome (the error names it), then recorded. axe
    on the form, the error and the activity's page after."""
    from systems.models import Assessment, AssessmentKind

    with scopes_disabled():
        review = factories.wheel_activity(
            org.municipality,
            "Årlig gennemgang af risikovurderinger",
            body=org.steering,
            kind=ActivityKind.REVIEW,
            month=1,
            day=10,
        )
        aula = factories.system_usage(org.municipality, "Aula", body=org.steering)
        fasit = factories.system_usage(org.municipality, "Fasit", body=org.steering)
    login(org.secretary)
    visit(f"/aarshjul/aktiviteter/{review.pk}/")
    tab_to(page, f"a[href^='/aarshjul/aktiviteter/{review.pk}/gennemgang/']")
    submit(lambda: page.keyboard.press("Enter"))
    page.select_option(f"#id_outcome_{aula.pk}", "satisfactory")
    tab_to(page, "main form button.button-primary")
    submit(lambda: page.keyboard.press("Enter"), status=422)
    assert page.locator(f"#id_outcome_{fasit.pk}_error").is_visible()
    page.select_option(f"#id_outcome_{aula.pk}", "satisfactory")
    page.select_option(f"#id_outcome_{fasit.pk}", "remarks")
    page.fill(f"#id_note_{fasit.pk}", "Logningen gennemgås")
    tab_to(page, "main form button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    assert page.url.endswith(f"/aarshjul/aktiviteter/{review.pk}/")
    with scopes_disabled():
        assert Assessment.objects.filter(kind=AssessmentKind.REVIEW).count() == 2
