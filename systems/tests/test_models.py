"""The rules of one row of the register: contracts, agreements, assessments, breaches."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django_scopes import scopes_disabled

from core.models import Role
from core.permissions import has_perm
from systems.models import (
    NOTIFY_WITHIN,
    Assessment,
    AssessmentKind,
    Breach,
    Contract,
    DataProcessingAgreement,
    Outcome,
    Severity,
    SystemUsage,
)
from tests import factories

pytestmark = pytest.mark.django_db


def errors(row) -> dict:
    with pytest.raises(ValidationError) as raised:
        row.full_clean()
    return raised.value.message_dict


@pytest.fixture
def m():
    return factories.municipality()


def test_a_contract_ending_before_it_starts_is_refused(m):
    contract = Contract(
        municipality=m, name="Aula", start=datetime.date(2024, 1, 1), end=datetime.date(2023, 1, 1)
    )
    assert errors(contract) == {"end": [gettext("The contract ends before it starts.")]}


def test_a_notice_period_longer_than_the_contract_is_refused(m):
    contract = Contract(
        municipality=m,
        name="Fasit",
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2024, 12, 31),
        notice_months=13,
    )
    assert errors(contract) == {
        "notice_months": [gettext("The notice period is longer than the contract.")]
    }
    contract.notice_months = 30_000  # no crash: the field's limit answers
    assert list(errors(contract)) == ["notice_months"]
    contract.notice_months = 6
    contract.full_clean()
    assert contract.last_notice_date == datetime.date(2024, 6, 30)


def test_a_third_country_transfer_needs_a_basis(m):
    agreement = DataProcessingAgreement(municipality=m, name="Teams", third_countries="USA")
    assert list(errors(agreement)) == ["transfer_basis"]
    agreement.transfer_basis = "scc"
    agreement.full_clean()


def test_a_breach_notified_before_it_was_discovered_is_refused(m):
    found = timezone.now() - datetime.timedelta(days=2)
    breach = Breach(
        municipality=m,
        title="Mail til forkert modtager",
        discovered_at=found,
        notified_at=found - datetime.timedelta(hours=1),
        severity=Severity.RISK,
    )
    assert "notified_at" in errors(breach)


def test_a_breach_notified_late_says_why(m):
    found = timezone.now() - datetime.timedelta(days=5)
    breach = Breach(
        municipality=m,
        title="Borgerdata på åben server",
        discovered_at=found,
        notified_at=found + NOTIFY_WITHIN + datetime.timedelta(hours=1),
        severity=Severity.HIGH,
    )
    assert breach.notified_late
    assert list(errors(breach)) == ["not_notified_reason"]
    breach.not_notified_reason = "Omfanget blev først klart efter fire dage."
    breach.full_clean()
    assert breach.notify_by == found + datetime.timedelta(hours=72)


def test_a_risk_assessment_is_due_after_the_systems_interval(m):
    usage = factories.system_usage(m, "Aula", risk_assessment_months=12)
    with scopes_disabled():
        assessment = Assessment(
            usage=usage,
            kind=AssessmentKind.RISK,
            done_on=datetime.date(2024, 2, 29),
            outcome=Outcome.SATISFACTORY,
        )
        assert assessment.due == datetime.date(2025, 2, 28)
        assessment.next_due = datetime.date(2024, 1, 1)
        assert list(errors(assessment)) == ["next_due"]


def test_personal_data_kinds_are_known_ones(m):
    usage = factories.system_usage(m, "Fasit")
    with scopes_disabled():
        usage = SystemUsage.objects.get(pk=usage.pk)
        usage.personal_data = ["ordinary", "cpr", "shoe size"]
        assert list(errors(usage)) == ["personal_data"]


def test_the_circle_reads_breaches_and_the_secretary_does_not(m):
    other = factories.municipality()
    users = factories.users_of_every_role(m, other)
    group = factories.body(m, "IT-sikkerhedsgruppen")
    member = factories.person(m, "Sikkerhedskoordinator", user=users[Role.MEMBER])
    factories.membership(member, group)
    officer = factories.person(m, "DPO", user=users[Role.READER])
    factories.privacy(m, officer=officer, security_body=group)
    with scopes_disabled():
        breach = Breach.objects.get(pk=factories.breach(m).pk)
        sees = {
            role for role, user in users.items() if has_perm(user, "systems.read_breach", breach)
        }
    assert sees == {Role.ADMINISTRATOR, Role.MEMBER, Role.READER}
