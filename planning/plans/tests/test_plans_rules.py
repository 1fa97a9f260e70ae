"""The rules of the annual action plan (`planning.plans.services`): the weighted score and the rank,
capacity, creating a plan, the grid of scores, ranks set by hand, the states and locking."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from core.permissions import has_perm
from meetings.models import MeetingState, Outcome
from planning.models import (
    AnnualPlan,
    Criterion,
    PlanEntry,
    PlanState,
    Progress,
    Score,
)
from planning.plans import services as plans
from tests import factories

# Messages are asserted in English, the source language.
pytestmark = pytest.mark.usefixtures("english")

# --- The ranking, without a database -------------------------------------------------------------


def _criteria(*spec):
    """Criteria from (weight, lower_is_better) pairs, ids 1, 2, …"""
    return [
        Criterion(pk=i, weight=weight, lower_is_better=lower, position=i)
        for i, (weight, lower) in enumerate(spec, start=1)
    ]


def _entries(n, **overrides):
    entries = [PlanEntry(pk=i, title=f"E{i}", position=i) for i in range(1, n + 1)]
    for pk, rank in overrides.items():
        entries[int(pk[1:]) - 1].rank_override = rank
    return entries


def _scores(table):
    """{entry id: [values per criterion]} as (entry, criterion, value) tuples; None skips."""
    return [
        (entry, criterion, value)
        for entry, values in table.items()
        for criterion, value in enumerate(values, start=1)
        if value is not None
    ]


def _order(ranked):
    return [r.entry.pk for r in ranked]


def test_the_weighted_score_is_the_weighted_mean_of_the_scores():
    criteria = _criteria((30, False), (10, False))
    ranked = plans.rank_entries(criteria, _entries(1), _scores({1: [5, 1]}))
    assert ranked[0].score == Decimal("4.00")  # (30×5 + 10×1) / 40
    assert ranked[0].complete


def test_a_low_score_counts_high_where_lower_is_better():
    criteria = _criteria((10, False), (10, True))
    ranked = plans.rank_entries(criteria, _entries(2), _scores({1: [3, 1], 2: [3, 5]}))
    # entry 1: (3 + (6 − 1)) / 2 = 4; entry 2: (3 + (6 − 5)) / 2 = 2
    assert [r.score for r in ranked] == [Decimal("4.00"), Decimal("2.00")]
    assert _order(ranked) == [1, 2]


def test_the_weights_decide_the_order():
    scores = _scores({1: [5, 1], 2: [1, 5]})
    first = plans.rank_entries(_criteria((90, False), (10, False)), _entries(2), scores)
    second = plans.rank_entries(_criteria((10, False), (90, False)), _entries(2), scores)
    assert _order(first) == [1, 2]
    assert _order(second) == [2, 1]


def test_a_criterion_of_weight_zero_does_not_count():
    criteria = _criteria((10, False), (0, False))
    ranked = plans.rank_entries(criteria, _entries(1), _scores({1: [2, 5]}))
    assert ranked[0].score == Decimal("2.00")


def test_scores_are_rounded_to_two_decimals():
    criteria = _criteria((1, False), (1, False), (1, False))
    ranked = plans.rank_entries(criteria, _entries(1), _scores({1: [1, 1, 2]}))
    assert ranked[0].score == Decimal("1.33")


def test_ties_keep_the_entries_own_order():
    criteria = _criteria((10, False))
    entries = _entries(3)
    entries[0].position, entries[2].position = 5, 0  # order: E3, E2, E1
    entries.sort(key=lambda e: e.position)
    ranked = plans.rank_entries(criteria, entries, _scores({1: [4], 2: [4], 3: [4]}))
    assert _order(ranked) == [3, 2, 1]
    assert [r.rank for r in ranked] == [1, 2, 3]
    again = plans.rank_entries(criteria, entries, _scores({3: [4], 1: [4], 2: [4]}))
    assert _order(again) == [3, 2, 1]


def test_entries_not_fully_scored_rank_after_the_fully_scored():
    criteria = _criteria((10, False), (10, False))
    ranked = plans.rank_entries(
        criteria, _entries(3), _scores({1: [5, None], 2: [1, 1], 3: [None, None]})
    )
    assert _order(ranked) == [2, 1, 3]
    by_id = {r.entry.pk: r for r in ranked}
    assert not by_id[1].complete and by_id[1].score == Decimal("5.00")  # the part scored
    assert by_id[2].complete
    assert by_id[3].score is None and not by_id[3].complete
    assert by_id[1].values == [5, None]


def test_a_rank_set_by_hand_wins_and_the_others_close_up():
    criteria = _criteria((10, False))
    entries = _entries(4, e4=1)
    ranked = plans.rank_entries(criteria, entries, _scores({1: [5], 2: [4], 3: [3], 4: [1]}))
    assert _order(ranked) == [4, 1, 2, 3]
    by_id = {r.entry.pk: r for r in ranked}
    assert by_id[4].rank == 1 and by_id[4].computed_rank == 4 and by_id[4].overridden
    assert by_id[1].rank == 2 and not by_id[1].overridden


def test_ranks_set_by_hand_beyond_the_end_or_twice_still_give_each_a_place():
    criteria = _criteria((10, False))
    entries = _entries(4, e1=9, e2=2, e3=2)
    ranked = plans.rank_entries(criteria, entries, _scores({1: [5], 2: [4], 3: [3], 4: [2]}))
    assert sorted(r.rank for r in ranked) == [1, 2, 3, 4]
    assert _order(ranked) == [4, 2, 3, 1]  # E2 and E3 asked for 2 (E2 computed first), E1 last


def test_a_plan_without_criteria_ranks_in_the_entries_order():
    ranked = plans.rank_entries([], _entries(2), [])
    assert _order(ranked) == [1, 2]
    assert all(r.score is None and not r.complete for r in ranked)


def test_capacity_over_in_hours_or_kroner():
    used = plans.Capacity(100, 120, Decimal(1000), Decimal(500))
    assert used.over and used.hours_over == 20 and used.amount_over == 0
    assert used.hours_share == 120 and used.amount_left == 500
    assert not plans.Capacity(100, 100, Decimal(0), Decimal(0)).over
    assert plans.Capacity(0, 0, Decimal(0), Decimal(1)).amount_over == Decimal(1)
    assert plans.Capacity(0, 0, Decimal(0), Decimal(0)).hours_share is None


# --- With a database -----------------------------------------------------------------------------


@pytest.fixture
def scoped(t):
    with scope(municipality=t.municipality.pk):
        yield t


def _counts():
    with scopes_disabled():
        return {
            model.__name__: (model.objects.count(), model.history.count())
            for model in (AnnualPlan, Criterion, PlanEntry, Score)
        }


def _decision(t, body=None, closed=False, approved=True, title="Indsatsplan – beslutning"):
    """An item with a decision in a meeting of `body` (default: the world's steering group)."""
    from meetings.models import Meeting

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
            decision="Planen blev godkendt.",
            outcome=Outcome.TREATED,
        )
        if approved:
            Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.MINUTES_APPROVED)
        return item


