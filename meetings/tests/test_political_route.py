"""The political route (issue 19): cases go on from the Direktion to bodies outside the
administration (Økonomiudvalget, Kommunalbestyrelsen), which have no members, mandate or
meetings in digistyr, and the case page shows the route with them as political treatment."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from django_scopes import scope, scopes_disabled

from core.models import Role
from meetings import services
from meetings.models import Case, CaseStep, Meeting
from organisation.models import (
    EXTERNAL_NO_MANDATE,
    EXTERNAL_NO_MEETINGS,
    EXTERNAL_NO_MEMBERS,
    BodyKind,
    Mandate,
    Membership,
)
from planning.health import services as health
from tests import factories
from tests.once import once_per_module

pytestmark = pytest.mark.django_db

D = datetime.date


def danish(source) -> str:
    """What the page says: the Danish of a message (its English until translated)."""
    with translation.override("da"):
        return gettext(str(source))


@once_per_module
def w():
    """Norddjurs with its Direktion (a member, 12 meetings a year) and two bodies outside the
    administration, and a case whose route goes on from the Direktion to both."""
    m = factories.municipality("Norddjurs Kommune")
    o = SimpleNamespace(m=m)
    o.admin = factories.user(m, Role.ADMINISTRATOR)
    o.secretary = factories.user(m, Role.SECRETARY)
    o.reader = factories.user(m, Role.READER)
    o.board = factories.body(
        m, "Direktionen", kind=BodyKind.EXECUTIVE_BOARD, short_name="DIR", meetings_per_year=12
    )
    # A cadence that would be flagged for a body of the administration: not for these.
    o.finance = factories.body(
        m, "Økonomiudvalget", kind=BodyKind.COMMITTEE, short_name="ØK", external=True,
        meetings_per_year=11,
    )  # fmt: skip
    o.council = factories.body(
        m, "Kommunalbestyrelsen", kind=BodyKind.COUNCIL, short_name="KB", external=True
    )
    o.person = factories.person(m, "Tonny Olsen", "chef")
    factories.membership(o.person, o.board)
    o.case = factories.case(
        m, "Databeskyttelsesrådgiverens årsrapport 2023", route=[o.board, o.finance, o.council]
    )
    return o


def _counts():
    with scopes_disabled():
        return (
            Membership.objects.count(),
            Mandate.objects.count(),
            Meeting.objects.count(),
            Case.objects.count(),
            CaseStep.objects.count(),
        )


def test_an_external_body_gets_no_members_mandate_or_meetings(client, w):
    before = _counts()
    client.force_login(w.admin)
    member = client.post(
        reverse("organisation:membership_add", args=[w.finance.pk]),
        {"person": w.person.pk, "role": "member", "start": "2024-01-01"},
    )
    assert member.status_code == 422
    assert danish(EXTERNAL_NO_MEMBERS) in member.content.decode()
    mandate = client.post(
        reverse("organisation:mandate_create", args=[w.finance.pk]),
        {
            "title": "Kommissorium",
            "purpose": "Formål",
            "approved_by": w.council.pk,
            "approved_on": "2024-01-01",
            "rules-TOTAL_FORMS": "0",
            "rules-INITIAL_FORMS": "0",
        },
    )
    assert mandate.status_code == 422
    assert danish(EXTERNAL_NO_MANDATE) in mandate.content.decode()
    plan = client.post(
        reverse("meetings:meeting_plan_year", args=[w.finance.pk]),
        {"start": "09:00", "date_1": "2030-03-01"},
    )
    assert plan.status_code == 422
    assert danish(EXTERNAL_NO_MEETINGS) in plan.content.decode()
    # Not offered when a meeting is planned, and refused when posted anyway.
    form = client.get(reverse("meetings:meeting_create")).content.decode()
    assert f'value="{w.board.pk}"' in form and f'value="{w.finance.pk}"' not in form
    single = client.post(
        reverse("meetings:meeting_create"),
        {"body": w.finance.pk, "date": "2030-03-01", "start": "09:00"},
    )
    assert single.status_code == 422
    assert _counts() == before
    with scope(municipality=w.m.pk):
        # The rule is the model's: the API and the imports refuse it too.
        with pytest.raises(ValidationError) as refused:
            Meeting(municipality=w.m, body=w.council, date=D(2030, 3, 1)).full_clean()
        assert refused.value.message_dict["body"] == [str(EXTERNAL_NO_MEETINGS)]
        # A body with a member cannot become one outside the administration; an external
        # body may approve another body's mandate (the council approves a kommissorium).
        w.board.external = True
        with pytest.raises(ValidationError) as refused:
            w.board.full_clean()
        assert "external" in refused.value.message_dict
        w.board.external = False
        factories.mandate(w.board, w.council).full_clean()


def test_the_case_page_shows_the_political_route(client, w):
    client.force_login(w.reader)
    page = client.get(reverse("meetings:case_detail", args=[w.case.pk])).content.decode()
    assert "Direktionen → Økonomiudvalget → Kommunalbestyrelsen" in page
    assert page.count(danish("political treatment")) == 2
    client.force_login(w.secretary)
    form = client.get(reverse("meetings:case_edit", args=[w.case.pk])).content.decode()
    # The route's selects offer the administration's bodies and, apart, the political ones.
    assert f'<optgroup label="{danish("Political treatment")}">' in form


def test_a_secretary_adds_external_steps_after_the_administration(client, w):
    client.force_login(w.secretary)
    data = {"number": "24/00042", "title": "Årsrapport", "description": "", "status": "open"}
    before = _counts()
    back = client.post(
        reverse("meetings:case_create"),
        {**data, "route-step_0": w.finance.pk, "route-step_1": w.board.pk},
    )
    assert back.status_code == 422
    refusal = danish(services.POLITICAL_LAST) % {
        "body": "Direktionen",
        "political": "Økonomiudvalget",
    }
    assert escape(refusal) in back.content.decode()
    assert _counts() == before  # nothing written
    saved = client.post(
        reverse("meetings:case_create"),
        {**data, "route-step_0": w.board.pk, "route-step_1": w.finance.pk},
    )
    assert saved.status_code == 302
    with scopes_disabled():
        case = Case.objects.get(number="24/00042")
        assert list(case.steps.values_list("body_id", "arrived_on")) == [
            (w.board.pk, case.created_on),
            (w.finance.pk, None),
        ]


def test_a_case_sent_on_to_political_treatment_leaves_the_backlog(w):
    with scope(municipality=w.m.pk):
        assert [s.case_id for s in services.backlog(w.board).cases] == [w.case.pk]
        CaseStep.objects.filter(case=w.case, body=w.finance).update(arrived_on=D(2024, 5, 15))
        assert services.backlog(w.board).cases == []
        assert services.route_label(Case.objects.get(pk=w.case.pk)) == "DIR → ØK → KB"


def test_external_bodies_are_listed_apart_and_not_checked(client, w):
    client.force_login(w.reader)
    page = client.get(reverse("organisation:body_list")).content.decode()
    apart = page.index(danish("Outside the administration"))
    assert page.index("Direktionen") < apart < page.index("Økonomiudvalget")
    assert page.index("Kommunalbestyrelsen") > apart
    body = client.get(reverse("organisation:body_detail", args=[w.finance.pk])).content.decode()
    assert danish("The body has no members.") not in body
    assert danish("Plan a meeting") not in body
    assert w.case.title in body  # the cases on their way to it
    with scope(municipality=w.m.pk):
        report = health.governance_health(w.admin, 2025, today=D(2025, 7, 2))
    assert [row.body.pk for row in report.bodies] == [w.board.pk]
    assert [body.pk for body in report.active_bodies] == [w.board.pk]
    assert [f.subject for f in report.groups[health.CADENCE].findings] == ["Direktionen"]
