"""The API of the annual action plan: `annual-plans` (with `recommend`, `approve`,
`reopen`), `plan-criteria`, `plan-entries` (with `progress`) and `plan-scores`. The same
rules and errors as the pages; a refused write answers 400 (or 403/404) and writes nothing."""

import datetime

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from core.models import Role
from meetings.models import Meeting, MeetingState, Outcome
from planning.models import (
    AnnualPlan,
    Criterion,
    PlanEntry,
    PlanState,
    Progress,
    Score,
)
from tests import factories

pytestmark = pytest.mark.usefixtures("english")


def _url(t, name, **kwargs):
    with scope(municipality=t.municipality.pk):
        return reverse(name, kwargs=kwargs)


def _api(client, t, role=Role.SECRETARY):
    client.force_login(t.users[role])
    return client


def _counts():
    with scopes_disabled():
        return {
            model.__name__: (model.objects.count(), model.history.count())
            for model in (AnnualPlan, Criterion, PlanEntry, Score)
        }


def _decision(t, title="Indsatsplan – beslutning", closed=False, body=None):
    with scopes_disabled():
        meeting = factories.meeting(
            body or t.body, datetime.date(2024, 11, 19), state=MeetingState.MINUTES_DRAFT
        )
        item = factories.item(
            meeting,
            title,
            kind="decision",
            closed=closed,
            closed_reason="Fortroligt" if closed else "",
            decision="Godkendt.",
            outcome=Outcome.TREATED,
        )
        Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.MINUTES_APPROVED)
        return item


def _state(t, state, recommended=None, approved=None):
    with scopes_disabled():
        AnnualPlan.objects.filter(pk=t.plan.pk).update(
            state=state, recommended_by=recommended, approved_by=approved
        )


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def _patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


# --- Reading -------------------------------------------------------------------------------------


def test_every_user_reads_the_plans_with_their_computed_ranks(client, t):
    with scopes_disabled():
        top = factories.plan_entry(t.plan, "Top", scores=[5, 5, 1, 1, 5, 5])
        factories.plan_entry(t.plan, "Delvis", scores=[3])
    _api(client, t, Role.READER)
    plan = client.get(_url(t, "annualplan-detail", pk=t.plan.pk)).json()
    assert plan["state"] == "draft" and plan["entry_count"] == 3
    assert plan["hours_allocated"] == 500 and plan["over_capacity"] is False
    entries = client.get(_url(t, "planentry-list") + f"?plan={t.plan.pk}").json()["results"]
    by_title = {e["title"]: e for e in entries}
    assert by_title["Top"]["rank"] == 1 and by_title["Top"]["weighted_score"] == "5.00"
    world = by_title[t.entry.title]
    assert world["rank"] == 2 and world["weighted_score"] == "3.80" and world["fully_scored"]
    assert sorted(world["scores"].values()) == [1, 2, 3, 4, 4, 5]
    assert by_title["Delvis"]["rank"] == 3 and by_title["Delvis"]["fully_scored"] is False
    detail = client.get(_url(t, "planentry-detail", pk=top.pk)).json()
    assert detail["rank"] == 1
    criteria = client.get(_url(t, "plancriterion-list") + f"?plan={t.plan.pk}").json()
    assert [c["weight"] for c in criteria["results"]] == [25, 25, 15, 15, 10, 10]
    scores = client.get(_url(t, "planscore-list") + f"?entry={t.entry.pk}").json()
    assert scores["count"] == 6


def test_a_closed_decision_shows_as_a_closed_item_to_those_who_may_not_read_it(client, t):
    _state(t, PlanState.RECOMMENDED, _decision(t, "Lukket anbefaling", closed=True))
    reader = _api(client, t, Role.READER).get(_url(t, "annualplan-detail", pk=t.plan.pk))
    link = reader.json()["recommended_decision"]
    assert link["title"] == "a closed item" and link["decision"] == "" and not link["readable"]
    assert "Lukket anbefaling" not in reader.content.decode()
    member = _api(client, t, Role.MEMBER).get(_url(t, "annualplan-detail", pk=t.plan.pk))
    assert member.json()["recommended_decision"]["title"] == "Lukket anbefaling"


def test_another_municipality_gets_404(client, t, other):
    client.force_login(other.users[Role.ADMINISTRATOR])
    before = _counts()
    for name, pk in (
        ("annualplan-detail", t.plan.pk),
        ("planentry-detail", t.entry.pk),
        ("plancriterion-detail", t.criterion.pk),
    ):
        with scope(municipality=t.municipality.pk):
            url = reverse(name, kwargs={"pk": pk})
        assert client.get(url).status_code == 404
        assert _patch(client, url, {"title": "x"}).status_code == 404
    with scope(municipality=t.municipality.pk):
        url = reverse("annualplan-approve", kwargs={"pk": t.plan.pk})
    assert _post(client, url, {}).status_code == 404
    assert _counts() == before