def test_plan_view_computes_rank_score_capacity_and_progress(scoped):
    t = scoped
    view = plans.plan_view(t.plan)
    assert [c.weight for c in view.criteria] == [25, 25, 15, 15, 10, 10]
    assert view.total_weight == 100
    (row,) = view.ranked
    assert row.score == Decimal("3.80") and row.complete and row.rank == 1
    assert view.capacity.hours_allocated == 500 and view.capacity.amount_allocated == 400_000
    counts = {p["value"]: p["count"] for p in view.progress}
    assert counts[Progress.NOT_STARTED] == 1 and sum(counts.values()) == 1


def test_a_new_plan_gets_the_six_default_criteria(scoped):
    plan = plans.create_plan(AnnualPlan(year=2026, title="Indsatsplan 2026"))
    criteria = list(plan.criteria.order_by("position"))
    assert [(c.weight, c.lower_is_better) for c in criteria] == [
        (25, False),
        (25, False),
        (15, True),
        (15, True),
        (10, False),
        (10, False),
    ]
    assert plan.state == PlanState.DRAFT and not plan.entries.exists()


def test_a_new_plan_copies_criteria_and_unfinished_entries(scoped):
    t = scoped
    t.plan.criteria.filter(position=0).update(weight=40)
    done = factories.plan_entry(t.plan, "Færdig", scores=[1, 1, 1, 1, 1, 1], progress=Progress.DONE)
    assert done.pk
    plan = plans.create_plan(AnnualPlan(year=2026, title="Indsatsplan 2026"), copy_from=t.plan)
    assert [c.weight for c in plan.criteria.order_by("position")] == [40, 25, 15, 15, 10, 10]
    (entry,) = plan.entries.all()
    assert entry.title == t.entry.title and entry.project_id == t.project.pk
    assert entry.progress == Progress.NOT_STARTED and entry.rank_override is None
    assert sorted(entry.scores.values_list("value", flat=True)) == [1, 2, 3, 4, 4, 5]
    assert set(entry.scores.values_list("criterion__plan", flat=True)) == {plan.pk}


