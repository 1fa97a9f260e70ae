"""Reminders through a real SMTP server: what arrives, to whom, once, in Danish, as text and
HTML with the links; the user's settings and the weekly digest; closed content and other
municipalities never; an SMTP server that refuses."""

import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from core.models import MailStatus, OutgoingMail, Role
from meetings.models import MeetingState
from reminders import services
from reminders.models import Delivery, ReminderKind, ReminderSetting
from reminders.tests.smtp import everything, parts, smtp_server
from tests import factories
from tests.once import once_per_module
from tests.world import CANARY_CLOSED, CANARY_OTHER, CANARY_OWN, build_tenant

DAY = datetime.timedelta(days=1)
BASE = "https://digistyr.example"
SECRET = "KANARIE-HEMMELIG-OPFOELGNING"


def add_reminded(t, domain: str) -> None:
    """Give every login an address and add what falls due around today: a follow-up of the
    chair due in two days, one of the unit (its chief is the chair), one of a closed item
    owned by the project leader (no member of the body), one of a person without a login, a
    meeting held three days ago with its minutes in draft and one in five days with its
    agenda in draft."""
    today = timezone.localdate()
    for user in t.users.values():
        user.email = f"{user.username}@{domain}"
        user.save(update_fields=["email"])
    t.soon = factories.follow_up(
        t.body, owner=t.person, due_date=today + 2 * DAY, description=f"Snart {t.body.name}"
    )
    t.unit_follow_up = factories.follow_up(
        t.body,
        owner_unit=t.unit,
        due_date=today + DAY,
        description=f"Enheden følger op {t.body.name}",
    )
    t.hidden = factories.follow_up(
        t.body,
        owner=t.leader_person,
        item=t.closed_item,
        due_date=today - DAY,
        description=f"{SECRET} {CANARY_CLOSED}",
    )
    nobody = factories.person(t.municipality, "Uden Login", "medarbejder", unit=t.unit)
    t.unreachable = factories.follow_up(t.body, owner=nobody, due_date=today + DAY)
    t.minutes_meeting = factories.meeting(t.body, today - 3 * DAY, state=MeetingState.MINUTES_DRAFT)
    t.agenda_meeting = factories.meeting(t.body, today + 5 * DAY, state=MeetingState.AGENDA_DRAFT)


@once_per_module
def w():
    own = build_tenant("Norddjurs Kommune", canary=CANARY_OWN)
    other = build_tenant("Anden Kommune", canary=CANARY_OTHER, usernames_prefix="other-")
    add_reminded(own, "norddjurs.dk.example")
    add_reminded(other, "anden.dk.example")
    return own, other


def run_twice() -> None:
    call_command("run_scheduled", stdout=io.StringIO(), stderr=io.StringIO())
    call_command("run_scheduled", stdout=io.StringIO(), stderr=io.StringIO())


def to(messages, user):
    return [m for m in messages if m["To"] == user.email]


def subject(message) -> str:
    """The subject as written (a long Danish subject is folded and encoded on the way)."""
    return " ".join(str(message["Subject"]).split())


def subjects(messages, user) -> Counter:
    return Counter(subject(m) for m in to(messages, user))


@pytest.fixture
def smtp():
    with smtp_server() as keeper:
        yield keeper


def system_duty_subjects(own) -> list[str]:
    """The reminders of the world's system (owned by the chair's person): its risk
    assessment and its processor's supervision are overdue, as the pages word them."""
    from django.utils import translation
    from django.utils.translation import gettext

    from systems.duties import KIND_LABELS, Kind

    with translation.override("da"), scopes_disabled():
        wording = gettext("%(duty)s overdue: %(subject)s")
        return [
            wording % {"duty": KIND_LABELS[Kind.RISK], "subject": own.usage},
            wording % {"duty": KIND_LABELS[Kind.SUPERVISION], "subject": own.agreement},
        ]


