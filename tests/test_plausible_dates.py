"""Every date and year a user or the API sets lies in the plausible years (`core.validators`,
2000–2100; the model fields of `core.fields` carry the bound).

A date in the year 2500 or 1900 is refused on the page and in the API with a Danish message
naming the field, and nothing is written; a plausible date is accepted. The world is built once
for the module (`t`); each request runs in the test's savepoint.
"""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from benefits.models import BenefitMeasurement
from core.fields import PlausibleDateField, PlausibleYearField
from core.models import Role
from core.validators import PlausibleDate, PlausibleYear
from meetings.models import Meeting
from portfolio.models import PhaseChange, Project, StatusReport
from strategy.models import Strategy

BAD_YEARS = [2500, 1900]


def _date_message(label: str) -> str:
    return f"{label}: angiv en dato i årene 2000–2100."


# --- The bound --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "plausible"),
    [
        (datetime.date(1999, 12, 31), False),
        (datetime.date(2000, 1, 1), True),
        (datetime.date(2100, 12, 31), True),
        (datetime.date(2101, 1, 1), False),
        (datetime.date(1900, 1, 1), False),
        (datetime.date(2500, 6, 1), False),
        (None, True),
    ],
)
def test_the_bound_of_a_date(day, plausible):
    validate = PlausibleDate("period from")
    if plausible:
        validate(day)
    else:
        with translation.override("da"), pytest.raises(ValidationError) as error:
            validate(day)
        assert error.value.messages == ["Period from: angiv en dato i årene 2000–2100."]
        assert error.value.code == "implausible_date"


def test_the_bound_of_a_year():
    for year in (2000, 2024, 2100):
        PlausibleYear("year")(year)
    for year in (1999, 2101, 2500):
        with translation.override("da"), pytest.raises(ValidationError) as error:
            PlausibleYear()(year)
        assert error.value.messages == ["Angiv et år fra 2000 til 2100."]


def _domain_fields():
    """Every concrete date and year field of the apps' own models (not Django's, not core's
    timestamps of logins and keys)."""
    for model in apps.get_models():
        if model._meta.app_label not in {
            "organisation",
            "meetings",
            "portfolio",
            "benefits",
            "strategy",
            "planning",
        }:
            continue
        for field in model._meta.concrete_fields:
            yield model, field


def test_every_date_and_year_of_the_domain_carries_the_bound():
    """A new date field is a PlausibleDateField (a DateTimeField is a timestamp the system
    sets); a year is a PlausibleYearField."""
    missing = []
    for model, field in _domain_fields():
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            if not isinstance(field, PlausibleDateField):
                missing.append(f"{model.__name__}.{field.name}")
        elif field.name == "year" or (
            field.name.endswith("_year") and not field.name.endswith("per_year")
        ):
            if not isinstance(field, PlausibleYearField):
                missing.append(f"{model.__name__}.{field.name}")
    assert missing == []


def test_a_model_names_the_field_in_danish():
    project = Project(name="X", start_date=datetime.date(2500, 1, 1))
    with translation.override("da"):
        errors = _clean_errors(project, "start_date")
    assert errors == [_date_message("Startdato")]
    strategy = Strategy(title="X", start_year=1900, end_year=2500)
    with translation.override("da"):
        assert _clean_errors(strategy, "start_year") == [
            "Første år: angiv et år fra 2000 til 2100."
        ]
        assert _clean_errors(strategy, "end_year") == ["Sidste år: angiv et år fra 2000 til 2100."]


def _clean_errors(instance, name) -> list[str]:
    with pytest.raises(ValidationError) as error:
        instance.clean_fields()
    return error.value.message_dict[name]


# --- Pages and the API ------------------------------------------------------------------------


def _form_data(form, **changes) -> dict:
    """What the page's form would post as it stands, with the changes."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, False):
            continue
        if value is True:
            value = "on"
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        elif isinstance(value, list):
            value = [str(v) for v in value]
        data[name] = value
    data.update(changes)
    return data


def _page(client, user, url, **changes):
    """Post the page's form with the changes; the response."""
    client.force_login(user)
    form = client.get(url).context["form"]
    return client.post(url, _form_data(form, **changes))


def _api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def _report(year: int) -> dict:
    """A status report for the quarter after the world's report, in the year."""
    return {
        "period_start": f"{year}-04-01",
        "period_end": f"{year}-06-30",
        **dict.fromkeys(("schedule", "budget", "scope", "benefits", "resources"), "green"),
        "progress": "Testet",
        "next_steps": "Idriftsættelse",
    }