def test_a_second_plan_for_the_same_year_is_refused(scoped):
    before = _counts()
    with pytest.raises(ValidationError):
        plans.create_plan(AnnualPlan(year=2025, title="Igen"))
    assert _counts() == before


def test_check_weights_refuses_weights_adding_up_to_zero(scoped):
    t = scoped
    plans.check_weights(t.plan)
    t.plan.criteria.update(weight=0)
    with pytest.raises(ValidationError, match="add up to zero"):
        plans.check_weights(t.plan)


def test_save_scores_sets_changes_and_removes_in_one_go(scoped):
    t = scoped
    entry = factories.plan_entry(t.plan, "Ny")
    c1, c2 = t.plan.criteria.order_by("position")[:2]
    changed = plans.save_scores(
        t.plan,
        {
            (entry.pk, c1.pk): 3,
            (entry.pk, c2.pk): 2,
            (t.entry.pk, c1.pk): 1,
            (t.entry.pk, c2.pk): None,
        },
    )
    assert changed == 4
    assert dict(entry.scores.values_list("criterion_id", "value")) == {c1.pk: 3, c2.pk: 2}
    values = dict(t.entry.scores.values_list("criterion_id", "value"))
    assert values[c1.pk] == 1 and c2.pk not in values
    assert plans.save_scores(t.plan, {(entry.pk, c1.pk): 3}) == 0


@pytest.mark.parametrize("bad", [0, 6, -1, 99])
def test_a_score_outside_1_to_5_refuses_the_whole_grid(scoped, bad):
    t = scoped
    c1, c2 = t.plan.criteria.order_by("position")[:2]
    before = _counts()
    with pytest.raises(ValidationError) as error:
        plans.save_scores(t.plan, {(t.entry.pk, c1.pk): 1, (t.entry.pk, c2.pk): bad})
    message = " ".join(error.value.messages)
    assert t.entry.title in message and c2.name in message and "from 1 to 5" in message
    assert _counts() == before


def test_a_grid_naming_another_plans_rows_is_refused(scoped):
    t = scoped
    other = plans.create_plan(AnnualPlan(year=2030, title="Anden"))
    foreign = other.criteria.first()
    before = _counts()
    with pytest.raises(ValidationError):
        plans.save_scores(t.plan, {(t.entry.pk, foreign.pk): 3})
    assert _counts() == before


def test_a_rank_set_by_hand_needs_a_reason_and_a_place_in_the_plan(scoped):
    t = scoped
    before = _counts()
    with pytest.raises(ValidationError, match="reason"):
        plans.set_rank(t.entry, 1, "  ")
    with pytest.raises(ValidationError, match="from 1 to 1"):
        plans.set_rank(t.entry, 2, "Hastesag")
    assert _counts() == before
    plans.set_rank(t.entry, 1, "Lovkrav fra 2025")
    t.entry.refresh_from_db()
    assert (t.entry.rank_override, t.entry.rank_reason) == (1, "Lovkrav fra 2025")
    plans.set_rank(t.entry, None, "ignored")
    t.entry.refresh_from_db()
    assert (t.entry.rank_override, t.entry.rank_reason) == (None, "")