def test_each_reminder_arrives_once_in_danish_with_its_links(w, smtp):
    own, _ = w
    run_twice()
    chair, secretary = own.users[Role.MEMBER], own.users[Role.SECRETARY]
    leader = own.users[Role.PROJECT_LEADER]
    today = timezone.localdate()
    expected = {
        chair: [
            f"Opfølgning overskredet siden 01-06-2024: Opfølgning {CANARY_OWN}",
            f"Opfølgning forfalder {(today + 2 * DAY):%d-%m-%Y}: Snart {own.body.name}",
            f"Opfølgning forfalder {(today + DAY):%d-%m-%Y}: Enheden følger op {own.body.name}",
            f"Referat venter på din godkendelse: {own.minutes_meeting.heading}",
            f"Dagsorden ikke godkendt: {own.agenda_meeting.heading}",
            # the duties of the system the chair's person owns (systems.duties)
            *system_duty_subjects(own),
        ],
        secretary: [
            f"Opfølgning overskredet siden 01-06-2024: {own.closed_follow_up}",
            f"Dagsorden ikke godkendt: {own.agenda_meeting.heading}",
        ],
        leader: [
            f"Statusrapport forsinket: {own.project.name}",
            f"Måling overskredet: {own.benefit.title}",
            "Opfølgning overskredet siden "
            f"{(today - DAY):%d-%m-%Y}: en opfølgning fra {own.body.name}",
        ],
    }
    for user, wanted in expected.items():
        assert subjects(smtp.messages, user) == Counter(wanted), user.username
    # Nobody else of the municipality is reminded of anything.
    others = {own.users[Role.ADMINISTRATOR].email, own.users[Role.READER].email}
    assert not [m for m in smtp.messages if m["To"] in others]

    for message in to(smtp.messages, chair):
        text, html = parts(message)
        assert text.startswith(f"Kære {own.person.name}")
        assert f"{BASE}/konto/paamindelser/" in text and f"{BASE}/konto/paamindelser/" in html
        assert f"{BASE}/" in text.split("Gå til det:")[1]
    (soon,) = [m for m in to(smtp.messages, chair) if "Snart" in subject(m)]
    text, html = parts(soon)
    link = f"{BASE}{reverse('meetings:followup_edit', kwargs={'pk': own.soon.pk})}"
    assert link in text and f'href="{link}"' in html
    assert "forfalder" in text and "Snart" in text
    (unit,) = [m for m in to(smtp.messages, chair) if "Enheden" in subject(m)]
    assert "som chef for" in parts(unit)[0]
    (report,) = to([m for m in smtp.messages if "Statusrapport" in subject(m)], leader)
    report_link = f"{BASE}{reverse('portfolio:report_create', kwargs={'pk': own.project.pk})}"
    assert report_link in parts(report)[0]
    with scopes_disabled():
        assert OutgoingMail.objects.filter(status=MailStatus.PENDING).count() == 0
        assert not OutgoingMail.objects.filter(status=MailStatus.FAILED).exists()


def test_a_second_pass_queues_nothing(w, smtp):
    with scopes_disabled():
        first = services.run()
        count = OutgoingMail.objects.count()
        second = services.run()
        assert OutgoingMail.objects.count() == count
    assert first["queued"] == count > 0
    assert second["queued"] == 0
    # The project owner, the follow-up of the person without a login: counted, not sent.
    assert first["unreachable"] >= 2


def test_closed_content_never_reaches_a_non_member(w, smtp):
    own, _ = w
    run_twice()
    leader = own.users[Role.PROJECT_LEADER]
    mine = to(smtp.messages, leader)
    assert mine
    for message in mine:
        assert CANARY_CLOSED not in everything(message)
        assert SECRET not in everything(message)
    (hidden,) = [m for m in mine if "en opfølgning fra" in subject(m)]
    assert "viser ikke" in parts(hidden)[0]
    assert f"{BASE}/opfoelgninger/mine/" in parts(hidden)[0]
    # The secretary sits in the body: the closed follow-up is shown to her in full.
    (closed,) = [
        m
        for m in to(smtp.messages, own.users[Role.SECRETARY])
        if "Opfølgning overskredet" in subject(m)
    ]
    assert CANARY_CLOSED in parts(closed)[0]
    with scopes_disabled():
        for row in OutgoingMail.objects.filter(user=leader):
            assert CANARY_CLOSED not in row.subject + row.text + row.html


def test_another_municipality_is_never_mixed_in(w, smtp):
    own, other = w
    run_twice()
    own_addresses = {u.email for u in own.users.values()}
    other_addresses = {u.email for u in other.users.values()}
    for message in smtp.messages:
        content = everything(message)
        if message["To"] in own_addresses:
            assert CANARY_OTHER not in content
        else:
            assert message["To"] in other_addresses
            assert CANARY_OWN not in content
    assert to(smtp.messages, other.users[Role.PROJECT_LEADER])
    with scopes_disabled():
        for row in OutgoingMail.objects.select_related("user"):
            assert row.municipality_id == row.user.municipality_id


def test_the_settings_page_turns_a_kind_off(w, smtp, client):
    own, _ = w
    chair = own.users[Role.MEMBER]
    client.force_login(chair)
    url = reverse("reminders:settings")
    page = client.get(url)
    assert page.status_code == 200
    assert "Opfølgninger, der forfalder eller er overskredet" in page.content.decode()
    choices = {kind: Delivery.IMMEDIATE for kind in ReminderKind.values}
    refused = client.post(url, {**choices, ReminderKind.FOLLOW_UPS: "sometimes"})
    assert refused.status_code == 422
    saved = client.post(url, {**choices, ReminderKind.FOLLOW_UPS: Delivery.NONE})
    assert saved.status_code == 302
    stored = dict(ReminderSetting.objects.filter(user=chair).values_list("kind", "delivery"))
    assert stored == {**choices, ReminderKind.FOLLOW_UPS: Delivery.NONE}
    assert client.get(reverse("account")).content.decode().count(url) == 1

    run_twice()
    got = subjects(smtp.messages, chair)
    assert not [s for s in got if s.startswith("Opfølgning")]
    assert any(s.startswith("Referat") for s in got)  # the other kinds still come
    # The secretary chose nothing: hers come at once.
    assert any(s.startswith("Opfølgning") for s in subjects(smtp.messages, own.users["secretary"]))