# Each case: the model that must not grow, the field, its Danish label, and how the page and
# the API send a date of a year.
CASES = {
    "status report period": (
        StatusReport,
        "period_start",
        "Periode fra",
        lambda t: (
            t.users[Role.PROJECT_LEADER],
            reverse("portfolio:report_create", args=[t.project.pk]),
        ),
        lambda t, year: (
            "post",
            "/api/v1/status-reports/",
            {"project": t.project.pk, **_report(year)},
        ),
        _report,
    ),
    "project start": (
        Project,
        "start_date",
        "Startdato",
        lambda t: (
            t.users[Role.ADMINISTRATOR],
            reverse("portfolio:project_edit", args=[t.project.pk]),
        ),
        lambda t, year: (
            "patch",
            f"/api/v1/projects/{t.project.pk}/",
            {"start_date": f"{year}-01-01"},
        ),
        lambda year: {"start_date": f"{year}-01-01"},
    ),
    "project end": (
        Project,
        "end_date",
        "Slutdato",
        lambda t: (
            t.users[Role.ADMINISTRATOR],
            reverse("portfolio:project_edit", args=[t.project.pk]),
        ),
        lambda t, year: (
            "patch",
            f"/api/v1/projects/{t.project.pk}/",
            {"end_date": f"{year}-12-31"},
        ),
        lambda year: {"end_date": f"{year}-12-31"},
    ),
    "project gate": (
        PhaseChange,
        "decided_on",
        "Besluttet den",
        lambda t: (
            t.users[Role.ADMINISTRATOR],
            reverse("portfolio:project_phase", args=[t.project.pk]),
        ),
        lambda t, year: (
            "post",
            f"/api/v1/projects/{t.project.pk}/change-phase/",
            {"to_phase": "realisation", "decided_on": f"{year}-05-01"},
        ),
        lambda year: {"to_phase": "realisation", "decided_on": f"{year}-05-01"},
    ),
    "meeting date": (
        Meeting,
        "date",
        "Dato",
        lambda t: (
            t.users[Role.SECRETARY],
            reverse("meetings:meeting_edit", args=[t.draft_meeting.pk]),
        ),
        lambda t, year: (
            "patch",
            f"/api/v1/meetings/{t.draft_meeting.pk}/",
            {"date": f"{year}-11-20"},
        ),
        lambda year: {"date": f"{year}-11-20"},
    ),
    "benefit measurement": (
        BenefitMeasurement,
        "measured_on",
        "Målt den",
        lambda t: (
            t.users[Role.PROJECT_LEADER],
            reverse("benefits:measurement_add", args=[t.benefit.pk]),
        ),
        lambda t, year: (
            "post",
            "/api/v1/benefit-measurements/",
            {"benefit": t.benefit.pk, "measured_on": f"{year}-09-30", "value": "1000"},
        ),
        lambda year: {"measured_on": f"{year}-09-30", "value": "1000"},
    ),
}


def _snapshot(model, name):
    with scopes_disabled():
        return sorted(model.objects.values_list("pk", name))


@pytest.mark.parametrize("year", BAD_YEARS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_the_page_refuses_an_implausible_date(client, t, case, year):
    model, name, label, page, _api_request, changes = CASES[case]
    user, url = page(t)
    before = _snapshot(model, name)
    response = _page(client, user, url, **changes(year))
    assert response.status_code == 422
    assert _date_message(label) in response.context["form"].errors[name]
    assert _snapshot(model, name) == before


@pytest.mark.parametrize("year", BAD_YEARS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_the_api_refuses_an_implausible_date(t, case, year):
    model, name, label, page, api_request, _changes = CASES[case]
    user, _url = page(t)
    method, url, payload = api_request(t, year)
    before = _snapshot(model, name)
    response = getattr(_api(user), method)(url, payload, format="json")
    assert response.status_code == 400, response.content
    assert _date_message(label) in response.json()[name]
    assert _snapshot(model, name) == before


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_plausible_date_is_accepted_on_the_page(client, t, case):
    _model, _name, _label, page, _api_request, changes = CASES[case]
    user, url = page(t)
    response = _page(client, user, url, **changes(2024))
    assert response.status_code == 302, response.context["form"].errors


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_plausible_date_is_accepted_in_the_api(t, case):
    _model, _name, _label, page, api_request, _changes = CASES[case]
    user, _url = page(t)
    method, url, payload = api_request(t, 2024)
    response = getattr(_api(user), method)(url, payload, format="json")
    assert response.status_code in (200, 201), response.content