def test_recommend_needs_a_decision_in_approved_minutes(scoped):
    t = scoped
    before = _counts()
    with pytest.raises(ValidationError, match="Choose the decision"):
        plans.recommend(t.plan, None)
    with pytest.raises(ValidationError, match="approved minutes"):
        plans.recommend(t.plan, _decision(t, approved=False))
    assert _counts() == before
    item = _decision(t)
    plan = plans.recommend(t.plan, item)
    assert plan.state == PlanState.RECOMMENDED and plan.recommended_by_id == item.pk


def test_approving_without_a_linked_decision_is_refused(scoped):
    t = scoped
    plan = plans.recommend(t.plan, _decision(t))
    before = _counts()
    with pytest.raises(ValidationError) as error:
        plans.approve(plan, None, "")
    assert "approved by a decision" in " ".join(error.value.messages)
    assert "approved_by" in error.value.error_dict
    assert _counts() == before
    plan.refresh_from_db()
    assert plan.state == PlanState.RECOMMENDED and plan.approved_by_id is None


def test_approving_over_capacity_needs_a_reason(scoped):
    t = scoped
    factories.plan_entry(t.plan, "Stor indsats", hours=1800, amount=2_000_000)
    plan = plans.recommend(t.plan, _decision(t))
    item = _decision(t, title="Godkendelse")
    before = _counts()
    with pytest.raises(ValidationError) as error:
        plans.approve(plan, item, "   ")
    message = " ".join(error.value.message_dict["over_capacity_reason"])
    assert "300 hours" in message and "900.000 kr." in message
    assert _counts() == before
    plan = plans.approve(plan, item, "Gevinsterne dækker overskridelsen.")
    assert plan.state == PlanState.APPROVED and plan.approved_by_id == item.pk
    assert plan.over_capacity_reason == "Gevinsterne dækker overskridelsen."


def test_approving_within_capacity_needs_no_reason(scoped):
    t = scoped
    plan = plans.recommend(t.plan, _decision(t))
    plan = plans.approve(plan, _decision(t, title="Godkendelse"))
    assert plan.state == PlanState.APPROVED and plan.over_capacity_reason == ""


def test_states_go_in_order(scoped):
    t = scoped
    item = _decision(t)
    with pytest.raises(ValidationError, match="Only a recommended plan"):
        plans.approve(t.plan, item)
    plan = plans.recommend(t.plan, item)
    with pytest.raises(ValidationError, match="Only a draft"):
        plans.recommend(plan, item)
    with pytest.raises(ValidationError, match="already a draft"):
        plans.reopen(plans.reopen(plan, "Ny prioritering"), "igen")


def test_reopen_needs_a_reason_and_is_recorded_in_the_history(scoped):
    t = scoped
    plan = plans.approve(plans.recommend(t.plan, _decision(t)), _decision(t, title="Godkend"))
    before = _counts()
    with pytest.raises(ValidationError, match="reason"):
        plans.reopen(plan, "")
    with pytest.raises(ValidationError, match="100 characters"):
        plans.reopen(plan, "x" * 101)
    assert _counts() == before
    plan = plans.reopen(plan, "Budgettet blev skåret")
    assert plan.state == PlanState.DRAFT and plan.approved_by_id is None
    latest = plan.history.order_by("-history_id").first()
    assert latest.history_change_reason == "Budgettet blev skåret"
    assert latest.state == PlanState.DRAFT


def test_only_a_draft_is_changed(scoped):
    t = scoped
    plan = plans.recommend(t.plan, _decision(t))
    criterion = plan.criteria.first()
    before = _counts()
    with pytest.raises(ValidationError, match="locked"):
        plans.save_scores(plan, {(t.entry.pk, criterion.pk): 1})
    t.entry.plan = plan
    with pytest.raises(ValidationError, match="locked"):
        plans.set_rank(t.entry, 1, "Hastesag")
    assert _counts() == before