def _monday_after(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    monday = day + datetime.timedelta(days=7 - day.weekday())
    return timezone.make_aware(datetime.datetime.combine(monday, datetime.time(hour, minute)))


def test_the_weekly_digest_comes_once_on_monday_morning(w, smtp):
    own, _ = w
    chair = own.users[Role.MEMBER]
    for kind in (ReminderKind.FOLLOW_UPS, ReminderKind.MINUTES):
        ReminderSetting.objects.create(user=chair, kind=kind, delivery=Delivery.WEEKLY)
    today = timezone.localdate()
    with scopes_disabled():
        assert services.run(_monday_after(today, 6, 59))["digests"] == 0
        assert services.run(_monday_after(today, 7, 0))["digests"] > 0
        assert services.run(_monday_after(today, 9))["digests"] == 0
        assert services.run(_monday_after(today, 7) + 3 * DAY)["digests"] == 0
    run_twice()
    week = _monday_after(today, 7).isocalendar()[1]
    digests = [m for m in to(smtp.messages, chair) if f"uge {week}" in subject(m)]
    assert len(digests) == 1
    text, html = parts(digests[0])
    assert "Snart" in text and "Enheden følger op" in text and "Referat" in text
    assert f"Opfølgning {CANARY_OWN}" in text
    assert "<h2>Opfølgninger, der forfalder eller er overskredet</h2>" in html
    assert f"{BASE}/konto/paamindelser/" in text
    # Weekly kinds come in the digest only; the agenda still comes at once.
    at_once = [subject(m) for m in to(smtp.messages, chair) if m not in digests]
    assert not [s for s in at_once if s.startswith(("Opfølgning", "Referat"))]
    assert [s for s in at_once if s.startswith("Dagsorden")]


def test_a_refusing_smtp_server_fails_the_mail_after_the_last_attempt(w, client):
    own, _ = w
    with smtp_server(refuse=True) as keeper, override_settings(MAIL_MAX_ATTEMPTS=2):
        call_command("run_scheduled", stdout=io.StringIO(), stderr=io.StringIO())
        with scopes_disabled():
            pending = OutgoingMail.objects.filter(status=MailStatus.PENDING)
            assert pending.exists() and all(m.attempts == 1 for m in pending)
            assert "550" in pending.first().last_error
        call_command("run_scheduled", stdout=io.StringIO(), stderr=io.StringIO())
        call_command("run_scheduled", stdout=io.StringIO(), stderr=io.StringIO())
    with scopes_disabled():
        mails = OutgoingMail.objects.all()
        assert mails.exists()
        assert set(mails.values_list("status", flat=True)) == {MailStatus.FAILED}
        assert set(mails.values_list("attempts", flat=True)) == {2}
        failed = mails.filter(municipality=own.municipality).count()
    assert keeper.refused == 2 * mails.count()
    client.force_login(own.users[Role.ADMINISTRATOR])
    page = client.get(reverse("operations")).content.decode()
    assert f"{failed} e-mails kunne ikke sendes" in page
    assert "(550, b&#x27;Mailbox unavailable&#x27;)" in page


def test_reminders_cost_the_same_queries_however_many(w):
    own, _ = w
    today = timezone.localdate()

    def count() -> int:
        with scopes_disabled(), CaptureQueriesContext(connection) as queries:
            found = services.collect(today, 3)
        assert found.reminders
        return len(queries)

    before = count()
    with scopes_disabled():
        for i in range(3):
            user = factories.user(own.municipality, Role.MEMBER, email=f"n{i}@example.org")
            unit = factories.unit(own.municipality, f"Enhed {i}")
            person = factories.person(own.municipality, f"Chef {i}", "afdelingschef", unit, user)
            factories.membership(person, own.body, role="chair")
            factories.follow_up(own.body, owner=person, due_date=today - DAY)
            factories.follow_up(own.body, owner_unit=unit, due_date=today + DAY)
            project = factories.project(
                own.municipality, f"Projekt {i}", leader=person, start_date=today - 90 * DAY
            )
            factories.benefit(project, f"Gevinst {i}", responsible=person)
            factories.meeting(own.body, today + DAY, state=MeetingState.PLANNED)
            factories.meeting(own.body, today - DAY, state=MeetingState.HELD)
    assert count() == before