# --- Plans ---------------------------------------------------------------------------------------


def test_create_a_plan_with_the_default_criteria(client, t):
    response = _post(
        _api(client, t),
        _url(t, "annualplan-list"),
        {"year": 2026, "capacity_hours": 4000, "capacity_amount": "2000000"},
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["title"] == "Action plan 2026" and data["state"] == "draft"
    with scopes_disabled():
        assert Criterion.objects.filter(plan_id=data["id"]).count() == 6


def test_create_a_plan_copying_the_plan_before(client, t):
    response = _post(
        _api(client, t),
        _url(t, "annualplan-list"),
        {"year": 2026, "title": "Indsatsplan 2026", "copy_previous": True},
    )
    assert response.status_code == 201
    assert response.json()["entry_count"] == 1


@pytest.mark.parametrize(
    "data, field",
    [
        ({"year": 2025}, "non_field_errors"),
        ({"year": 2020, "copy_previous": True}, "copy_previous"),
        ({"year": 2026, "capacity_amount": "-1"}, "capacity_amount"),
        ({"year": 3500}, "year"),
        ({}, "year"),
    ],
)
def test_a_bad_plan_is_refused(client, t, data, field):
    before = _counts()
    response = _post(_api(client, t), _url(t, "annualplan-list"), data)
    assert response.status_code == 400 and field in response.json(), response.json()
    assert _counts() == before


def test_the_state_and_decisions_change_only_through_the_actions(client, t):
    item = _decision(t)
    response = _patch(
        _api(client, t),
        _url(t, "annualplan-detail", pk=t.plan.pk),
        {"state": "approved", "approved_by": item.pk, "capacity_hours": 10},
    )
    assert response.status_code == 200
    assert response.json()["state"] == "draft" and response.json()["approved_by"] is None
    assert response.json()["capacity_hours"] == 10


def test_recommend_approve_and_reopen(client, t):
    recommended, approved = _decision(t, "Anbefaling"), _decision(t, "Godkendelse")
    _api(client, t)
    response = _post(
        client, _url(t, "annualplan-recommend", pk=t.plan.pk), {"decision": recommended.pk}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "recommended"
    assert response.json()["recommended_decision"]["title"] == "Anbefaling"
    response = _post(client, _url(t, "annualplan-approve", pk=t.plan.pk), {"decision": approved.pk})
    assert response.status_code == 200 and response.json()["state"] == "approved"
    assert response.json()["approved_by"] == approved.pk
    before = _counts()
    response = _post(client, _url(t, "annualplan-reopen", pk=t.plan.pk), {"reason": ""})
    assert response.status_code == 400 and "reason" in response.json()
    assert _counts() == before
    response = _post(
        client, _url(t, "annualplan-reopen", pk=t.plan.pk), {"reason": "Ny prioritering"}
    )
    assert response.status_code == 200 and response.json()["state"] == "draft"


def test_approving_without_a_linked_decision_is_refused(client, t):
    _state(t, PlanState.RECOMMENDED, _decision(t))
    before = _counts()
    response = _post(_api(client, t), _url(t, "annualplan-approve", pk=t.plan.pk), {})
    assert response.status_code == 400
    assert "A plan is approved by a decision" in " ".join(response.json()["approved_by"])
    assert _counts() == before


def test_approving_over_capacity_needs_a_reason(client, t):
    with scopes_disabled():
        factories.plan_entry(t.plan, "Dyr indsats", amount=1_200_000)
    _state(t, PlanState.RECOMMENDED, _decision(t))
    item = _decision(t, "Godkendelse")
    before = _counts()
    _api(client, t)
    response = _post(client, _url(t, "annualplan-approve", pk=t.plan.pk), {"decision": item.pk})
    assert response.status_code == 400
    assert "100.000 kr. more than the capacity" in " ".join(response.json()["over_capacity_reason"])
    assert _counts() == before
    response = _post(
        client,
        _url(t, "annualplan-approve", pk=t.plan.pk),
        {"decision": item.pk, "over_capacity_reason": "Gevinsten dækker."},
    )
    assert response.status_code == 200
    assert response.json()["over_capacity_reason"] == "Gevinsten dækker."
    assert response.json()["over_capacity"] is True


def test_a_decision_the_user_may_not_read_is_refused(client, t):
    with scopes_disabled():
        secret_body = factories.body(t.municipality, "Hemmelig gruppe")
    item = _decision(t, "Lukket", closed=True, body=secret_body)
    before = _counts()
    response = _post(
        _api(client, t), _url(t, "annualplan-recommend", pk=t.plan.pk), {"decision": item.pk}
    )
    assert response.status_code == 400 and "decision" in response.json()
    assert "Lukket" not in response.content.decode()
    assert _counts() == before


def test_a_non_draft_plan_is_locked(client, t):
    _state(t, PlanState.APPROVED, _decision(t), _decision(t, "Godkendelse"))
    before = _counts()
    _api(client, t)
    attempts = [
        _patch(client, _url(t, "annualplan-detail", pk=t.plan.pk), {"capacity_hours": 1}),
        _patch(client, _url(t, "plancriterion-detail", pk=t.criterion.pk), {"weight": 1}),
        _post(client, _url(t, "plancriterion-list"), {"plan": t.plan.pk, "name": "X"}),
        client.delete(_url(t, "plancriterion-detail", pk=t.criterion.pk)),
        _post(client, _url(t, "planentry-list"), {"plan": t.plan.pk, "title": "X"}),
        _patch(client, _url(t, "planentry-detail", pk=t.entry.pk), {"hours": 1}),
        client.delete(_url(t, "planentry-detail", pk=t.entry.pk)),
    ]
    with scopes_disabled():
        score = t.entry.scores.first()
    attempts.append(_patch(client, _url(t, "planscore-detail", pk=score.pk), {"value": 1}))
    attempts.append(client.delete(_url(t, "planscore-detail", pk=score.pk)))
    for response in attempts:
        assert response.status_code == 400, response.content
        assert "locked" in response.content.decode()
    assert _counts() == before


# --- Criteria ------------------------------------------------------------------------------------


def test_weights_that_add_up_to_zero_are_refused(client, t):
    with scopes_disabled():
        t.plan.criteria.exclude(pk=t.criterion.pk).update(weight=0)
    before = _counts()
    _api(client, t)
    response = _patch(client, _url(t, "plancriterion-detail", pk=t.criterion.pk), {"weight": 0})
    assert response.status_code == 400
    assert "add up to zero" in response.content.decode()
    response = client.delete(_url(t, "plancriterion-detail", pk=t.criterion.pk))
    assert response.status_code == 400 and "add up to zero" in response.content.decode()
    assert _counts() == before
    with scopes_disabled():
        t.criterion.refresh_from_db()
    assert t.criterion.weight == 25


@pytest.mark.parametrize("weight", [101, -1])
def test_a_weight_outside_0_to_100_is_refused(client, t, weight):
    before = _counts()
    response = _post(
        _api(client, t),
        _url(t, "plancriterion-list"),
        {"plan": t.plan.pk, "name": "Borgernes behov", "weight": weight},
    )
    assert response.status_code == 400 and "weight" in response.json()
    assert _counts() == before


def test_add_a_criterion(client, t):
    response = _post(
        _api(client, t),
        _url(t, "plancriterion-list"),
        {
            "plan": t.plan.pk,
            "name": "Borgernes behov",
            "weight": 5,
            "lower_is_better": False,
            "position": 6,
        },
    )
    assert response.status_code == 201


# --- Entries -------------------------------------------------------------------------------------


def test_add_an_entry_from_a_project_and_in_free_text(client, t):
    _api(client, t)
    response = _post(
        client,
        _url(t, "planentry-list"),
        {"plan": t.plan.pk, "project": t.project.pk, "hours": 100},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["title"] == t.project.name and response.json()["position"] == 1
    assert response.json()["fully_scored"] is False and response.json()["rank"] == 2
    before = _counts()
    response = _post(client, _url(t, "planentry-list"), {"plan": t.plan.pk, "title": ""})
    assert response.status_code == 400 and "Give the effort a title" in response.content.decode()
    assert _counts() == before


def test_an_id_of_another_municipality_is_refused(client, t, other):
    before = _counts()
    _api(client, t)
    response = _post(
        client,
        _url(t, "planentry-list"),
        {"plan": t.plan.pk, "title": "X", "project": other.project.pk},
    )
    assert response.status_code == 400 and "project" in response.json()
    response = _post(client, _url(t, "planentry-list"), {"plan": other.plan.pk, "title": "X"})
    assert response.status_code == 400 and "plan" in response.json()
    assert _counts() == before


def test_a_rank_set_by_hand_needs_a_reason_and_a_place(client, t):
    before = _counts()
    _api(client, t)
    url = _url(t, "planentry-detail", pk=t.entry.pk)
    response = _patch(client, url, {"rank_override": 1})
    assert response.status_code == 400 and "rank_reason" in response.json()
    response = _patch(client, url, {"rank_override": 2, "rank_reason": "Hastesag"})
    assert response.status_code == 400 and "from 1 to 1" in response.content.decode()
    assert _counts() == before
    response = _patch(client, url, {"rank_override": 1, "rank_reason": "Hastesag"})
    assert response.status_code == 200 and response.json()["rank"] == 1


def test_the_responsible_person_records_progress(client, t):
    _state(t, PlanState.APPROVED, _decision(t), _decision(t, "Godkendelse"))
    url = _url(t, "planentry-progress", pk=t.entry.pk)
    response = _post(
        _api(client, t, Role.PROJECT_LEADER),
        url,
        {"progress": "at_risk", "progress_note": "Forsinket"},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["progress"] == "at_risk"
    assert response.json()["progress_updated_on"] == datetime.date.today().isoformat()
    before = _counts()
    assert _post(_api(client, t, Role.MEMBER), url, {"progress": "done"}).status_code == 403
    assert _post(_api(client, t, Role.READER), url, {"progress": "done"}).status_code == 403
    response = _post(_api(client, t), url, {"progress": "finished"})
    assert response.status_code == 400 and "progress" in response.json()
    response = _post(client, url, {"progress": "done", "progress_updated_on": "2999-01-01"})
    assert response.status_code == 400
    assert _counts() == before
    assert client.get(url).status_code == 405


def test_progress_is_not_written_through_the_entry(client, t):
    response = _patch(
        _api(client, t), _url(t, "planentry-detail", pk=t.entry.pk), {"progress": Progress.DONE}
    )
    assert response.status_code == 200 and response.json()["progress"] == Progress.NOT_STARTED


# --- Scores --------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 6, -3, 100])
def test_a_score_outside_1_to_5_names_the_entry_and_criterion(client, t, value):
    with scopes_disabled():
        entry = factories.plan_entry(t.plan, "Uden score")
    before = _counts()
    response = _post(
        _api(client, t),
        _url(t, "planscore-list"),
        {"entry": entry.pk, "criterion": t.criterion.pk, "value": value},
    )
    assert response.status_code == 400
    message = " ".join(response.json()["value"])
    assert (
        f"The score of “Uden score” on “{t.criterion.name}” must be a whole number from 1 "
        "to 5." == message
    )
    with scopes_disabled():
        score = t.entry.scores.get(criterion=t.criterion)
    response = _patch(client, _url(t, "planscore-detail", pk=score.pk), {"value": value})
    assert response.status_code == 400 and t.entry.title in response.content.decode()
    assert _counts() == before


def test_bad_scores_are_refused(client, t):
    with scopes_disabled():
        other_plan = factories.annual_plan(t.municipality, 2030)
        foreign_criterion = other_plan.criteria.first()
        score = t.entry.scores.get(criterion=t.criterion)
    before = _counts()
    _api(client, t)
    response = _post(
        client,
        _url(t, "planscore-list"),
        {"entry": t.entry.pk, "criterion": foreign_criterion.pk, "value": 3},
    )
    assert response.status_code == 400 and "another plan" in response.content.decode()
    response = _post(
        client,
        _url(t, "planscore-list"),
        {"entry": t.entry.pk, "criterion": t.criterion.pk, "value": 3},
    )
    assert response.status_code == 400  # the entry has a score on it already
    response = _patch(
        client, _url(t, "planscore-detail", pk=score.pk), {"criterion": foreign_criterion.pk}
    )
    assert response.status_code == 400
    assert _counts() == {**before, "AnnualPlan": before["AnnualPlan"]}


def test_a_score_is_set_and_the_rank_follows(client, t):
    with scopes_disabled():
        entry = factories.plan_entry(t.plan, "Ny", scores=[5, 5, 1, 1, 5])
        last = t.plan.criteria.order_by("position").last()
    _api(client, t)
    response = _post(
        client, _url(t, "planscore-list"), {"entry": entry.pk, "criterion": last.pk, "value": 5}
    )
    assert response.status_code == 201
    detail = client.get(_url(t, "planentry-detail", pk=entry.pk)).json()
    assert detail["fully_scored"] and detail["rank"] == 1 and detail["weighted_score"] == "5.00"


def test_only_those_who_run_the_plans_write(client, t):
    before = _counts()
    for role in (Role.MEMBER, Role.PROJECT_LEADER, Role.READER):
        _api(client, t, role)
        assert (
            _patch(client, _url(t, "annualplan-detail", pk=t.plan.pk), {"title": "X"}).status_code
            == 403
        )
        assert _post(client, _url(t, "annualplan-recommend", pk=t.plan.pk), {}).status_code == 403
        assert _post(client, _url(t, "planscore-list"), {}).status_code == 403
        assert client.delete(_url(t, "planentry-detail", pk=t.entry.pk)).status_code == 403
    assert _counts() == before
