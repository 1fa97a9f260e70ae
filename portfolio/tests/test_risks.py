"""The risk register: heat map, filters, keeping risks, escalating them, and who may."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from core.models import Role
from meetings.models import Case, CaseStep
from meetings.services import backlog
from organisation.models import BodyKind
from portfolio.models import Risk, RiskStatus
from tests import factories
from tests.world import CANARY_OWN

pytestmark = pytest.mark.usefixtures("english")  # the pages' English source text

LIST = reverse("portfolio:risk_list")


def _login(client, t, role=Role.ADMINISTRATOR):
    client.force_login(t.users[role])
    return client


def _data(owner=None, **fields):
    return {
        "title": "Nøglemedarbejder stopper",
        "description": "Kun én kender integrationen.",
        "probability": "3",
        "impact": "4",
        "owner": str(owner.pk) if owner else "",
        "mitigation": "Dokumentér integrationen.",
        "status": RiskStatus.OPEN,
        "identified_on": "2024-09-01",
        **fields,
    }


def _risk_count() -> int:
    with scopes_disabled():
        return Risk.objects.count()


def _cell(response, probability, impact) -> dict:
    row = next(r for r in response.context["heat_map"] if r["probability"] == probability)
    return row["cells"][impact - 1]


# --- The register and its heat map -----------------------------------------------------------


def test_heat_map_counts_match_the_risks(client, t):
    with scopes_disabled():
        factories.risk(t.project, probability=4, impact=4)
        factories.risk(t.project, probability=1, impact=2)
        factories.risk(t.project, probability=5, impact=5, status=RiskStatus.CLOSED)
    response = _login(client, t, Role.READER).get(LIST)
    assert response.status_code == 200
    counts = {
        (cell["probability"], cell["impact"]): cell["count"]
        for row in response.context["heat_map"]
        for cell in row["cells"]
    }
    # The world's risk (4×4) and one more; the portfolio risk 3×5; closed risks not by default.
    assert counts[(4, 4)] == 2
    assert counts[(3, 5)] == 1
    assert counts[(1, 2)] == 1
    assert counts[(5, 5)] == 0
    assert sum(counts.values()) == 4
    # Rows run from probability 5 down to 1, columns impact 1 to 5; colours by score.
    assert [r["probability"] for r in response.context["heat_map"]] == [5, 4, 3, 2, 1]
    assert _cell(response, 4, 4)["level"] == "red"
    assert _cell(response, 1, 4)["level"] == "green"
    assert _cell(response, 1, 5)["level"] == "yellow"
    # Every status: the closed one counts too.
    response = client.get(LIST, {"status": "all"})
    assert _cell(response, 5, 5)["count"] == 1


def test_heat_map_is_one_query(client, t, django_assert_num_queries):
    from portfolio.views.risks import heat_map, risks_with_score

    with scope(municipality=t.municipality.pk), django_assert_num_queries(1):
        grid = heat_map(risks_with_score())
    assert sum(cell["count"] for row in grid for cell in row["cells"]) == 2


def test_a_heat_map_cell_filters_the_list_and_keeps_the_map(client, t):
    response = _login(client, t, Role.READER).get(LIST, {"sandsynlighed": 4, "konsekvens": 4})
    assert [r.pk for r in response.context["risks"]] == [t.risk.pk]
    # The heat map still counts every cell of the other filters; the chosen one is marked.
    assert _cell(response, 3, 5)["count"] == 1
    assert _cell(response, 4, 4)["selected"]
    assert 'aria-current="true"' in response.content.decode()
    # Each count links to its cell, keeping the other filters.
    response = client.get(LIST, {"projekt": "portefoelje"})
    assert "?projekt=portefoelje&amp;sandsynlighed=3&amp;konsekvens=5" in response.content.decode()


def test_the_list_is_sorted_by_score(client, t):
    with scopes_disabled():
        low = factories.risk(t.project, probability=1, impact=1)
        top = factories.risk(t.project, probability=5, impact=5)
    response = _login(client, t, Role.READER).get(LIST)
    assert [r.pk for r in response.context["risks"]] == [
        top.pk,
        t.risk.pk,
        t.portfolio_risk.pk,
        low.pk,
    ]
    html = response.content.decode()
    assert "light-red" in html and "light-green" in html
    assert reverse("portfolio:project_detail", args=[t.project.pk]) in html


def test_filters(client, t):
    with scopes_disabled():
        other_project = factories.project(t.municipality, "Andet projekt")
        other_owner = factories.person(t.municipality, "Anden Ejer")
        mine = factories.risk(other_project, probability=2, impact=2, owner=other_owner)
        closed = factories.risk(t.project, probability=2, impact=2, status=RiskStatus.CLOSED)
        mitigating = factories.risk(
            t.project, probability=1, impact=3, status=RiskStatus.MITIGATING
        )
        escalated = factories.risk(
            municipality=t.municipality, probability=2, impact=5, escalated_to=t.body
        )
    client = _login(client, t, Role.READER)

    def pks(**params):
        return {r.pk for r in client.get(LIST, params).context["risks"]}

    everything_alive = {t.risk.pk, t.portfolio_risk.pk, mine.pk, mitigating.pk, escalated.pk}
    assert pks() == everything_alive
    assert pks(projekt=t.project.pk) == {t.risk.pk, mitigating.pk}
    assert pks(projekt="portefoelje") == {t.portfolio_risk.pk, escalated.pk}
    assert pks(status="closed") == {closed.pk}
    assert pks(status="mitigating") == {mitigating.pk}
    assert pks(status="all") == everything_alive | {closed.pk}
    assert pks(ejer=other_owner.pk) == {mine.pk}
    assert pks(eskaleret="ja") == {escalated.pk}
    assert pks(eskaleret="nej") == everything_alive - {escalated.pk}
    assert pks(min_score=10) == {t.risk.pk, t.portfolio_risk.pk, escalated.pk}
    assert pks(min_score=16) == {t.risk.pk}
    # Invalid filters are not used, and say so.
    response = client.get(LIST, {"projekt": "999999", "min_score": "x"})
    assert {r.pk for r in response.context["risks"]} == everything_alive
    assert response.context["form"].errors


def test_the_register_shows_escalation_with_a_link_to_the_case(client, t):
    with scopes_disabled():
        case = factories.case(t.municipality, "Risiko: leverandør", route=[t.body])
        Risk.objects.filter(pk=t.risk.pk).update(escalated_to=t.body, case=case)
    response = _login(client, t, Role.READER).get(LIST)
    html = response.content.decode()
    assert reverse("meetings:case_detail", args=[case.pk]) in html
    assert case.number in html


def test_the_excel_export_has_the_same_filters(client, t):
    response = _login(client, t, Role.READER).get(
        reverse("portfolio:risk_list_xlsx"), {"projekt": "portefoelje"}
    )
    assert response.status_code == 200
    assert "risici-" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == t.portfolio_risk.title
    assert rows[1][3:6] == (3, 5, 15)


def test_readers_see_no_buttons_to_change(client, t):
    html = _login(client, t, Role.READER).get(LIST).content.decode()
    assert reverse("portfolio:risk_create") not in html
    assert reverse("portfolio:risk_edit", args=[t.risk.pk]) not in html


def test_the_leader_gets_edit_links_for_own_risks_only(client, t):
    html = _login(client, t, Role.PROJECT_LEADER).get(LIST).content.decode()
    assert reverse("portfolio:risk_edit", args=[t.risk.pk]) in html
    assert reverse("portfolio:risk_edit", args=[t.portfolio_risk.pk]) not in html
    assert reverse("portfolio:risk_create") not in html
    html = client.get(LIST, {"projekt": t.project.pk}).content.decode()
    assert reverse("portfolio:project_risk_create", args=[t.project.pk]) in html


# --- Keeping risks ---------------------------------------------------------------------------


def test_admin_adds_a_portfolio_risk(client, t):
    response = _login(client, t).post(reverse("portfolio:risk_create"), _data(owner=t.person))
    assert response.status_code == 302
    assert response["Location"] == LIST
    with scopes_disabled():
        risk = Risk.objects.get(title="Nøglemedarbejder stopper")
    assert risk.project is None
    assert risk.municipality == t.municipality
    assert (risk.probability, risk.impact, risk.owner) == (3, 4, t.person)
    assert risk.identified_on == datetime.date(2024, 9, 1)


def test_leader_adds_a_risk_to_own_project(client, t):
    url = reverse("portfolio:project_risk_create", args=[t.project.pk])
    response = _login(client, t, Role.PROJECT_LEADER).post(url, _data(next=LIST))
    assert response.status_code == 302
    assert response["Location"] == LIST
    with scopes_disabled():
        risk = Risk.objects.get(title="Nøglemedarbejder stopper")
    assert risk.project == t.project


def test_the_form_offers_a_labelled_radio_group(client, t):
    url = reverse("portfolio:project_risk_create", args=[t.project.pk])
    with translation.override("en"):
        html = _login(client, t, Role.PROJECT_LEADER).get(url).content.decode()
    assert html.count('type="radio" name="probability"') == 5
    assert html.count('type="radio" name="impact"') == 5
    assert "5 Very high" in html and "1 Very low" in html
    assert "<legend" in html


def test_leader_edits_own_risk_and_history_is_written(client, t):
    with scopes_disabled():
        before = t.risk.history.count()
    url = reverse("portfolio:risk_edit", args=[t.risk.pk])
    client = _login(client, t, Role.PROJECT_LEADER)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _data(owner=t.leader_person, title="Leverandør forsinket", status="mitigating", next=LIST),
    )
    assert response.status_code == 302
    with scopes_disabled():
        t.risk.refresh_from_db()
        assert t.risk.history.count() == before + 1
        latest = t.risk.history.first()
    assert (t.risk.status, t.risk.probability) == ("mitigating", 3)
    assert latest.history_user == t.users[Role.PROJECT_LEADER]
    assert latest.history_type == "~"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"probability": "0"}, "probability", "The probability must be from 1 to 5."),
        ({"probability": "6"}, "probability", "The probability must be from 1 to 5."),
        ({"probability": "7"}, "probability", "The probability must be from 1 to 5."),
        ({"probability": "x"}, "probability", "The probability must be from 1 to 5."),
        ({"impact": ""}, "impact", "Choose the impact."),
        ({"impact": "-1"}, "impact", "The impact must be from 1 to 5."),
        ({"title": ""}, "title", None),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(client, t, changes, field, message):
    before = _risk_count()
    with translation.override("en"):
        response = _login(client, t).post(reverse("portfolio:risk_create"), _data(**changes))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert errors[field] == [message]
    assert _risk_count() == before


def test_a_missing_impact_is_refused(client, t):
    data = _data()
    del data["impact"]
    before = _risk_count()
    response = _login(client, t).post(reverse("portfolio:risk_create"), data)
    assert response.status_code == 422
    assert "impact" in response.context["form"].errors
    assert _risk_count() == before


def test_an_owner_of_another_municipality_is_refused(client, t):
    with scopes_disabled():
        elsewhere = factories.municipality("Anden Kommune")
        stranger = factories.person(elsewhere, "Fremmed Person")
    before = _risk_count()
    response = _login(client, t).post(reverse("portfolio:risk_create"), _data(owner=stranger))
    assert response.status_code == 422
    assert "owner" in response.context["form"].errors
    assert _risk_count() == before


def test_an_inactive_person_cannot_become_owner(client, t):
    with scopes_disabled():
        gone = factories.person(t.municipality, "Tidligere Ansat")
        gone.active = False
        gone.save()
    response = _login(client, t).post(reverse("portfolio:risk_create"), _data(owner=gone))
    assert response.status_code == 422
    assert "owner" in response.context["form"].errors


def test_editing_a_bad_value_changes_nothing(client, t):
    url = reverse("portfolio:risk_edit", args=[t.risk.pk])
    response = _login(client, t).post(url, _data(probability="9", title="Ændret"))
    assert response.status_code == 422
    with scopes_disabled():
        t.risk.refresh_from_db()
    assert (t.risk.title, t.risk.probability) == (f"Leverandør forsinket {CANARY_OWN}", 4)


def test_next_must_stay_on_the_site(client, t):
    response = _login(client, t).post(
        reverse("portfolio:risk_create"), _data(next="https://example.com/")
    )
    assert response["Location"] == LIST


# --- Who may keep which risks ----------------------------------------------------------------


def test_leader_may_not_create_portfolio_risks(client, t):
    client = _login(client, t, Role.PROJECT_LEADER)
    assert client.get(reverse("portfolio:risk_create")).status_code == 403
    before = _risk_count()
    assert client.post(reverse("portfolio:risk_create"), _data()).status_code == 403
    assert _risk_count() == before


def test_leader_may_not_edit_portfolio_risks(client, t):
    url = reverse("portfolio:risk_edit", args=[t.portfolio_risk.pk])
    client = _login(client, t, Role.PROJECT_LEADER)
    assert client.get(url).status_code == 403
    assert client.post(url, _data()).status_code == 403
    escalate = reverse("portfolio:risk_escalate", args=[t.portfolio_risk.pk])
    assert client.post(escalate, {"body": t.body.pk}).status_code == 403


def test_leader_may_not_touch_another_project(client, t):
    with scopes_disabled():
        other = factories.project(t.municipality, "Andet projekt")
        risk = factories.risk(other)
    client = _login(client, t, Role.PROJECT_LEADER)
    before = _risk_count()
    assert (
        client.post(reverse("portfolio:project_risk_create", args=[other.pk]), _data()).status_code
        == 403
    )
    assert client.post(reverse("portfolio:risk_edit", args=[risk.pk]), _data()).status_code == 403
    assert (
        client.post(
            reverse("portfolio:risk_escalate", args=[risk.pk]), {"body": t.body.pk}
        ).status_code
        == 403
    )
    assert _risk_count() == before


def test_another_municipality_s_risk_does_not_exist(client, t, other):
    client = _login(client, t)
    assert client.get(reverse("portfolio:risk_edit", args=[other.risk.pk])).status_code == 404
    assert (
        client.get(reverse("portfolio:project_risk_create", args=[other.project.pk])).status_code
        == 404
    )


# --- Escalation ------------------------------------------------------------------------------


def test_the_confirm_page_proposes_the_governing_body(client, t):
    response = _login(client, t, Role.PROJECT_LEADER).get(
        reverse("portfolio:risk_escalate", args=[t.risk.pk])
    )
    assert response.status_code == 200
    assert response.context["form"]["body"].value() == str(t.body.pk)
    # Closed bodies are not offered.
    assert str(t.closed_body.pk) not in dict(response.context["form"].fields["body"].choices)


def test_a_portfolio_risk_goes_to_the_steering_group_by_default(client, t):
    with scopes_disabled():
        steering = factories.body(t.municipality, "Styregruppe", kind=BodyKind.STEERING_GROUP)
        t.body.kind = BodyKind.PROGRAMME_GROUP
        t.body.save()
        t.board.kind = BodyKind.EXECUTIVE_BOARD
        t.board.save()
    response = _login(client, t).get(reverse("portfolio:risk_escalate", args=[t.portfolio_risk.pk]))
    assert response.context["form"]["body"].value() == str(steering.pk)


def test_escalation_opens_a_case_in_the_body_s_backlog(client, t):
    url = reverse("portfolio:risk_escalate", args=[t.risk.pk])
    with translation.override("en"):
        response = _login(client, t, Role.PROJECT_LEADER).post(
            url, {"body": t.body.pk, "next": LIST}, follow=True
        )
    assert response.redirect_chain[-1][0] == LIST
    with scopes_disabled():
        t.risk.refresh_from_db()
        case = t.risk.case
        step = CaseStep.objects.get(case=case)
        waiting = [s.case_id for s in backlog(t.body).cases]
    assert t.risk.escalated_to == t.body
    assert (step.body, step.arrived_on) == (t.body, timezone.localdate())
    assert case.pk in waiting
    assert case.origin_url.startswith(reverse("portfolio:project_detail", args=[t.project.pk]))
    message = [str(m) for m in response.context["messages"]][0]
    assert case.number in message
    assert "escalated" in message


def test_escalation_without_next_goes_back_to_the_project_card(client, t):
    response = _login(client, t).post(
        reverse("portfolio:risk_escalate", args=[t.portfolio_risk.pk]), {"body": t.board.pk}
    )
    assert response["Location"] == LIST
    response = client.post(
        reverse("portfolio:risk_escalate", args=[t.risk.pk]), {"body": t.body.pk}
    )
    assert response["Location"] == (
        reverse("portfolio:project_detail", args=[t.project.pk]) + "#risici"
    )


def test_escalating_twice_to_the_same_body_is_refused(client, t):
    url = reverse("portfolio:risk_escalate", args=[t.risk.pk])
    client = _login(client, t, Role.PROJECT_LEADER)
    assert client.post(url, {"body": t.body.pk}).status_code == 302
    with scopes_disabled():
        cases = Case.objects.count()
    with translation.override("en"):
        response = client.post(url, {"body": t.body.pk})
    assert response.status_code == 422
    assert response.context["form"].non_field_errors() == [
        f"The risk is already escalated to {t.body.name}."
    ]
    with scopes_disabled():
        assert Case.objects.count() == cases


def test_a_closed_risk_is_not_escalated(client, t):
    with scopes_disabled():
        Risk.objects.filter(pk=t.risk.pk).update(status=RiskStatus.CLOSED)
        cases, steps = Case.objects.count(), CaseStep.objects.count()
    url = reverse("portfolio:risk_escalate", args=[t.risk.pk])
    with translation.override("en"):
        client = _login(client, t)
        assert "A closed risk cannot be escalated." in client.get(url).content.decode()
        response = client.post(url, {"body": t.body.pk})
    assert response.status_code == 422
    assert response.context["form"].non_field_errors() == ["A closed risk cannot be escalated."]
    with scopes_disabled():
        assert (Case.objects.count(), CaseStep.objects.count()) == (cases, steps)
        t.risk.refresh_from_db()
    assert t.risk.escalated_to is None


def test_a_closed_body_or_no_body_is_refused(client, t):
    url = reverse("portfolio:risk_escalate", args=[t.risk.pk])
    client = _login(client, t)
    for body in ("", str(t.closed_body.pk), "x"):
        response = client.post(url, {"body": body})
        assert response.status_code == 422
        assert "body" in response.context["form"].errors
    with scopes_disabled():
        t.risk.refresh_from_db()
    assert t.risk.case is None
