"""The benefits API under /api/v1/: benefits with their plans per year, and measurements.

The fixture: a project led by PROJECT_LEADER's person with an economic benefit (planned
2024 and 2025, one measurement) and a qualitative one whose responsible leader is MEMBER's
person; a project nobody of the users keeps, with a benefit; and a mirror, marked SECRET, in
another municipality. ADMINISTRATOR and SECRETARY run the portfolio; READER keeps nothing.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from benefits.models import Benefit, BenefitMeasurement, BenefitPlan
from core.models import Role
from tests import factories

pytestmark = pytest.mark.django_db

SECRET = "SECRET-of-the-other-municipality"
REQUIRED = "This field is required."


@pytest.fixture
def bf(municipality, other_municipality, users):
    o = SimpleNamespace()
    o.leader = factories.person(
        municipality, "Lene Leder", "projektleder", user=users[Role.PROJECT_LEADER]
    )
    o.member = factories.person(municipality, "Mads Medlem", "chef", user=users[Role.MEMBER])
    o.project = factories.project(municipality, "Borgerblikket", leader=o.leader)
    o.unkept = factories.project(municipality, "Aula")
    o.benefit = factories.benefit(o.project, "Færre henvendelser", responsible=o.leader)
    o.plan_2024 = factories.plan(o.benefit, 2024, 200_000)
    o.plan_2025 = factories.plan(o.benefit, 2025, 400_000)
    o.measurement = factories.measurement(o.benefit, datetime.date(2024, 6, 30), 120_000)
    o.quality = factories.benefit(
        o.project,
        "Tilfredshed",
        type="qualitative",
        unit="%",
        accumulates=False,
        responsible=o.member,
        baseline_value=60,
        target_value=80,
    )
    o.unkept_benefit = factories.benefit(
        o.unkept, "Tidsbesparelse", responsible=None, target_value=None, target_date=None
    )

    o.f_person = factories.person(other_municipality, SECRET, SECRET)
    o.f_project = factories.project(other_municipality, SECRET)
    o.f_benefit = factories.benefit(o.f_project, SECRET, measurement_method=SECRET)
    o.f_measurement = factories.measurement(o.f_benefit, note=SECRET)
    return o


@pytest.fixture
def api(users):
    """`api(role)`: an API client of the user with that role, by token; English messages."""

    def make(role=Role.ADMINISTRATOR):
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        if role == "anonymous":
            return client
        key = factories.api_key(users[role])
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


def url(resource: str, pk: int | None = None) -> str:
    return f"/api/v1/{resource}/" + (f"{pk}/" if pk is not None else "")


def fingerprint():
    """Everything a refused write must leave alone."""
    with scopes_disabled():
        return (
            sorted(Benefit.objects.values_list("pk", "title", "target_date", "project_id")),
            sorted(BenefitPlan.objects.values_list("pk", "benefit_id", "year", "planned")),
            sorted(BenefitMeasurement.objects.values_list("pk", "value", "unit")),
        )


def plans_of(benefit) -> list[tuple[int, Decimal]]:
    with scopes_disabled():
        return list(
            BenefitPlan.objects.filter(benefit=benefit)
            .order_by("year")
            .values_list("year", "planned")
        )


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def benefit_payload(project, /, **changes) -> dict:
    data = {
        "project": project.pk,
        "title": "Hurtigere sagsbehandling",
        "type": "budget",
        "unit": "kr.",
        "baseline_value": "0",
        "baseline_date": "2024-01-01",
        "target_value": "300000",
        "target_date": "2026-12-31",
        "frequency": 3,
        "plans": [{"year": 2025, "planned": "100000"}, {"year": 2026, "planned": "200000"}],
    }
    data.update(changes)
    return data


# --- Reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role.values))
def test_everyone_in_the_municipality_reads_benefits(api, bf, role):
    client = api(role)
    response = client.get(url("benefits"))
    assert set(ids(response)) == {bf.benefit.pk, bf.quality.pk, bf.unkept_benefit.pk}
    assert SECRET not in response.content.decode()
    response = client.get(url("benefit-measurements"))
    assert ids(response) == [bf.measurement.pk]
    assert SECRET not in response.content.decode()
    assert client.get(url("benefits", bf.benefit.pk)).status_code == 200
    assert client.get(url("benefit-measurements", bf.measurement.pk)).status_code == 200


def test_anonymous_is_refused(api, bf):
    client = api("anonymous")
    assert client.get(url("benefits")).status_code == 401
    assert client.get(url("benefit-measurements", bf.measurement.pk)).status_code == 401


def test_a_benefit_shows_planned_against_realised(api, bf):
    data = api(Role.READER).get(url("benefits", bf.benefit.pk)).json()
    assert data["plans"] == [
        {"year": 2024, "planned": "200000.00"},
        {"year": 2025, "planned": "400000.00"},
    ]
    assert data["years"] == [
        {"year": 2024, "planned": "200000.00", "realised": "120000.00", "share": 60},
        {"year": 2025, "planned": "400000.00", "realised": None, "share": None},
    ]
    assert data["last_measured"] == "2024-06-30"
    assert data["last_value"] == "120000.00"
    assert data["next_due"] == "2024-09-30"  # quarterly after the latest measurement
    assert data["flags"] == ["overdue"]
    assert data["planned_total"] == "600000.00"
    assert data["realised_total"] == "120000.00"


def test_flags_of_a_benefit_without_owner_or_target(api, bf):
    data = api(Role.READER).get(url("benefits", bf.unkept_benefit.pk)).json()
    assert data["flags"][:2] == ["no_owner", "no_target"]
    assert data["last_value"] is None
    assert data["years"] == []


def test_benefits_are_filtered(api, bf):
    client = api(Role.READER)
    assert ids(client.get(url("benefits"), {"project": bf.unkept.pk})) == [bf.unkept_benefit.pk]
    assert ids(client.get(url("benefits"), {"type": "qualitative"})) == [bf.quality.pk]
    assert ids(client.get(url("benefits"), {"responsible": bf.member.pk})) == [bf.quality.pk]
    assert client.get(url("benefits"), {"type": "x"}).status_code == 400
    # by the project's phase, as the overview filters
    phase = bf.unkept.phase
    by_phase = set(ids(client.get(url("benefits"), {"phase": phase})))
    assert bf.unkept_benefit.pk in by_phase
    assert by_phase == {
        row["id"]
        for row in client.get(url("benefits"), {"limit": 500}).json()["results"]
        if client.get(url("projects", row["project"])).json()["phase"] == phase
    }
    assert client.get(url("benefits"), {"phase": "x"}).status_code == 400
    other = factories.measurement(bf.quality, datetime.date(2024, 3, 31), 70, unit="%")
    assert ids(client.get(url("benefit-measurements"), {"benefit": bf.quality.pk})) == [other.pk]
    assert set(ids(client.get(url("benefit-measurements"), {"project": bf.project.pk}))) == {
        bf.measurement.pk,
        other.pk,
    }
    assert client.get(url("benefit-measurements"), {"benefit": "x"}).status_code == 400


def test_another_municipalitys_rows_are_404(api, bf):
    client = api()
    before = fingerprint()
    assert client.get(url("benefits", bf.f_benefit.pk)).status_code == 404
    assert (
        client.patch(url("benefits", bf.f_benefit.pk), {"title": "x"}, format="json").status_code
        == 404
    )
    assert client.delete(url("benefits", bf.f_benefit.pk)).status_code == 404
    assert client.get(url("benefit-measurements", bf.f_measurement.pk)).status_code == 404
    assert client.delete(url("benefit-measurements", bf.f_measurement.pk)).status_code == 404
    assert fingerprint() == before


# --- Benefits --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PROJECT_LEADER, Role.SECRETARY])
def test_keepers_add_a_benefit_with_its_plans(api, bf, role):
    response = api(role).post(url("benefits"), benefit_payload(bf.project), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["plans"] == [
        {"year": 2025, "planned": "100000.00"},
        {"year": 2026, "planned": "200000.00"},
    ]
    assert data["planned_total"] == "300000.00"
    with scopes_disabled():
        benefit = Benefit.objects.get(pk=data["id"])
    assert benefit.municipality_id == bf.project.municipality_id
    assert plans_of(benefit) == [(2025, Decimal("100000.00")), (2026, Decimal("200000.00"))]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.READER])
def test_others_may_not_add_or_change_benefits(api, bf, role):
    before = fingerprint()
    client = api(role)
    assert (
        client.post(url("benefits"), benefit_payload(bf.project), format="json").status_code == 403
    )
    assert client.post(url("benefits"), {}, format="json").status_code == 403
    assert (
        client.patch(url("benefits", bf.benefit.pk), {"title": "X"}, format="json").status_code
        == 403
    )
    assert client.delete(url("benefits", bf.unkept_benefit.pk)).status_code == 403
    assert fingerprint() == before


def test_the_leader_may_not_add_to_another_project(api, bf):
    before = fingerprint()
    client = api(Role.PROJECT_LEADER)
    response = client.post(url("benefits"), benefit_payload(bf.unkept, type="x"), format="json")
    assert response.status_code == 403
    assert (
        client.patch(
            url("benefits", bf.unkept_benefit.pk), {"title": "X"}, format="json"
        ).status_code
        == 403
    )
    assert fingerprint() == before


def test_an_empty_benefit_of_a_keeper_names_what_is_missing(api, bf):
    response = api(Role.PROJECT_LEADER).post(url("benefits"), {}, format="json")
    assert response.status_code == 400
    assert response.json()["project"] == [REQUIRED]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"target_date": "2023-12-31"}, "target_date"),  # before the baseline
        ({"baseline_date": None}, "baseline_date"),  # a baseline value needs its date
        ({"unit": "timer"}, "unit"),  # an economic benefit is in kr.
        ({"accumulates": False}, "accumulates"),
        ({"type": "x"}, "type"),
        ({"responsible": 10**9}, "responsible"),
        ({"plans": [{"year": 2025, "planned": "1"}, {"year": 2025, "planned": "2"}]}, "plans"),
        ({"plans": [{"year": 2025, "planned": "1"}, {"year": 1999, "planned": "2"}]}, "plans"),
        ({"plans": [{"year": 2025}]}, "plans"),
        ({"plans": [{"year": 2025, "planned": "1e20"}]}, "plans"),
        ({"target_date": "9999-12-31"}, "target_date"),
    ],
)
def test_a_bad_benefit_is_refused_and_nothing_is_written(api, bf, changes, field):
    before = fingerprint()
    client = api(Role.PROJECT_LEADER)
    response = client.post(url("benefits"), benefit_payload(bf.project, **changes), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    response = client.patch(
        url("benefits", bf.benefit.pk), {"title": "Nyt navn", **changes}, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert fingerprint() == before


def test_references_to_another_municipality_are_400(api, bf):
    before = fingerprint()
    client = api()
    response = client.post(url("benefits"), benefit_payload(bf.f_project), format="json")
    assert response.status_code == 400 and "project" in response.json()
    response = client.post(
        url("benefits"), benefit_payload(bf.project, responsible=bf.f_person.pk), format="json"
    )
    assert response.status_code == 400 and "responsible" in response.json()
    response = client.patch(
        url("benefits", bf.benefit.pk), {"responsible": bf.f_person.pk}, format="json"
    )
    assert response.status_code == 400 and "responsible" in response.json()
    assert SECRET not in response.content.decode()
    assert fingerprint() == before


def test_plans_given_replace_the_plans(api, bf):
    response = api(Role.PROJECT_LEADER).patch(
        url("benefits", bf.benefit.pk),
        {
            "title": "Færre opkald",
            "plans": [{"year": 2025, "planned": "450000"}, {"year": 2026, "planned": "500000"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert plans_of(bf.benefit) == [(2025, Decimal("450000.00")), (2026, Decimal("500000.00"))]
    with scopes_disabled():
        kept = BenefitPlan.objects.get(benefit=bf.benefit, year=2025)
    assert kept.pk == bf.plan_2025.pk  # a year that stays keeps its row
    data = response.json()
    assert data["title"] == "Færre opkald"
    assert [row["year"] for row in data["years"]] == [2024, 2025, 2026]  # 2024 was measured


def test_a_change_without_plans_keeps_them(api, bf):
    response = api().patch(url("benefits", bf.benefit.pk), {"title": "X"}, format="json")
    assert response.status_code == 200
    assert plans_of(bf.benefit) == [(2024, Decimal("200000.00")), (2025, Decimal("400000.00"))]
    response = api().patch(url("benefits", bf.benefit.pk), {"plans": []}, format="json")
    assert response.status_code == 200
    assert plans_of(bf.benefit) == []


def test_the_benefit_and_its_plans_are_written_all_or_nothing(api, bf, monkeypatch):
    """A failure while the plans are saved leaves the benefit and its plans as they were."""
    before = fingerprint()
    original = BenefitPlan.save

    def fail_on_2026(plan, *args, **kwargs):
        if plan.year == 2026:
            raise RuntimeError("the disk is full")
        return original(plan, *args, **kwargs)

    monkeypatch.setattr(BenefitPlan, "save", fail_on_2026)
    client = api()
    client.raise_request_exception = True
    with pytest.raises(RuntimeError):
        client.patch(
            url("benefits", bf.benefit.pk),
            {
                "title": "Halvt gemt",
                "plans": [{"year": 2025, "planned": "1"}, {"year": 2026, "planned": "2"}],
            },
            format="json",
        )
    with pytest.raises(RuntimeError):
        client.post(url("benefits"), benefit_payload(bf.project), format="json")
    assert fingerprint() == before


def test_a_benefit_stays_with_its_project(api, bf):
    before = fingerprint()
    response = api().patch(url("benefits", bf.benefit.pk), {"project": bf.unkept.pk}, format="json")
    assert response.status_code == 400
    assert "project" in response.json()
    assert fingerprint() == before


def test_a_benefit_without_measurements_is_deleted_by_keepers(api, bf):
    response = api(Role.PROJECT_LEADER).delete(url("benefits", bf.quality.pk))
    assert response.status_code == 204
    with scopes_disabled():
        assert not Benefit.objects.filter(pk=bf.quality.pk).exists()


def test_a_measured_benefit_is_not_deleted(api, bf):
    before = fingerprint()
    response = api().delete(url("benefits", bf.benefit.pk))
    assert response.status_code == 409
    assert "measurements" in response.json()["detail"]
    assert fingerprint() == before


# --- Measurements ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PROJECT_LEADER, Role.SECRETARY])
def test_keepers_record_a_measurement(api, bf, users, role):
    response = api(role).post(
        url("benefit-measurements"),
        {
            "benefit": bf.benefit.pk,
            "measured_on": "2024-09-30",
            "value": "80000",
            "note": "Kvartal 3",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["unit"] == "kr."  # the benefit's unit by default
    with scopes_disabled():
        measurement = BenefitMeasurement.objects.get(pk=data["id"])
    assert measurement.recorded_by == users[role]
    assert measurement.municipality_id == bf.project.municipality_id
    summary = api(Role.READER).get(url("benefits", bf.benefit.pk)).json()
    assert summary["years"][0]["realised"] == "200000.00"


def test_the_responsible_leader_records_measurements_of_the_benefit(api, bf):
    client = api(Role.MEMBER)
    response = client.post(
        url("benefit-measurements"),
        {
            "benefit": bf.quality.pk,
            "measured_on": "2024-09-30",
            "value": "72",
            "unit": "%",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    before = fingerprint()
    response = client.post(
        url("benefit-measurements"),
        {
            "benefit": bf.benefit.pk,
            "value": "1",
        },
        format="json",
    )
    assert response.status_code == 403  # not responsible for that one
    assert client.post(url("benefit-measurements"), {}, format="json").status_code == 400
    assert fingerprint() == before


def test_readers_may_not_record_measurements(api, bf):
    before = fingerprint()
    client = api(Role.READER)
    assert (
        client.post(
            url("benefit-measurements"), {"benefit": bf.benefit.pk, "value": "1"}, format="json"
        ).status_code
        == 403
    )
    assert client.post(url("benefit-measurements"), {}, format="json").status_code == 403
    assert fingerprint() == before


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"unit": "timer"}, "unit"),  # the benefit is measured in kr.
        ({"measured_on": "2999-01-01"}, "measured_on"),  # in the future
        ({"value": "abc"}, "value"),
        ({"value": None}, "value"),
        ({"benefit": 10**9}, "benefit"),
    ],
)
def test_a_bad_measurement_is_refused_and_nothing_is_written(api, bf, changes, field):
    before = fingerprint()
    data = {"benefit": bf.benefit.pk, "measured_on": "2024-09-30", "value": "1000", **changes}
    response = api(Role.PROJECT_LEADER).post(url("benefit-measurements"), data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert fingerprint() == before


def test_a_measurement_in_another_unit_says_which(api, bf):
    response = api().post(
        url("benefit-measurements"),
        {
            "benefit": bf.quality.pk,
            "value": "70",
            "unit": "kr.",
        },
        format="json",
    )
    assert response.json()["unit"] == [
        "The benefit is measured in %; convert the value before recording it."
    ]


def test_a_measurement_of_another_municipalitys_benefit_is_400(api, bf):
    before = fingerprint()
    response = api().post(
        url("benefit-measurements"),
        {
            "benefit": bf.f_benefit.pk,
            "value": "1",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "benefit" in response.json()
    assert SECRET not in response.content.decode()
    assert fingerprint() == before


def test_a_measurement_is_a_record(api, bf):
    before = fingerprint()
    client = api()
    path = url("benefit-measurements", bf.measurement.pk)
    assert client.patch(path, {"value": "1"}, format="json").status_code == 405
    assert (
        client.put(path, {"benefit": bf.benefit.pk, "value": "1"}, format="json").status_code == 405
    )
    assert fingerprint() == before


@pytest.mark.parametrize("role", [Role.PROJECT_LEADER, Role.MEMBER, Role.READER])
def test_only_those_who_run_the_portfolio_delete_a_measurement(api, bf, role):
    before = fingerprint()
    assert api(role).delete(url("benefit-measurements", bf.measurement.pk)).status_code == 403
    assert fingerprint() == before
    assert (
        api(Role.SECRETARY).delete(url("benefit-measurements", bf.measurement.pk)).status_code
        == 204
    )
    with scopes_disabled():
        assert not BenefitMeasurement.objects.filter(pk=bf.measurement.pk).exists()


def test_a_measurement_today_is_allowed(api, bf):
    response = api().post(
        url("benefit-measurements"),
        {
            "benefit": bf.benefit.pk,
            "value": "1",
            "measured_on": timezone.localdate().isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201


# --- Queries ---------------------------------------------------------------------------------


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_the_rows(api, bf):
    client = api(Role.READER)
    paths = [url("benefits"), url("benefits", bf.benefit.pk), url("benefit-measurements")]
    small = [_queries(client, path) for path in paths]
    for i in range(5):
        benefit = factories.benefit(bf.project, f"Gevinst {i}", responsible=bf.leader)
        factories.plan(benefit, 2024, 1000)
        factories.plan(bf.benefit, 2030 + i, 1000)
        factories.measurement(benefit, datetime.date(2024, 3, 31), 500)
        factories.measurement(bf.benefit, datetime.date(2024, 1, 1 + i), 500)
    assert [_queries(client, path) for path in paths] == small


# --- The page's unit rules hold for the API (benefits.services.benefit_unit) -----------------


def test_the_unit_of_a_measured_benefit_cannot_change_through_the_api(api, bf):
    before = fingerprint()
    response = api().patch(url("benefits", bf.benefit.pk), {"unit": "timer"}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["unit"] == [
        "The benefit has measurements in kr.; its unit cannot change."
    ]
    assert fingerprint() == before
    with scopes_disabled():
        assert Benefit.objects.get(pk=bf.benefit.pk).unit == "kr."


def test_kroner_written_another_way_is_kr_in_the_api(api, bf):
    response = api().patch(url("benefits", bf.quality.pk), {"unit": " DKK "}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["unit"] == "kr."


def test_a_measurement_in_the_same_unit_written_another_way_takes_the_benefits_spelling(api, bf):
    response = api().post(
        url("benefit-measurements"),
        {"benefit": bf.benefit.pk, "measured_on": "2024-09-30", "value": "1000", "unit": "Kr"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["unit"] == "kr."
