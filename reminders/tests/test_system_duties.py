"""Reminders of the IT systems' duties (`reminders.services.system_duties`): to the system
owner, those due within the window and those overdue (weekly), once per key; the owner's
choice (at once, weekly digest, none); nobody reminded of another's system; a constant number
of queries."""

import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from core.dates import add_months
from core.models import OutgoingMail, Role
from reminders import services
from reminders.models import Delivery, ReminderKind, ReminderSetting
from tests import factories

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


class Org:
    pass


@pytest.fixture
def org(municipality, users):
    """OWNER owns "Fasit": its contract's notice date is in 5 days, its risk assessment was
    due 10 days ago; "Borgerblikket" is due in 200 days (outside the window) and "Aula" has
    none (missing: no date, no reminder). Another person without a login owns "Telefoni",
    due in 3 days."""
    today = timezone.localdate()
    o = Org()
    o.m, o.users, o.today = municipality, users, today
    with scopes_disabled():
        user = users[Role.MEMBER]
        user.email = "ejer@example.dk"
        user.save(update_fields=["email"])
        o.owner = factories.person(municipality, "Olga Ejer", user=user)
        o.user = user
        o.fasit = factories.system_usage(
            municipality,
            "Fasit",
            personal_data=["ordinary"],
            owner=o.owner,
            risk_assessment_months=12,
        )
        factories.assessment(o.fasit, done_on=add_months(today - 10 * DAY, -12))
        factories.contract(
            municipality,
            "Fasit-kontrakten",
            usages=[o.fasit],
            start=datetime.date(2020, 1, 1),
            end=add_months(today + 5 * DAY, 3),
            notice_months=3,
        )
        later = factories.system_usage(
            municipality, "Borgerblikket", personal_data=["ordinary"], owner=o.owner
        )
        factories.assessment(later, done_on=today - 10 * DAY, next_due=today + 200 * DAY)
        factories.system_usage(municipality, "Aula", personal_data=["ordinary"], owner=o.owner)
        nobody = factories.person(municipality, "Uden Login")
        phone = factories.system_usage(
            municipality, "Telefoni", personal_data=["ordinary"], owner=nobody
        )
        factories.assessment(phone, done_on=today - 10 * DAY, next_due=today + 3 * DAY)
    return o


def collected(o):
    with scope(municipality=[o.m.pk]), translation.override("en"):
        return services.system_duties(o.today, 14)


def test_the_owner_is_reminded_of_what_is_due_and_overdue(org):
    result = collected(org)
    found = sorted((r.subject, r.user.pk, r.due) for r in result.reminders)
    notice = f"{org.today + 5 * DAY:%d-%m-%Y}"
    assert [subject for subject, _, _ in found] == [
        f"Notice of the contract due {notice}: Fasit-kontrakten",
        "Risk assessment overdue: Fasit",
    ]
    assert {user for _, user, _ in found} == {org.user.pk}
    assert all(r.kind == ReminderKind.SYSTEM_DUTIES for r in result.reminders)
    assert all(r.url.startswith("http") for r in result.reminders)
    assert all(len(r.key) <= 200 for r in result.reminders)
    assert result.skipped[ReminderKind.SYSTEM_DUTIES] == 1  # Telefoni's owner has no login
    overdue = [r for r in result.reminders if r.key.startswith("duty-overdue:")]
    assert len(overdue) == 1 and overdue[0].key.endswith(":w1")


@override_settings(REMINDER_DAYS=14, DIGISTYR_BASE_URL="https://digistyr.example")
def test_a_pass_queues_each_once_and_the_owner_may_turn_them_off(org):
    now = timezone.now()
    services.run(now)
    mails = OutgoingMail.objects.filter(kind=f"reminder:{ReminderKind.SYSTEM_DUTIES}")
    assert mails.count() == 2
    assert set(mails.values_list("to", flat=True)) == {"ejer@example.dk"}
    services.run(now)
    assert mails.count() == 2
    mails.delete()
    ReminderSetting.objects.create(
        user=org.user, kind=ReminderKind.SYSTEM_DUTIES, delivery=Delivery.NONE
    )
    services.run(now)
    assert mails.count() == 0


def test_the_same_queries_however_many_duties(org):
    def count():
        with CaptureQueriesContext(connection) as captured:
            collected(org)
        return len(captured)

    small = count()
    with scopes_disabled():
        for i in range(5):
            usage = factories.system_usage(
                org.m, f"Mere {i}", personal_data=["cpr"], hosting="external", owner=org.owner
            )
            factories.agreement(org.m, usages=[usage], concluded_on=add_months(org.today, -12))
            factories.contract(
                org.m,
                usages=[usage],
                start=datetime.date(2020, 1, 1),
                end=add_months(org.today + 2 * DAY, 1),
                notice_months=1,
            )
    assert count() == small
    assert len(collected(org).reminders) > 2