def test_every_write_of_the_pages_and_the_api_changes_only_a_draft(scoped):
    t = scoped
    plan = plans.recommend(t.plan, _decision(t))
    criterion = plan.criteria.first()
    entry = PlanEntry.objects.get(pk=t.entry.pk)
    before = _counts()
    writes = [
        lambda: plans.save_plan(plan),
        lambda: plans.save_criteria(plan, saved=[criterion]),
        lambda: plans.save_criteria(plan, deleted=[criterion]),
        lambda: plans.save_entry(PlanEntry(plan=plan, title="Ny")),
        lambda: plans.save_entry(entry),
        lambda: plans.delete_entry(entry),
    ]
    for write in writes:
        with pytest.raises(ValidationError, match="locked"):
            write()
    assert _counts() == before


def test_an_entry_is_added_last_and_its_title_comes_from_its_project(scoped):
    t = scoped
    with pytest.raises(ValidationError, match="Give the effort a title"):
        plans.entry_title("  ")
    assert plans.entry_title("", project=t.project) == t.project.name
    entry = plans.save_entry(PlanEntry(plan=t.plan, title=plans.entry_title("", t.project)))
    assert entry.position == plans.next_position(t.plan) - 1
    assert entry.municipality_id == t.plan.municipality_id
    with pytest.raises(ValidationError, match="from 1 to 2"):
        entry.rank_override, entry.rank_reason = 3, "Hastesag"
        plans.save_entry(entry, rank_set=True)


def test_criteria_are_saved_with_their_weights_checked(scoped):
    t = scoped
    before = _counts()
    count = t.plan.criteria.count()
    with pytest.raises(ValidationError, match="add up to zero"):
        plans.save_criteria(t.plan, deleted=list(t.plan.criteria.all()))
    assert _counts() == before
    new = Criterion(plan=t.plan, name="Borgernes behov", weight=5, position=9)
    plans.save_criteria(t.plan, saved=[new], deleted=[t.plan.criteria.first()])
    assert t.plan.criteria.count() == count and new.pk


def test_progress_is_followed_in_every_state(scoped):
    t = scoped
    plans.recommend(t.plan, _decision(t))
    entry = plans.update_progress(t.entry, Progress.AT_RISK, " Leverandøren er forsinket. ")
    entry.refresh_from_db()
    assert entry.progress == Progress.AT_RISK
    assert entry.progress_note == "Leverandøren er forsinket."
    assert entry.progress_updated_on is not None
    with pytest.raises(ValidationError):
        plans.update_progress(t.entry, "finished", "")
    with pytest.raises(ValidationError):
        plans.update_progress(
            t.entry, Progress.DONE, "", datetime.date.today() + datetime.timedelta(days=2)
        )


def test_who_may_follow_an_entry(scoped):
    t = scoped
    from core.models import Role

    assert has_perm(t.users[Role.SECRETARY], "planning.follow", t.entry)
    assert has_perm(t.users[Role.PROJECT_LEADER], "planning.follow", t.entry)  # the responsible
    assert not has_perm(t.users[Role.MEMBER], "planning.follow", t.entry)
    assert not has_perm(t.users[Role.READER], "planning.follow", t.entry)


def test_the_plan_takes_only_the_decision_of_the_body_the_mandate_names(scoped):
    """The 2027 plan was "recommended" with the Direktion's decision on the data-protection
    report: once a mandate names the body for a step, only that body's decision counts."""
    from organisation.models import PlanRole

    t = scoped
    steering_decision = _decision(t)  # of the steering group (t.body)
    other_decision = _decision(t, body=t.board, title="Databeskyttelsesrapport")
    factories.mandate(t.board, approved_by=t.body, plan_role=PlanRole.RECOMMENDS)
    before = _counts()
    with pytest.raises(ValidationError) as error:
        plans.recommend(t.plan, steering_decision)
    assert error.value.message_dict["recommended_by"] == [
        f"The mandate gives {t.board.name} the recommendation of the plan: choose its decision."
    ]
    assert _counts() == before
    # the form offers only that body's decisions
    offered = set(plans.decisions(t.users["administrator"], PlanRole.RECOMMENDS))
    assert other_decision in offered and steering_decision not in offered
    plan = plans.recommend(t.plan, other_decision)
    assert plan.recommended_by_id == other_decision.pk
    # no mandate names a body for the approval: any body's decision in approved minutes
    plan = plans.approve(plan, steering_decision, "Over kapaciteten (test).")
    assert plan.state == PlanState.APPROVED
