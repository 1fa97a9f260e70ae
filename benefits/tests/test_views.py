"""The benefit pages: overview, export, a project's benefits, one benefit, the benefit form
with its plan per year, and recording a measurement; Danish number input; rights; queries."""

import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from benefits.models import Benefit, BenefitMeasurement, BenefitPlan, BenefitType
from core.forms import format_danish_decimal, parse_danish_decimal
from core.models import Role
from portfolio.models import Phase
from tests import factories
from tests.world import CANARY_OWN, grow

pytestmark = pytest.mark.history


def _as(client, user):
    client.force_login(user)
    return client


def _english(client):
    """Pages are Danish unless the user chose English (the language cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _counts():
    with scopes_disabled():
        return (
            Benefit.objects.count(),
            BenefitPlan.objects.count(),
            BenefitMeasurement.objects.count(),
        )


def _benefit_data(**overrides) -> dict:
    """A valid post of the benefit form with two plan years."""
    data = {
        "title": "Færre fejl i udbetalinger",
        "description": "",
        "type": BenefitType.BUDGET,
        "unit": "kr.",
        "accumulates": "on",
        "baseline_value": "0",
        "baseline_date": "2025-01-01",
        "target_value": "1.250.000",
        "target_date": "2027-12-31",
        "measurement_method": "Opgørelse fra økonomisystemet",
        "frequency": "3",
        "responsible": "",
        "first_due": "",
        "plan-TOTAL_FORMS": "3",
        "plan-INITIAL_FORMS": "0",
        "plan-MIN_NUM_FORMS": "0",
        "plan-MAX_NUM_FORMS": "30",
        "plan-0-year": "2025",
        "plan-0-planned": "250.000",
        "plan-1-year": "2026",
        "plan-1-planned": "1.000.000,50",
        "plan-2-year": "",
        "plan-2-planned": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- Danish number input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("1.250.000", "1250000"),
        ("12,5", "12.5"),
        ("1.250.000,50", "1250000.50"),
        ("1250000", "1250000"),
        ("1 250 000", "1250000"),
        ("1\u00a0250", "1250"),
        ("1.250", "1250"),
        ("12.5", "12.5"),
        ("-3,25", "-3.25"),
        ("\u22123", "-3"),
        ("0,05", "0.05"),
        ("+7", "7"),
        ("1.25.000", None),
        ("12,5,3", None),
        ("abc", None),
        ("1.250,5.3", None),
        (",5", None),
        ("12,500.5", None),
        ("1,250,000.5", None),
        ("", None),
        ("-", None),
    ],
)
def test_numbers_are_read_as_a_dane_writes_them(typed, canonical):
    assert parse_danish_decimal(typed) == canonical


def test_numbers_are_shown_exactly_and_can_be_typed_back():
    assert format_danish_decimal(Decimal("1250000.00")) == "1.250.000"
    assert format_danish_decimal(Decimal("12.25")) == "12,25"
    assert format_danish_decimal(Decimal("-1250000.50")) == "-1.250.000,5"
    assert format_danish_decimal(Decimal("0.05")) == "0,05"
    assert format_danish_decimal(None) == ""
    for value in ("1250000.5", "0.05", "-3.25", "999"):
        assert Decimal(parse_danish_decimal(format_danish_decimal(Decimal(value)))) == Decimal(
            value
        )


# --- The overview ------------------------------------------------------------------------------


@pytest.fixture
def portfolio(t):
    """Beside the world's benefit: a closed project's benefit that nobody answers for, and a
    qualitative benefit measured in %."""
    with scopes_disabled():
        closed = factories.project(
            t.municipality, "Gammel sag", phase=Phase.CLOSED, leader=t.leader_person
        )
        harvest = factories.benefit(closed, "Sparet porto", responsible=None)
        factories.plan(harvest, 2024, 50_000)
        factories.measurement(harvest, datetime.date(2024, 11, 1), 30_000)
        share = factories.benefit(
            t.project,
            "Andel digitale ansøgninger",
            type=BenefitType.QUALITATIVE,
            unit="%",
            accumulates=False,
            baseline_value=40,
            target_value=None,
            target_date=None,
            responsible=t.leader_person,
        )
        factories.plan(share, 2024, 999)
        factories.measurement(share, timezone.localdate(), 61)
    return {"closed": closed, "harvest": harvest, "share": share}


def test_overview_charts_kroner_and_lists_every_benefit(client, t, portfolio):
    response = _as(client, t.users[Role.READER]).get(reverse("benefits:benefit_overview"))
    assert response.status_code == 200
    html = response.content.decode()
    chart = response.context["chart"]
    assert chart.categories == ["2024", "2025"]
    # economic only: the world's 200.000 + the closed project's 50.000, not the 999 %
    assert chart.rows == [("2024", ["250.000", "150.000"]), ("2025", ["400.000", "–"])]
    titles = [s.benefit.title for s in response.context["summaries"]]
    assert "Sparet porto" in titles, "a closed project's benefit is kept"
    assert "Andel digitale ansøgninger" in titles
    assert CANARY_OWN in html
    assert "1.250.000" not in html
    assert "250.000 kr." in html
    assert "61 %" in html


def test_needs_attention_groups_the_flags_with_a_fix(client, t, portfolio):
    response = _as(client, t.users[Role.ADMINISTRATOR]).get(reverse("benefits:benefit_overview"))
    groups = {g["flag"]: [s.benefit for s in g["rows"]] for g in response.context["attention"]}
    assert groups["no_owner"] == [portfolio["harvest"]]
    assert groups["no_target"] == [portfolio["share"]]
    assert t.benefit in groups["overdue"], "measured 30-06-2024, quarterly"
    html = response.content.decode()
    assert reverse("benefits:benefit_edit", args=[portfolio["harvest"].pk]) in html
    assert reverse("benefits:measurement_add", args=[t.benefit.pk]) in html


def test_a_reader_sees_what_needs_attention_but_no_fix_links(client, t, portfolio):
    html = _as(client, t.users[Role.READER]).get(reverse("benefits:benefit_overview")).content
    assert reverse("benefits:benefit_edit", args=[portfolio["harvest"].pk]).encode() not in html
    assert reverse("benefits:measurement_add", args=[t.benefit.pk]).encode() not in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"world", "harvest", "share"}),
        ({"fase": "closed"}, {"harvest"}),
        ({"fase": "aktive"}, {"world", "share"}),
        ({"type": "qualitative"}, {"share"}),
        ({"ansvarlig": "ingen"}, {"harvest"}),
        ({"flag": "no_target"}, {"share"}),
        ({"flag": "alle"}, {"world", "harvest", "share"}),
        ({"projekt": "closed"}, {"harvest"}),
        ({"fase": "nonsense"}, {"world", "harvest", "share"}),
    ],
)
def test_overview_filters(client, t, portfolio, params, expected):
    names = {
        t.benefit.pk: "world",
        portfolio["harvest"].pk: "harvest",
        portfolio["share"].pk: "share",
    }
    if params.get("projekt") == "closed":
        params = {"projekt": portfolio["closed"].pk}
    response = _as(client, t.users[Role.READER]).get(reverse("benefits:benefit_overview"), params)
    assert response.status_code == 200
    assert {names[s.benefit.pk] for s in response.context["summaries"]} == expected


def test_overview_filters_by_responsible_and_offers_my_benefits(client, t, portfolio):
    client = _as(client, t.users[Role.PROJECT_LEADER])
    response = client.get(reverse("benefits:benefit_overview"))
    assert response.context["mine"] == t.leader_person.pk
    response = client.get(reverse("benefits:benefit_overview"), {"ansvarlig": t.leader_person.pk})
    assert {s.benefit for s in response.context["summaries"]} == {t.benefit, portfolio["share"]}
    assert response.context["mine"] is None, "already showing mine"


def test_overview_sorts_by_the_next_due_date(client, t, portfolio):
    response = _as(client, t.users[Role.READER]).get(
        reverse("benefits:benefit_overview"), {"sort": "forfald"}
    )
    dues = [s.due for s in response.context["summaries"]]
    assert dues == sorted(dues)
    assert 'aria-sort="ascending"' in response.content.decode()


def test_the_list_is_paginated_and_keeps_the_filters(client, t):
    from benefits.views import ATTENTION_SHOWN, PAGE_SIZE

    with scopes_disabled():
        project = factories.project(t.municipality, "Mange gevinster")
        for i in range(PAGE_SIZE + 5):
            factories.benefit(project, f"Gevinst {i:02d}", responsible=None)
    client = _english(_as(client, t.users[Role.ADMINISTRATOR]))
    url = reverse("benefits:benefit_overview")
    first = client.get(url, {"projekt": project.pk, "sort": "gevinst"})
    assert [s.benefit.title for s in first.context["summaries"]] == [
        f"Gevinst {i:02d}" for i in range(PAGE_SIZE)
    ]
    html = first.content.decode()
    assert f"Showing 1–{PAGE_SIZE} of {PAGE_SIZE + 5}" in html
    assert f"?projekt={project.pk}&amp;sort=gevinst&amp;side=2" in html, "the filters are kept"
    second = client.get(url, {"projekt": project.pk, "sort": "gevinst", "side": 2})
    assert [s.benefit.title for s in second.context["summaries"]] == [
        f"Gevinst {i:02d}" for i in range(PAGE_SIZE, PAGE_SIZE + 5)
    ]
    assert f'href="?projekt={project.pk}&amp;sort=maalt"' in second.content.decode(), (
        "sorting starts again on the first page"
    )
    # The "needs attention" groups show the first few and link to the whole group.
    group = {g["flag"]: g for g in first.context["attention"]}["no_owner"]
    assert group["count"] == PAGE_SIZE + 5
    assert len(group["rows"]) == ATTENTION_SHOWN
    assert f"Show all {PAGE_SIZE + 5} in the list: No responsible leader" in html
    assert f"?projekt={project.pk}&amp;sort=gevinst&amp;flag=no_owner#all-heading" in html
    assert first.context["flagged"] == PAGE_SIZE + 5
    # A page past the last shows the last.
    assert client.get(url, {"side": 99}).status_code == 200


def test_the_filters_offer_the_projects_with_benefits_and_the_people_answering(client, t):
    with scopes_disabled():
        factories.project(t.municipality, "Uden gevinster")
        factories.person(t.municipality, "Ikke Ansvarlig")
    response = _as(client, t.users[Role.READER]).get(
        reverse("benefits:benefit_overview"), {"projekt": t.project.pk}
    )
    form = response.context["form"]
    assert [name for _pk, name in form.fields["projekt"].choices[1:]] == [t.project.name]
    assert [name for _pk, name in form.fields["ansvarlig"].choices[2:]] == [t.leader_person.name]
    html = response.content.decode()
    assert f'<option value="{t.project.pk}" selected>' in html
    assert "Uden gevinster" not in html and "Ikke Ansvarlig" not in html


def test_a_long_select_escapes_and_marks_the_choice():
    from django.test.html import parse_html

    from benefits.forms import BenefitFilterForm
    from core.widgets import QuickSelect

    assert isinstance(BenefitFilterForm.base_fields["projekt"].widget, QuickSelect)
    widget = QuickSelect(attrs={"class": "form-select"}, choices=[("", "Alle"), ("1", "<b>&")])
    html = widget.render("projekt", "1", attrs={"id": "id_projekt"})
    assert parse_html(html) == parse_html(
        '<select name="projekt" class="form-select" id="id_projekt">'
        '<option value="">Alle</option><option value="1" selected>&lt;b&gt;&amp;</option>'
        "</select>"
    )


def _sheet(response):
    from openpyxl import load_workbook

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_xlsx_has_planned_and_realised_per_year_and_follows_the_filters(client, t, portfolio):
    client = _as(client, t.users[Role.READER])
    rows = _sheet(_english(client).get(reverse("benefits:benefit_list_xlsx")))
    header = rows[0]
    assert len(rows) == 4
    world = next(r for r in rows if r[2] == t.benefit.title)
    by_name = dict(zip(header, world, strict=True))
    assert by_name["Planned 2024"] == 200_000 and by_name["Realised 2024"] == 120_000
    assert by_name["Planned 2025"] == 400_000 and by_name["Realised 2025"] is None
    assert by_name["Baseline date"] == datetime.datetime(2024, 1, 1)
    assert "Measurement overdue" in by_name["Needs attention"]
    rows = _sheet(client.get(reverse("benefits:benefit_list_xlsx"), {"fase": "closed"}))
    assert [r[2] for r in rows[1:]] == ["Sparet porto"]


# --- A project's benefits ----------------------------------------------------------------------


def test_project_benefits_chart_each_benefit_and_the_new_button_for_keepers(client, t, portfolio):
    url = reverse("benefits:project_benefits", args=[t.project.pk])
    response = _as(client, t.users[Role.PROJECT_LEADER]).get(url)
    assert response.status_code == 200
    assert response.context["chart"].rows == [
        ("2024", ["200.000", "120.000"]),
        ("2025", ["400.000", "–"]),
    ]
    assert [s.benefit for s in response.context["summaries"]] == [t.benefit, portfolio["share"]]
    html = response.content.decode()
    assert reverse("benefits:benefit_create", args=[t.project.pk]) in html
    assert reverse("portfolio:project_detail", args=[t.project.pk]) in html
    assert response.context["summaries"][0].progress == 24  # 120.000 of 500.000
    reader = _as(client, t.users[Role.READER]).get(url).content.decode()
    assert reverse("benefits:benefit_create", args=[t.project.pk]) not in reader


def test_a_project_without_economic_benefits_has_no_kroner_chart(client, t):
    with scopes_disabled():
        project = factories.project(t.municipality, "Trivsel")
        factories.benefit(project, "Trivsel", type=BenefitType.QUALITATIVE, unit="point")
    response = _as(client, t.users[Role.READER]).get(
        reverse("benefits:project_benefits", args=[project.pk])
    )
    assert response.context["chart"] is None
    assert "Trivsel" in response.content.decode()


# --- One benefit -----------------------------------------------------------------------------


def test_benefit_detail_shows_facts_progress_chart_and_measurements(client, t):
    response = _english(_as(client, t.users[Role.READER])).get(
        reverse("benefits:benefit_detail", args=[t.benefit.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["progress"] == 24
    assert response.context["chart"].rows == [
        ("2024", ["200.000", "120.000"]),
        ("2025", ["400.000", "–"]),
    ]
    assert "30-06-2024" in html and f"Måling {CANARY_OWN}" in html
    assert reverse("portfolio:project_detail", args=[t.project.pk]) in html
    assert reverse("benefits:measurement_add", args=[t.benefit.pk]) not in html, "a reader"
    assert "A measurement was due on" in html


def test_the_measure_button_is_for_those_who_may_measure(client, t):
    html = (
        _as(client, t.users[Role.PROJECT_LEADER])
        .get(reverse("benefits:benefit_detail", args=[t.benefit.pk]))
        .content.decode()
    )
    assert reverse("benefits:measurement_add", args=[t.benefit.pk]) in html
    assert reverse("benefits:benefit_edit", args=[t.benefit.pk]) in html


# --- Create and edit ---------------------------------------------------------------------


def test_create_a_benefit_with_two_plan_years(client, t):
    client = _as(client, t.users[Role.PROJECT_LEADER])
    url = reverse("benefits:benefit_create", args=[t.project.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"]["unit"].value() == "kr."
    response = client.post(url, _benefit_data(responsible=str(t.leader_person.pk)))
    with scopes_disabled():
        benefit = Benefit.objects.get(title="Færre fejl i udbetalinger")
        assert benefit.project == t.project and benefit.municipality == t.municipality
        assert benefit.target_value == Decimal("1250000")
        assert sorted(benefit.plans.values_list("year", "planned")) == [
            (2025, Decimal("250000")),
            (2026, Decimal("1000000.50")),
        ]
    assert response.status_code == 302
    assert response["Location"] == reverse("benefits:benefit_detail", args=[benefit.pk])


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"target_date": "2024-12-31"},
            "target_date",
            "The target date is before the baseline date.",
        ),
        ({"unit": "timer"}, "unit", "An economic benefit is measured in kr."),
        ({"accumulates": None}, "accumulates", "An economic benefit adds up over the year."),
        ({"target_value": "1,2,3"}, "target_value", "Enter a number"),
        ({"title": ""}, "title", "This field is required."),
    ],
)
def test_a_bad_benefit_is_refused_and_nothing_is_written(client, t, overrides, field, message):
    before = _counts()
    response = _english(_as(client, t.users[Role.ADMINISTRATOR])).post(
        reverse("benefits:benefit_create", args=[t.project.pk]), _benefit_data(**overrides)
    )
    assert response.status_code == 422
    assert any(message in e for e in response.context["form"].errors[field])
    assert "Nothing was saved" in response.content.decode()
    assert _counts() == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"plan-1-year": "2025"}, "The year 2025 is given twice."),
        ({"plan-1-year": "1999"}, "Give a year between 2000 and 2100."),
        ({"plan-1-year": "2101"}, "Give a year between 2000 and 2100."),
        ({"plan-1-planned": "mange"}, "Enter a number"),
        ({"plan-1-planned": ""}, "This field is required."),
        ({"plan-1-planned": "12,345"}, "Ensure that there are no more than 2 decimal places."),
    ],
)
def test_a_bad_plan_row_means_the_benefit_is_not_saved_either(client, t, overrides, message):
    before = _counts()
    response = _english(_as(client, t.users[Role.PROJECT_LEADER])).post(
        reverse("benefits:benefit_create", args=[t.project.pk]), _benefit_data(**overrides)
    )
    assert response.status_code == 422
    errors = [
        e for form in response.context["plans"].forms for v in form.errors.values() for e in v
    ]
    assert any(message in e for e in errors), errors
    assert message.split("%")[0] in response.content.decode()
    assert _counts() == before


def test_edit_changes_the_benefit_and_its_plan_in_one_go(client, t):
    with scopes_disabled():
        plans = list(t.benefit.plans.order_by("year"))
    data = _benefit_data(
        **{
            "title": "Færre henvendelser",
            "baseline_date": "2024-01-01",
            "plan-TOTAL_FORMS": "5",
            "plan-INITIAL_FORMS": "2",
            "plan-0-id": str(plans[0].pk),
            "plan-0-year": "2024",
            "plan-0-planned": "200.000",
            "plan-1-id": str(plans[1].pk),
            "plan-1-year": "2025",
            "plan-1-planned": "400.000",
            "plan-1-DELETE": "on",
            "plan-2-year": "2026",
            "plan-2-planned": "600.000",
            "plan-3-year": "",
            "plan-3-planned": "",
            "plan-4-year": "",
            "plan-4-planned": "",
            "responsible": str(t.leader_person.pk),
        }
    )
    response = _as(client, t.users[Role.SECRETARY]).post(
        reverse("benefits:benefit_edit", args=[t.benefit.pk]), data
    )
    assert response.status_code == 302, response.context and response.context["plans"].errors
    with scopes_disabled():
        t.benefit.refresh_from_db()
        assert t.benefit.title == "Færre henvendelser"
        assert sorted(t.benefit.plans.values_list("year", flat=True)) == [2024, 2026]


def test_edit_shows_numbers_the_danish_way(client, t):
    html = (
        _as(client, t.users[Role.ADMINISTRATOR])
        .get(reverse("benefits:benefit_edit", args=[t.benefit.pk]))
        .content.decode()
    )
    assert 'value="500.000"' in html and 'value="200.000"' in html


def test_a_measured_benefit_keeps_its_unit(client, t):
    before = _counts()
    data = _benefit_data(
        type=BenefitType.QUALITATIVE,
        unit="timer",
        **{"plan-0-year": "", "plan-0-planned": "", "plan-1-year": "", "plan-1-planned": ""},
    )
    response = _english(_as(client, t.users[Role.ADMINISTRATOR])).post(
        reverse("benefits:benefit_edit", args=[t.benefit.pk]), data
    )
    assert response.status_code == 422
    assert "its unit cannot change" in response.context["form"].errors["unit"][0]
    assert _counts() == before


def test_a_plan_year_already_there_cannot_be_added_again(client, t):
    with scopes_disabled():
        plans = list(t.benefit.plans.order_by("year"))
    before = _counts()
    data = _benefit_data(
        **{
            "baseline_date": "2024-01-01",
            "plan-TOTAL_FORMS": "3",
            "plan-INITIAL_FORMS": "2",
            "plan-0-id": str(plans[0].pk),
            "plan-0-year": "2024",
            "plan-0-planned": "200.000",
            "plan-1-id": str(plans[1].pk),
            "plan-1-year": "2025",
            "plan-1-planned": "400.000",
            "plan-2-year": "2024",
            "plan-2-planned": "1",
        }
    )
    response = _as(client, t.users[Role.ADMINISTRATOR]).post(
        reverse("benefits:benefit_edit", args=[t.benefit.pk]), data
    )
    assert response.status_code == 422
    assert response.context["plans"].forms[2].errors["year"]
    assert _counts() == before


# --- Measurements ------------------------------------------------------------------------------


def _measure(client, user, benefit, **overrides):
    data = {
        "measured_on": timezone.localdate().isoformat(),
        "value": "1.250.000",
        "unit": benefit.unit,
        "note": "Fra økonomisystemet",
    }
    data.update(overrides)
    return _english(_as(client, user)).post(
        reverse("benefits:measurement_add", args=[benefit.pk]), data
    )


def test_record_a_measurement_typed_the_danish_way(client, t):
    user = t.users[Role.PROJECT_LEADER]
    form = _as(client, user).get(reverse("benefits:measurement_add", args=[t.benefit.pk]))
    assert form.context["form"]["unit"].value() == "kr."
    assert form.context["form"]["measured_on"].value() == timezone.localdate()
    response = client.post(
        reverse("benefits:measurement_add", args=[t.benefit.pk]),
        {
            "measured_on": timezone.localdate().isoformat(),
            "value": "1.250.000",
            "unit": "kr.",
            "note": "Første halvår",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("benefits:benefit_detail", args=[t.benefit.pk])
    with scopes_disabled():
        latest = BenefitMeasurement.objects.filter(benefit=t.benefit).latest("pk")
    assert latest.value == Decimal("1250000") and latest.recorded_by == user
    page = client.get(response["Location"])
    assert "1.250.000" in page.content.decode()


def test_the_same_unit_written_another_way_is_the_benefits_unit(client, t):
    response = _measure(client, t.users[Role.PROJECT_LEADER], t.benefit, unit="Kr")
    assert response.status_code == 302
    with scopes_disabled():
        assert t.benefit.measurements.latest("pk").unit == "kr."
    response = _as(client, t.users[Role.ADMINISTRATOR]).post(
        reverse("benefits:benefit_create", args=[t.project.pk]), _benefit_data(unit="DKK")
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert Benefit.objects.get(title="Færre fejl i udbetalinger").unit == "kr."


def test_a_level_measurement_takes_a_decimal_comma(client, t):
    with scopes_disabled():
        benefit = factories.benefit(
            t.project,
            "Tilfredshed",
            type=BenefitType.QUALITATIVE,
            unit="point",
            accumulates=False,
            responsible=t.leader_person,
        )
    response = _measure(client, t.users[Role.PROJECT_LEADER], benefit, value="4,25", unit="point")
    assert response.status_code == 302
    with scopes_disabled():
        assert benefit.measurements.get().value == Decimal("4.25")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"unit": "timer"}, "unit", "The benefit is measured in kr.; convert the value"),
        (
            {"measured_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()},
            "measured_on",
            "A measurement cannot be dated in the future.",
        ),
        ({"value": "1.2.3"}, "value", "Enter a number"),
        ({"value": ""}, "value", "This field is required."),
    ],
)
def test_a_bad_measurement_is_refused_and_nothing_is_written(client, t, overrides, field, message):
    before = _counts()
    response = _measure(client, t.users[Role.PROJECT_LEADER], t.benefit, **overrides)
    assert response.status_code == 422
    assert any(message in e for e in response.context["form"].errors[field])
    assert _counts() == before


def test_the_responsible_leader_measures_but_does_not_edit(client, t):
    """A leader who answers for a benefit but does not keep the project."""
    with scopes_disabled():
        user = factories.user(t.municipality, Role.READER, username="ansvarlig")
        person = factories.person(t.municipality, "Bente Ansvarlig", "afdelingsleder", user=user)
        benefit = factories.benefit(t.project, "Kortere sagsbehandling", responsible=person)
    assert _measure(client, user, benefit).status_code == 302
    with scopes_disabled():
        assert benefit.measurements.count() == 1
    detail = client.get(reverse("benefits:benefit_detail", args=[benefit.pk])).content.decode()
    assert reverse("benefits:measurement_add", args=[benefit.pk]) in detail
    assert reverse("benefits:benefit_edit", args=[benefit.pk]) not in detail
    before = _counts()
    assert client.get(reverse("benefits:benefit_edit", args=[benefit.pk])).status_code == 403
    assert (
        client.post(
            reverse("benefits:benefit_edit", args=[benefit.pk]), _benefit_data()
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("benefits:benefit_create", args=[t.project.pk]), _benefit_data()
        ).status_code
        == 403
    )
    # the world's benefit is another leader's: not hers to measure
    assert _measure(client, user, t.benefit).status_code == 403
    assert _counts() == before


def test_a_closed_projects_benefit_is_listed_and_measured(client, t):
    with scopes_disabled():
        t.project.phase = Phase.CLOSED
        t.project.save()
    overview = _as(client, t.users[Role.READER]).get(reverse("benefits:benefit_overview"))
    assert t.benefit in [s.benefit for s in overview.context["summaries"]]
    assert _measure(client, t.users[Role.PROJECT_LEADER], t.benefit).status_code == 302
    with scopes_disabled():
        assert t.benefit.measurements.count() == 2


def test_others_may_not_measure_and_outsiders_do_not_find_it(client, t, other_municipality):
    before = _counts()
    assert _measure(client, t.users[Role.READER], t.benefit).status_code == 403
    outsider = factories.user(other_municipality, Role.ADMINISTRATOR, username="udefra")
    assert _measure(client, outsider, t.benefit).status_code == 404
    assert client.get(reverse("benefits:benefit_detail", args=[t.benefit.pk])).status_code == 404
    assert _counts() == before


# --- Queries ---------------------------------------------------------------------------------


def test_the_pages_cost_the_same_queries_for_any_number_of_benefits(client, t):
    from tests.matrix.benefits import QUERY_PAGES

    client = _as(client, t.users[Role.ADMINISTRATOR])

    def count(page) -> int:
        with scope(municipality=t.municipality.pk):
            name, kwargs, *query = QUERY_PAGES[page](t)
            url = reverse(name, kwargs=kwargs) + (query[0] if query else "")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = {page: count(page) for page in QUERY_PAGES}
    with scopes_disabled():
        grow(t, 6)
        for i in range(6):
            factories.benefit(t.project, f"Ekstra {i}", responsible=t.leader_person)
            factories.measurement(t.benefit, datetime.date(2024, 1, 1 + i), 10)
    large = {page: count(page) for page in QUERY_PAGES}
    assert small == large


# --- History -------------------------------------------------------------------------------------


def test_the_history_shows_who_changed_what_in_the_benefit_its_plan_and_measurements(client, t):
    """Every change of the benefit, its plan per year and its measurements, with the values
    as the pages write them, in a fixed number of queries however long the history."""
    url = reverse("benefits:benefit_history", args=[t.benefit.pk])
    client = _english(_as(client, t.users[Role.READER]))

    def history():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return response.content.decode(), len(queries)

    html, before = history()
    assert "The benefit" in html and "Plan 2024" in html and "Measurement 30-06-2024" in html
    assert "120.000 kr." in html  # what was measured, not only that it was

    with scope(municipality=t.municipality):
        leader = factories.person(t.municipality, "Gitte Gevinstansvarlig")
        benefit = Benefit.objects.get(pk=t.benefit.pk)
        benefit.responsible = leader
        benefit.target_value = Decimal("2500000")
        benefit.save()
        plan = BenefitPlan.objects.filter(benefit=benefit, year=2025).get()
        plan.planned = Decimal("450000")
        plan.save()
        for day in range(1, 6):
            factories.measurement(benefit, datetime.date(2025, 3, day), 1000 * day)
    html, after = history()
    assert "Gitte Gevinstansvarlig" in html  # the responsible leader by name, not by id
    assert "2.500.000" in html and "400.000 → 450.000" in html
    assert "Measurement 05-03-2025" in html and "5.000 kr." in html
    assert after == before, "the history's queries grow with its records"
    assert html.index("Measurement 05-03-2025") < html.index(
        "Measurement 30-06-2024"
    )  # newest first


def test_the_benefit_card_links_to_its_history_and_another_municipalitys_is_not_found(
    client, t, other
):
    client = _as(client, t.users[Role.READER])
    response = client.get(reverse("benefits:benefit_detail", args=[t.benefit.pk]))
    assert reverse("benefits:benefit_history", args=[t.benefit.pk]) in response.content.decode()
    response = client.get(reverse("benefits:benefit_history", args=[other.benefit.pk]))
    assert response.status_code == 404
