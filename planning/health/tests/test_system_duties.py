"""The register's duties on the governance health page, in its API and on the front page:
the findings (overdue and missing first), the counts for everyone and for the user ("mine":
the systems the user owns or the user's bodies govern), the links to the systems and the
query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from core.dates import add_months
from core.models import Role
from planning.health import services as health
from systems.duties import Kind
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _link(pk: int) -> str | None:
    try:
        return reverse("systems:usage_detail", args=[pk])
    except NoReverseMatch:  # the register's page is being built
        return None


class Org:
    pass


@pytest.fixture
def org(municipality, users):
    """OWNER (the member user's person) owns "Fasit" (ordinary personal data, never risk
    assessed: missing; a contract whose notice date is in 20 days: due soon). The security
    group, of which the project leader's person is a member, governs "Aula" (critical, risk
    assessed 30 months ago: overdue; never reviewed: missing). "Intranet" is in order."""
    today = timezone.localdate()
    o = Org()
    o.m, o.users, o.today = municipality, users, today
    with scopes_disabled():
        o.owner = factories.person(municipality, "Olga Ejer", user=users[Role.MEMBER])
        o.member = factories.person(municipality, "Mads Medlem", user=users[Role.PROJECT_LEADER])
        o.other = factories.person(municipality, "Anne Anden")
        o.security = factories.body(municipality, "IT-sikkerhedsgruppen")
        factories.membership(o.member, o.security)
        o.fasit = factories.system_usage(
            municipality, "Fasit", personal_data=["ordinary"], owner=o.owner
        )
        notice = today + datetime.timedelta(days=20)
        factories.contract(
            municipality,
            "Fasit-kontrakten",
            usages=[o.fasit],
            start=datetime.date(2020, 1, 1),
            end=add_months(notice, 12),
            notice_months=12,
        )
        o.aula = factories.system_usage(
            municipality, "Aula", criticality="critical", owner=o.other, body=o.security
        )
        factories.assessment(o.aula, done_on=today - datetime.timedelta(days=900))
        o.intranet = factories.system_usage(municipality, "Intranet", owner=o.owner)
    return o


def report(o, role, **kwargs):
    with scope(municipality=o.m.pk):
        return health.governance_health(o.users[role], today=o.today, **kwargs)


def test_duties_are_a_group_with_overdue_and_missing_first(org):
    found = report(org, Role.ADMINISTRATOR)
    group = found.groups[health.SYSTEM_DUTY]
    assert [(f.subject, f.severity) for f in group.findings][:3] == [
        ("Aula", health.HIGH),  # the risk assessment is overdue
        ("Aula", health.MEDIUM),  # never reviewed
        ("Fasit", health.MEDIUM),  # never risk assessed
    ]
    assert group.findings[-1].subject == "Fasit-kontrakten"
    assert group.findings[-1].severity == health.LOW
    assert "due on" in group.findings[-1].message
    assert group.count == group.all_count == 4
    assert "Intranet" not in {f.subject for f in group.findings}
    overdue = group.findings[0]
    assert overdue.message.startswith("Risk assessment: overdue since ")
    assert overdue.who == "Anne Anden"
    if _link(org.aula.pk):
        assert overdue.url == overdue.subject_url == _link(org.aula.pk)
    section = [s for s in found.sections() if s["key"] == health.SYSTEMS][0]
    assert section["title"] == "IT systems and data protection"
    assert section["groups"] == [group]


def test_mine_are_the_systems_the_user_owns_or_the_users_bodies_govern(org):
    owner = report(org, Role.MEMBER)
    group = owner.groups[health.SYSTEM_DUTY]
    assert (group.all_count, group.mine_count) == (4, 2)
    assert {d.subject for d in owner.my_duties} == {"Fasit", "Fasit-kontrakten"}
    only = report(org, Role.MEMBER, mine=True).groups[health.SYSTEM_DUTY]
    assert only.count == 2
    assert {f.subject for f in only.findings} == {"Fasit", "Fasit-kontrakten"}
    assert all(f.mine for f in only.findings)

    member = report(org, Role.PROJECT_LEADER, mine=True)
    assert {(d.subject, d.kind) for d in member.my_duties} == {
        ("Aula", Kind.RISK),
        ("Aula", Kind.REVIEW),
    }
    assert member.groups[health.SYSTEM_DUTY].count == 2
    # a reader without a person owns nothing and sits in no body
    reader = report(org, Role.READER)
    assert reader.groups[health.SYSTEM_DUTY].mine_count == 0
    assert reader.my_duties == []


def test_the_limit_lists_the_first_and_counts_all(org):
    group = report(org, Role.ADMINISTRATOR, limit=1).groups[health.SYSTEM_DUTY]
    assert group.count == 4
    assert len(group.findings) == 1
    assert group.more == 3
    counts = report(org, Role.ADMINISTRATOR, limit=0).groups[health.SYSTEM_DUTY]
    assert (counts.count, counts.findings) == (4, [])


def test_the_page_and_the_api_carry_them(client, org):
    client.force_login(org.users[Role.MEMBER])
    page = client.get(reverse("planning:health"), {"mine": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="system_duty"' in html
    assert "Fasit-kontrakten" in html
    assert "Aula" not in html  # not the member's
    if _link(org.fasit.pk):
        assert f'href="{_link(org.fasit.pk)}"' in html

    answer = client.get("/api/v1/governance-health/", {"limit": "2"})
    assert answer.status_code == 200
    groups = {g["check"]: g for g in answer.json()["groups"]}
    duties = groups[health.SYSTEM_DUTY]
    assert (duties["all_count"], duties["mine_count"]) == (4, 2)
    assert [f["subject"] for f in duties["findings"]] == ["Aula", "Aula"]
    assert duties["findings"][0]["date"] is not None
    assert duties["findings"][1]["date"] is None  # missing


def test_the_front_page_lists_your_duties(client, org):
    client.force_login(org.users[Role.MEMBER])
    html = client.get(reverse("home")).content.decode()
    assert "home-duties" in html
    section = html.split('id="home-duties"')[1].split("</section>")[0]
    assert "Fasit" in section and "Fasit-kontrakten" in section
    assert "Aula" not in section
    if _link(org.fasit.pk):
        assert f'href="{_link(org.fasit.pk)}"' in section
    # due dates as the pages write them
    with scope(municipality=org.m.pk):
        notice = [d for d in health.governance_health(org.users[Role.MEMBER]).my_duties if d.due]
    assert f"{notice[0].due:%d-%m-%Y}" in section


def test_no_duties_no_section(client, org):
    client.force_login(org.users[Role.READER])
    assert "home-duties" not in client.get(reverse("home")).content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_pages_cost_the_same_queries_however_many_duties(client, org):
    client.force_login(org.users[Role.MEMBER])
    urls = [reverse("planning:health"), reverse("planning:health") + "?mine=1", reverse("home")]
    small = [_queries(client, url) for url in urls]
    with scopes_disabled():
        for i in range(6):
            usage = factories.system_usage(
                org.m,
                f"Mere {i}",
                personal_data=["cpr"],
                hosting="external",
                owner=org.owner if i % 2 else org.other,
                body=org.security if i % 3 else None,
            )
            factories.agreement(org.m, usages=[usage], concluded_on=datetime.date(2020, 1, 1))
            factories.contract(
                org.m,
                usages=[usage, org.fasit],
                start=datetime.date(2020, 1, 1),
                end=org.today + datetime.timedelta(days=400),
                notice_months=12,
            )
    large = [_queries(client, url) for url in urls]
    assert small == large
    with scope(municipality=org.m.pk):
        found = report(org, Role.ADMINISTRATOR).groups[health.SYSTEM_DUTY]
    assert found.count > 4
    assert found.findings[0].severity == health.HIGH
