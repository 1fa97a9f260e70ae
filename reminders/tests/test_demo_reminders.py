"""The demo's reminders through a real SMTP server: its overdue follow-ups, late status
reports and due benefit measurements each give one mail to the person who acts on them,
however many passes the scheduler makes.

The demo's late reports and its overdue measurement belong to people of the seeds who have
no login (only the demo logins do), and a person is reached through their login: those are
counted as unreachable. Once the municipality gives them logins with addresses, the next
pass reminds them, once each.
"""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from benefits.models import Benefit
from benefits.services import FLAG_OVERDUE, flags_of, with_last_measured
from core.models import MailStatus, Municipality, OutgoingMail, Role
from meetings.models import FollowUp
from portfolio.models import Project
from portfolio.services import with_latest_status
from reminders import services
from reminders.tests.smtp import everything, parts, smtp_server
from tests import factories
from tests.once import once_per_module

pytestmark = pytest.mark.django_db


@once_per_module
def demo():
    call_command("load_demo", stdout=io.StringIO())
    return Municipality.objects.get(slug="norddjurs")


def passes(n: int = 2) -> None:
    for _ in range(n):
        call_command("run_scheduled", stdout=io.StringIO(), stderr=io.StringIO())


def subject(message) -> str:
    return " ".join(str(message["Subject"]).split())


def sent_keys(prefix: str) -> list[str]:
    return list(
        OutgoingMail.objects.filter(key__startswith=prefix, status=MailStatus.SENT).values_list(
            "key", flat=True
        )
    )


def assert_arrived_once(keeper, prefix: str, pk: int, email: str) -> None:
    """One mail about the thing to `email` was sent, and it arrived exactly once."""
    (row,) = OutgoingMail.objects.filter(key__startswith=f"{prefix}:{pk}:", to=email)
    assert row.status == MailStatus.SENT
    arrived = [m for m in keeper.messages if m["To"] == email and subject(m) == row.subject]
    assert len(arrived) == 1, row.subject
    text, html = parts(arrived[0])
    assert text.startswith("Kære ") and "https://digistyr.example/" in text
    assert "https://digistyr.example/konto/paamindelser/" in html


def test_the_demo_reminders_arrive_once_each(demo):
    today = timezone.localdate()
    with smtp_server() as keeper, scopes_disabled():
        overdue = list(
            FollowUp.objects.overdue(today)
            .filter(municipality=demo, owner__user__email__gt="")
            .select_related("owner__user")
        )
        assert overdue, "the demo has an overdue follow-up of a demo login"
        late = list(
            with_latest_status(Project.objects.active().filter(municipality=demo), today)
            .filter(report_late=True)
            .select_related("leader")
        )
        assert late, "the demo has late status reports"
        due = [
            benefit
            for benefit in with_last_measured(
                Benefit.objects.filter(municipality=demo).select_related("responsible")
            )
            if FLAG_OVERDUE
            in flags_of(benefit, benefit.measurement_due(benefit.last_measured), today)
        ]
        assert due, "the demo has overdue benefit measurements"

        passes()
        for follow_up in overdue:
            assert_arrived_once(
                keeper, "followup-overdue", follow_up.pk, follow_up.owner.user.email
            )
        # Their people have no login yet: counted, nothing sent.
        assert not sent_keys("report-late:") and not sent_keys("measurement-overdue:")
        assert services.run()["unreachable"] >= len(late) + len(due)

        # The municipality gives them logins with addresses.
        people = {p.leader for p in late if p.leader} | {
            b.responsible for b in due if b.responsible
        }
        for n, person in enumerate(sorted(people, key=lambda p: p.pk)):
            person.user = factories.user(
                demo, Role.PROJECT_LEADER, username=f"demo-leder-{n}", email=f"leder{n}@x.example"
            )
            person.save(update_fields=["user"])
        passes()
        for project in late:
            assert_arrived_once(keeper, "report-late", project.pk, project.leader.user.email)
        for benefit in due:
            assert_arrived_once(
                keeper, "measurement-overdue", benefit.pk, benefit.responsible.user.email
            )

        # Nothing arrived twice, nothing waits, nothing failed, nothing of Demokommune Vest.
        arrived = Counter((m["To"], subject(m)) for m in keeper.messages)
        assert arrived and max(arrived.values()) == 1
        assert not OutgoingMail.objects.exclude(status=MailStatus.SENT).exists()
        assert len(keeper.messages) == OutgoingMail.objects.count()
        for message in keeper.messages:
            assert "Demokommune Vest" not in everything(message)
        for row in OutgoingMail.objects.select_related("user"):
            assert row.municipality_id == row.user.municipality_id == demo.pk
