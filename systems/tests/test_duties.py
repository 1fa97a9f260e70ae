"""The duties of the register and their state on a day (`systems.duties`)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from systems import duties
from systems.duties import Kind, State
from systems.models import AssessmentKind, Contract, Hosting, Lifecycle, SystemUsage
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 6, 1)


@pytest.fixture
def m():
    return factories.municipality()


def kinds(found, usage) -> dict[str, tuple[str, datetime.date | None]]:
    return {d.kind: (d.state, d.due) for d in found[usage.pk]}


def test_a_system_with_personal_data_is_risk_assessed_every_interval(m):
    usage = factories.system_usage(
        m, "Fasit", personal_data=["ordinary"], risk_assessment_months=12
    )
    plain = factories.system_usage(m, "Intranet")
    with scope(municipality=m):
        found = duties.usage_duties(SystemUsage.objects.all(), TODAY)
        assert kinds(found, usage) == {Kind.RISK: (State.MISSING, None)}
        assert found[plain.pk] == []
        factories.assessment(usage, done_on=datetime.date(2023, 5, 1))
        found = duties.usage_duties(SystemUsage.objects.all(), TODAY)
        assert kinds(found, usage) == {Kind.RISK: (State.OVERDUE, datetime.date(2024, 5, 1))}
        factories.assessment(usage, done_on=datetime.date(2023, 7, 1))
        found = duties.usage_duties(SystemUsage.objects.all(), TODAY)
        assert kinds(found, usage) == {Kind.RISK: (State.SOON, datetime.date(2024, 7, 1))}
        # a next due date given on the assessment wins over the interval
        factories.assessment(
            usage, done_on=datetime.date(2024, 1, 1), next_due=datetime.date(2026, 1, 1)
        )
        found = duties.usage_duties(SystemUsage.objects.all(), TODAY)
        assert kinds(found, usage) == {Kind.RISK: (State.OK, datetime.date(2026, 1, 1))}


def test_a_critical_system_is_risk_assessed_without_personal_data(m):
    usage = factories.system_usage(m, "Telefoni", criticality="critical")
    with scope(municipality=m):
        assert Kind.RISK in kinds(duties.usage_duties(SystemUsage.objects.all(), TODAY), usage)


def test_sensitive_data_needs_a_dpia_and_an_external_system_an_agreement(m):
    usage = factories.system_usage(
        m, "Borgerblikket", personal_data=["cpr"], hosting=Hosting.EXTERNAL
    )
    with scope(municipality=m):
        found = kinds(duties.usage_duties(SystemUsage.objects.all(), TODAY), usage)
        assert found[Kind.DPIA] == (State.MISSING, None)
        assert found[Kind.AGREEMENT] == (State.MISSING, None)
        factories.assessment(usage, kind=AssessmentKind.DPIA)
        factories.agreement(m, usages=[usage], concluded_on=datetime.date(2024, 1, 1))
        found = kinds(duties.usage_duties(SystemUsage.objects.all(), TODAY), usage)
        assert Kind.DPIA not in found and Kind.AGREEMENT not in found


def test_an_ended_system_has_no_duties(m):
    usage = factories.system_usage(
        m, "Gammelt ESDH", personal_data=["cpr"], lifecycle=Lifecycle.ENDED
    )
    with scope(municipality=m):
        assert duties.usage_duties(SystemUsage.objects.all(), TODAY)[usage.pk] == []


def test_supervision_and_notice(m):
    usage = factories.system_usage(m, "Aula", personal_data=["ordinary"])
    agreement = factories.agreement(
        m, usages=[usage], concluded_on=datetime.date(2022, 1, 1), supervision_months=12
    )
    contract = factories.contract(
        m,
        usages=[usage],
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2025, 1, 31),
        notice_months=6,
    )
    with scope(municipality=m):
        found = duties.agreement_duties(type(agreement).objects.filter(pk=agreement.pk), TODAY)[
            agreement.pk
        ]
        assert [(d.state, d.due) for d in found] == [(State.OVERDUE, datetime.date(2023, 1, 1))]
        factories.supervision(agreement, done_on=datetime.date(2024, 3, 1))
        found = duties.agreement_duties(type(agreement).objects.filter(pk=agreement.pk), TODAY)
        assert [(d.state, d.due) for d in found[agreement.pk]] == [
            (State.OK, datetime.date(2025, 3, 1))
        ]
        notice = duties.contract_duties(Contract.objects.all(), TODAY)[contract.pk]
        assert [(d.state, d.due) for d in notice] == [
            (State.OVERDUE, datetime.date(2024, 7, 31))
        ] or [(d.state, d.due) for d in notice] == [(State.SOON, datetime.date(2024, 7, 31))]
        assert notice[0].usage_ids == [usage.pk]


def test_open_duties_of_an_owner_soonest_first_in_constant_queries(m):
    owner = factories.person(m, "Systemejer")
    other = factories.person(m, "En anden")
    for i in range(3):
        usage = factories.system_usage(m, f"Eget {i}", personal_data=["ordinary"], owner=owner)
    factories.system_usage(m, "Andres", personal_data=["ordinary"], owner=other)
    factories.agreement(m, usages=[usage], concluded_on=datetime.date(2020, 1, 1))
    factories.contract(
        m,
        usages=[usage],
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2030, 1, 1),
        notice_months=3,
    )

    def measured():
        with scope(municipality=m), CaptureQueriesContext(connection) as captured:
            found = duties.open_duties(TODAY, owner_id=owner.pk)
        return found, len(captured)

    found, queries = measured()
    assert {d.subject for d in found} >= {"Eget 0", "Eget 1", "Eget 2"}
    assert "Andres" not in {d.subject for d in found}
    assert all(d.owner_id == owner.pk for d in found)
    for i in range(5):
        usage = factories.system_usage(
            m, f"Mere {i}", personal_data=["cpr"], owner=owner, hosting=Hosting.EXTERNAL
        )
        factories.agreement(m, usages=[usage], concluded_on=datetime.date(2020, 1, 1))
        factories.contract(
            m,
            usages=[usage],
            start=datetime.date(2020, 1, 1),
            end=datetime.date(2026, 1, 1),
            notice_months=3,
        )
    more, more_queries = measured()
    assert len(more) > len(found)
    assert more_queries == queries
    states = [d.state for d in more]
    assert states == sorted(states, key={State.OVERDUE: 0, State.MISSING: 1, State.SOON: 2}.get)
