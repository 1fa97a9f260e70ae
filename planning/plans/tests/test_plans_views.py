"""The pages of the annual action plan: the list, the plan page, editing a draft (the plan,
criteria, entries, the scoring grid, ranks), the states with their decisions, locking,
progress, the documents and the history. Bad input gets a clear error and writes nothing."""

import datetime
import io
import re
import subprocess

import docx
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
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
from planning.plans import services as plans
from planning.plans.forms import cell_name
from tests import factories
from tests.once import once_per_module
from tests.world import CANARY_CLOSED, CANARY_OWN, build_tenant

pytestmark = [pytest.mark.usefixtures("english"), pytest.mark.history]


@once_per_module
def t():
    """The world, built in English like the pages these tests read: a new plan's default
    criteria are named in the language of the person who creates it."""
    with translation.override("en"):
        return build_tenant("Norddjurs Kommune", canary=CANARY_OWN)


def _url(name, *args):
    return reverse(f"planning:{name}", args=args)


def _login(client, t, role=Role.SECRETARY):
    client.force_login(t.users[role])
    return client


def _counts():
    """Rows and history records of the plan's models: a refused write changes neither."""
    with scopes_disabled():
        return {
            model.__name__: (model.objects.count(), model.history.count())
            for model in (AnnualPlan, Criterion, PlanEntry, Score)
        }


def _text(response) -> str:
    return response.content.decode()


def _decision(t, title="Indsatsplan – beslutning", closed=False, body=None):
    """An item with a decision in approved minutes of the world's steering group."""
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
            decision=f"Beslutning om planen {CANARY_CLOSED if closed else ''}".strip(),
            outcome=Outcome.TREATED,
        )
        Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.MINUTES_APPROVED)
        return item


def _state(t, state, recommended=None, approved=None):
    with scopes_disabled():
        AnnualPlan.objects.filter(pk=t.plan.pk).update(
            state=state, recommended_by=recommended, approved_by=approved
        )
        t.plan.refresh_from_db()


# --- The list and the plan page ------------------------------------------------------------------


def test_the_list_shows_each_plan_with_state_counts_and_capacity(client, t):
    with scopes_disabled():
        factories.plan_entry(
            t.plan, "Stor indsats", hours=1800, amount=100_000, progress=Progress.DONE
        )
    response = _login(client, t, Role.READER).get(_url("plan_list"))
    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert row["summary"]["entries"] == 2 and row["summary"]["done"] == 1
    assert row["capacity"].hours_over == 300
    text = _text(response)
    assert t.plan.title in text and "Draft" in text
    assert "Over capacity: 300" in text  # in words, not only a colour
    assert _url("plan_create") not in text  # a reader creates no plan


def test_the_plan_page_ranks_the_entries(client, t):
    with scopes_disabled():
        high = factories.plan_entry(t.plan, "Høj score", scores=[5, 5, 1, 1, 5, 5])
        partial = factories.plan_entry(t.plan, "Delvis scoret", scores=[5, 5])
        factories.plan_entry(
            t.plan,
            "Sat i hånden",
            scores=[1, 1, 5, 5, 1, 1],
            rank_override=1,
            rank_reason="Lovkrav fra 1. juli",
        )
    response = _login(client, t, Role.READER).get(_url("plan_detail", t.plan.pk))
    assert response.status_code == 200
    view = response.context["view"]
    assert [r.entry.title for r in view.ranked] == [
        "Sat i hånden",
        "Høj score",
        t.entry.title,
        "Delvis scoret",
    ]
    assert [r.rank for r in view.ranked] == [1, 2, 3, 4]
    text = _text(response)
    assert "Set by hand" in text and "Lovkrav fra 1. juli" in text and "Computed: 3." in text
    assert "Not fully scored" in text and "1 entry is not fully scored." in text
    assert high.pk and partial.pk
    assert "5,00" in text  # the weighted score of "Høj score", Danish
    assert "3,80" in text
    assert _url("plan_scores", t.plan.pk) not in text  # a reader edits nothing


def test_the_plan_page_shows_over_allocation_in_words(client, t):
    with scopes_disabled():
        factories.plan_entry(t.plan, "Stor indsats", hours=1600, amount=1_200_000)
    text = _text(_login(client, t, Role.READER).get(_url("plan_detail", t.plan.pk)))
    assert "Over-allocated" in text
    assert "Over capacity by 100 hours" in text
    assert "Over capacity by 100.000 kr." in text


def test_the_decisions_show_as_far_as_the_user_may_read_them(client, t):
    recommended = _decision(t, "Anbefaling af planen")
    approved = _decision(t, "Lukket godkendelse", closed=True)
    _state(t, PlanState.APPROVED, recommended, approved)
    reader = _text(_login(client, t, Role.READER).get(_url("plan_detail", t.plan.pk)))
    assert "Anbefaling af planen" in reader and "Beslutning om planen" in reader
    assert "a closed item" in reader
    assert "Lukket godkendelse" not in reader and CANARY_CLOSED not in reader
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    member = _text(_login(client, t, Role.MEMBER).get(_url("plan_detail", t.plan.pk)))
    assert "Lukket godkendelse" in member and CANARY_CLOSED in member
    for name in ("plan_pdf", "plan_docx"):  # the documents follow the same rule
        client.logout()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # logout clears the cookies
        response = _login(client, t, Role.READER).get(_url(name, t.plan.pk))
        content = response.content
        text = docx_text(content) if name == "plan_docx" else pdf_text(content)
        assert "Lukket" not in text and CANARY_CLOSED not in text and "closed" in text


# --- Creating and editing the plan ---------------------------------------------------------------


def test_a_new_plan_gets_the_default_criteria(client, t):
    response = _login(client, t).post(
        _url("plan_create"),
        {
            "year": "2026",
            "title": "",
            "capacity_hours": "5000",
            "capacity_amount": "2.500.000",
        },
    )
    with scopes_disabled():
        plan = AnnualPlan.objects.get(year=2026)
    assert response.status_code == 302 and response["Location"] == _url("plan_detail", plan.pk)
    assert plan.title == "Action plan 2026" and plan.capacity_amount == 2_500_000
    assert plan.state == PlanState.DRAFT
    with scopes_disabled():
        assert list(plan.criteria.order_by("position").values_list("weight", flat=True)) == [
            25,
            25,
            15,
            15,
            10,
            10,
        ]


def test_a_new_plan_may_copy_the_plan_before(client, t):
    response = _login(client, t).post(
        _url("plan_create"),
        {
            "year": "2026",
            "title": "Indsatsplan 2026",
            "capacity_hours": "0",
            "capacity_amount": "0",
            "copy_previous": "on",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        plan = AnnualPlan.objects.get(year=2026)
        assert plan.entries.get().title == t.entry.title
        assert plan.entries.get().scores.count() == 6


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"year": "2025"}, "year", "already has a plan for 2025"),
        ({"year": "2020", "copy_previous": "on"}, "copy_previous", "no plan before 2020"),
        ({"year": "2026", "capacity_amount": "1,2,3"}, "capacity_amount", "Enter a number"),
        ({"year": "2026", "capacity_hours": "-5"}, "capacity_hours", ""),
        ({"year": "1066"}, "year", ""),
    ],
)
def test_a_bad_new_plan_is_refused(client, t, data, field, message):
    before = _counts()
    payload = {"title": "", "capacity_hours": "0", "capacity_amount": "0", **data}
    response = _login(client, t).post(_url("plan_create"), payload)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert _counts() == before


def test_edit_the_plan(client, t):
    response = _login(client, t).post(
        _url("plan_edit", t.plan.pk),
        {
            "year": "2025",
            "title": "Indsatsplan 2025",
            "introduction": "Intro",
            "capacity_hours": "2500",
            "capacity_amount": "1.750.000,50",
        },
    )
    assert response.status_code == 302
    t.plan.refresh_from_db()
    assert t.plan.capacity_hours == 2500 and str(t.plan.capacity_amount) == "1750000.50"


# --- Criteria ------------------------------------------------------------------------------------


def _criteria_data(t, weights, extra=None):
    with scopes_disabled():
        criteria = list(t.plan.criteria.order_by("position", "pk"))
    data = {
        "kriterier-TOTAL_FORMS": str(len(criteria) + 2),
        "kriterier-INITIAL_FORMS": str(len(criteria)),
        "kriterier-MIN_NUM_FORMS": "0",
        "kriterier-MAX_NUM_FORMS": "30",
    }
    for i, (criterion, weight) in enumerate(zip(criteria, weights, strict=True)):
        data.update(
            {
                f"kriterier-{i}-id": str(criterion.pk),
                f"kriterier-{i}-plan": str(t.plan.pk),
                f"kriterier-{i}-name": criterion.name,
                f"kriterier-{i}-weight": str(weight),
                f"kriterier-{i}-position": str(criterion.position),
            }
        )
        if criterion.lower_is_better:
            data[f"kriterier-{i}-lower_is_better"] = "on"
    for row in (len(criteria), len(criteria) + 1):  # the empty rows as the page shows them
        data.update({f"kriterier-{row}-weight": "10", f"kriterier-{row}-position": "0"})
    for key, value in (extra or {}).items():
        data[f"kriterier-{len(criteria)}-{key}"] = value
    return data


def test_criteria_and_weights_are_saved_together(client, t):
    data = _criteria_data(
        t,
        [40, 20, 10, 10, 10, 10],
        extra={"name": "Borgernes behov", "weight": "5", "position": "9"},
    )
    response = _login(client, t).post(_url("plan_criteria", t.plan.pk), data)
    assert response.status_code == 302
    with scopes_disabled():
        weights = list(t.plan.criteria.order_by("position").values_list("weight", flat=True))
    assert weights == [40, 20, 10, 10, 10, 10, 5]


def test_weights_that_add_up_to_zero_are_refused(client, t):
    before = _counts()
    response = _login(client, t).post(_url("plan_criteria", t.plan.pk), _criteria_data(t, [0] * 6))
    assert response.status_code == 422
    assert "add up to zero" in _text(response) and "Nothing was saved" in _text(response)
    assert _counts() == before
    with scopes_disabled():
        assert sorted(t.plan.criteria.values_list("weight", flat=True)) == [10, 10, 15, 15, 25, 25]


def test_deleting_every_weighted_criterion_is_refused(client, t):
    data = _criteria_data(t, [25, 25, 15, 15, 10, 10])
    for i in range(6):
        data[f"kriterier-{i}-DELETE"] = "on"
    before = _counts()
    response = _login(client, t).post(_url("plan_criteria", t.plan.pk), data)
    assert response.status_code == 422
    assert _counts() == before


@pytest.mark.parametrize("weight", ["101", "-1", "x"])
def test_a_weight_outside_0_to_100_is_refused(client, t, weight):
    before = _counts()
    response = _login(client, t).post(
        _url("plan_criteria", t.plan.pk), _criteria_data(t, [weight, 25, 15, 15, 10, 10])
    )
    assert response.status_code == 422
    assert response.context["formset"].forms[0].errors["weight"]
    assert _counts() == before


# --- Entries -------------------------------------------------------------------------------------


def test_add_an_entry_from_a_project(client, t):
    response = _login(client, t).post(
        _url("entry_create", t.plan.pk),
        {
            "project": str(t.project.pk),
            "title": "",
            "hours": "",
            "amount": "250.000",
            "responsible": str(t.person.pk),
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        entry = t.plan.entries.order_by("-pk").first()
    assert entry.title == t.project.name and entry.amount == 250_000 and entry.hours == 0
    assert entry.position == 1


def test_add_an_entry_from_a_proposal_takes_its_estimates(client, t):
    with scopes_disabled():
        t.proposal.estimated_hours, t.proposal.estimated_amount = 120, 80_000
        t.proposal.save()
    response = _login(client, t).post(
        _url("entry_create", t.plan.pk),
        {
            "proposal": str(t.proposal.pk),
            "title": "",
            "hours": "",
            "amount": "",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        entry = t.plan.entries.order_by("-pk").first()
    assert (entry.title, entry.hours, entry.amount) == (t.proposal.title, 120, 80_000)


def test_an_entry_in_free_text_needs_a_title(client, t):
    before = _counts()
    response = _login(client, t).post(_url("entry_create", t.plan.pk), {"title": " "})
    assert response.status_code == 422
    assert "Give the effort a title" in " ".join(response.context["form"].errors["title"])
    assert _counts() == before
    response = client.post(
        _url("entry_create", t.plan.pk),
        {"title": "Digitale kompetencer", "hours": "300", "amount": "0"},
    )
    assert response.status_code == 302


def test_an_entry_of_another_municipality_is_not_offered(client, t, other):
    before = _counts()
    response = _login(client, t).post(
        _url("entry_create", t.plan.pk),
        {
            "title": "X",
            "project": str(other.project.pk),
        },
    )
    assert response.status_code == 422 and "project" in response.context["form"].errors
    assert _counts() == before
    assert client.get(_url("entry_edit", other.entry.pk)).status_code == 404


def test_edit_and_remove_an_entry(client, t):
    response = _login(client, t).post(
        _url("entry_edit", t.entry.pk),
        {
            "title": "Ny titel",
            "hours": "750",
            "amount": "1.250.000",
            "project": str(t.project.pk),
        },
    )
    assert response.status_code == 302
    t.entry.refresh_from_db()
    assert (t.entry.title, t.entry.hours, t.entry.amount) == ("Ny titel", 750, 1_250_000)
    assert client.get(_url("entry_delete", t.entry.pk)).status_code == 200
    response = client.post(_url("entry_delete", t.entry.pk))
    assert response.status_code == 302
    with scopes_disabled():
        assert not PlanEntry.objects.filter(pk=t.entry.pk).exists()
        assert not Score.objects.filter(entry_id=t.entry.pk).exists()


# --- The scoring grid ----------------------------------------------------------------------------


def _grid(t, values: dict) -> dict:
    with scopes_disabled():
        criteria = list(t.plan.criteria.order_by("position", "pk"))
    return {cell_name(entry.pk, criteria[i].pk): str(v) for (entry, i), v in values.items()}


def test_the_grid_saves_every_score_in_one_go(client, t):
    with scopes_disabled():
        new = factories.plan_entry(t.plan, "Ny indsats")
    data = _grid(t, {(new, i): 5 for i in range(6)} | {(t.entry, 0): 1})
    response = _login(client, t).post(_url("plan_scores", t.plan.pk), data)
    assert response.status_code == 302
    assert response["Location"].endswith("#rangfolge")
    with scopes_disabled():
        assert new.scores.count() == 6
        view = plans.plan_view(t.plan)
    assert [r.entry.pk for r in view.ranked] == [new.pk, t.entry.pk]


def test_the_grid_form_shows_every_entry_and_criterion(client, t):
    response = _login(client, t).get(_url("plan_scores", t.plan.pk))
    text = _text(response)
    assert text.count('class="form-select plan-score"') == 6
    assert f"Score of “{t.entry.title}” on “" in text
    assert "selected>5</option>" in text


@pytest.mark.parametrize("bad", ["7", "0", "x", "2.5"])
def test_a_score_outside_1_to_5_names_the_entry_and_criterion(client, t, bad):
    with scopes_disabled():
        criterion = t.plan.criteria.order_by("position").last()
    before = _counts()
    data = _grid(t, {(t.entry, 0): 1, (t.entry, 5): bad})
    response = _login(client, t).post(_url("plan_scores", t.plan.pk), data)
    assert response.status_code == 422
    text = _text(response)
    assert "Nothing was saved" in text
    assert (
        f"The score of “{t.entry.title}” on “{criterion.name}” must be a whole number from "
        "1 to 5." in text
    )
    # The cell itself: marked, its message tied to the select, the tampered value not shown.
    name = f"score-{t.entry.pk}-{criterion.pk}"
    assert f'<td class="form-error"><span class="form-error-message" id="id_{name}_error">' in text
    select = re.search(rf'<select name="{name}"[^>]*>', text).group(0)
    assert 'aria-invalid="true"' in select and f'id="id_{name}"' in select
    assert text.count(" selected>") == 6  # every cell shows one value: "–" for the bad one
    assert _counts() == before


def test_with_htmx_the_grid_and_the_ranks_are_swapped_in_place(client, t):
    with scopes_disabled():
        new = factories.plan_entry(t.plan, "Ny indsats")
    data = _grid(t, {(new, i): v for i, v in enumerate([5, 5, 1, 1, 5, 5])})
    response = _login(client, t).post(_url("plan_scores", t.plan.pk), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = _text(response)
    assert text.count('id="plan-scores"') == 1 and "<html" not in text
    assert "The scores were saved (6 changed)" in text
    rows = {r.entry.pk: r for r in response.context["view"].ranked}
    assert rows[new.pk].rank == 1 and rows[t.entry.pk].rank == 2
    bad = client.post(
        _url("plan_scores", t.plan.pk), _grid(t, {(new, 0): "9"}), HTTP_HX_REQUEST="true"
    )
    assert bad.status_code == 200 and "must be a whole number from 1 to 5" in _text(bad)


# --- Ranks set by hand ---------------------------------------------------------------------------


def test_a_rank_set_by_hand_needs_a_reason(client, t):
    with scopes_disabled():
        factories.plan_entry(t.plan, "Anden", scores=[5, 5, 1, 1, 5, 5])
    before = _counts()
    response = _login(client, t).post(
        _url("entry_rank", t.entry.pk), {"rank_override": "1", "rank_reason": ""}
    )
    assert response.status_code == 422
    assert "Give the reason" in " ".join(response.context["form"].errors["rank_reason"])
    response = client.post(
        _url("entry_rank", t.entry.pk), {"rank_override": "3", "rank_reason": "Hastesag"}
    )
    assert response.status_code == 422
    assert "from 1 to 2" in " ".join(response.context["form"].errors["rank_override"])
    assert _counts() == before
    response = client.post(
        _url("entry_rank", t.entry.pk), {"rank_override": "1", "rank_reason": "Lovkrav"}
    )
    assert response.status_code == 302
    view = client.get(_url("plan_detail", t.plan.pk)).context["view"]
    assert view.ranked[0].entry.pk == t.entry.pk and view.ranked[0].computed_rank == 2


# --- States --------------------------------------------------------------------------------------


def test_recommend_and_approve_with_linked_decisions(client, t):
    recommended, approved = _decision(t, "Anbefaling"), _decision(t, "Godkendelse")
    _login(client, t)
    page = client.get(_url("plan_recommend", t.plan.pk))
    assert page.status_code == 200 and "Anbefaling" in _text(page)
    response = client.post(_url("plan_recommend", t.plan.pk), {"decision": str(recommended.pk)})
    assert response.status_code == 302
    t.plan.refresh_from_db()
    assert (t.plan.state, t.plan.recommended_by_id) == (PlanState.RECOMMENDED, recommended.pk)
    response = client.post(_url("plan_approve", t.plan.pk), {"decision": str(approved.pk)})
    assert response.status_code == 302
    t.plan.refresh_from_db()
    assert (t.plan.state, t.plan.approved_by_id) == (PlanState.APPROVED, approved.pk)
    text = _text(client.get(_url("plan_detail", t.plan.pk)))
    assert "Approved by the steering group" in text and "Godkendelse" in text


def test_approving_without_a_linked_decision_is_refused(client, t):
    _state(t, PlanState.RECOMMENDED, _decision(t))
    before = _counts()
    response = _login(client, t).post(_url("plan_approve", t.plan.pk), {"decision": ""})
    assert response.status_code == 422
    assert "A plan is approved by a decision" in _text(response)
    assert _counts() == before


def test_a_decision_the_user_may_not_read_is_refused(client, t):
    """The reader of another body's closed item gets the same answer as for no decision."""
    with scopes_disabled():
        secret_body = factories.body(t.municipality, "Hemmelig gruppe")
    item = _decision(t, "Lukket punkt", closed=True, body=secret_body)
    _state(t, PlanState.RECOMMENDED, _decision(t))
    before = _counts()
    response = _login(client, t).post(_url("plan_approve", t.plan.pk), {"decision": str(item.pk)})
    assert response.status_code == 422 and "Lukket punkt" not in _text(response)
    assert _counts() == before


def test_approving_over_capacity_needs_a_reason(client, t):
    with scopes_disabled():
        factories.plan_entry(t.plan, "Stor indsats", hours=2000)
    _state(t, PlanState.RECOMMENDED, _decision(t))
    item = _decision(t, "Godkendelse")
    before = _counts()
    response = _login(client, t).post(
        _url("plan_approve", t.plan.pk), {"decision": str(item.pk), "over_capacity_reason": ""}
    )
    assert response.status_code == 422
    errors = response.context["form"].errors["over_capacity_reason"]
    assert "500 hours more than the capacity" in " ".join(errors)
    assert _counts() == before
    response = client.post(
        _url("plan_approve", t.plan.pk),
        {
            "decision": str(item.pk),
            "over_capacity_reason": "Konsulenter dækker timerne.",
        },
    )
    assert response.status_code == 302
    t.plan.refresh_from_db()
    assert t.plan.state == PlanState.APPROVED
    assert t.plan.over_capacity_reason == "Konsulenter dækker timerne."


def test_a_step_out_of_order_is_refused(client, t):
    before = _counts()
    _login(client, t)
    page = client.get(_url("plan_approve", t.plan.pk))
    assert "Only a recommended plan can be approved" in _text(page)
    response = client.post(_url("plan_approve", t.plan.pk), {"decision": str(_decision(t).pk)})
    assert response.status_code == 422
    response = client.post(_url("plan_reopen", t.plan.pk), {"reason": "Igen"})
    assert response.status_code == 422 and "already a draft" in _text(response)
    assert _counts()["AnnualPlan"] == before["AnnualPlan"]


def test_an_approved_plan_is_locked_but_its_progress_is_followed(client, t):
    _state(t, PlanState.APPROVED, _decision(t), _decision(t, "Godkendelse"))
    before = _counts()
    _login(client, t)
    with scopes_disabled():
        criterion = t.plan.criteria.first()
    attempts = [
        (_url("plan_scores", t.plan.pk), {cell_name(t.entry.pk, criterion.pk): "1"}),
        (_url("plan_criteria", t.plan.pk), _criteria_data(t, [1, 1, 1, 1, 1, 1])),
        (_url("entry_create", t.plan.pk), {"title": "Ny"}),
        (_url("entry_edit", t.entry.pk), {"title": "Ny", "hours": "1", "amount": "1"}),
        (_url("entry_delete", t.entry.pk), {}),
        (_url("entry_rank", t.entry.pk), {"rank_override": "1", "rank_reason": "x"}),
        (
            _url("plan_edit", t.plan.pk),
            {"year": "2025", "title": "X", "capacity_hours": "1", "capacity_amount": "1"},
        ),
    ]
    for url, data in attempts:
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"] == _url("plan_detail", t.plan.pk)
        assert client.get(url).status_code == 302
    assert _counts() == before
    page = _text(client.get(_url("plan_detail", t.plan.pk)))
    assert "locked" in page and _url("plan_scores", t.plan.pk) not in page
    # Said once, by the page, not again by a message of the refused attempts.
    assert page.count("no longer a draft") == 1
    response = client.post(
        _url("entry_progress", t.entry.pk),
        {
            "progress": Progress.ON_TRACK,
            "progress_note": "Godt på vej",
            "progress_updated_on": datetime.date.today().isoformat(),
        },
    )
    assert response.status_code == 302
    t.entry.refresh_from_db()
    assert t.entry.progress == Progress.ON_TRACK and t.entry.progress_note == "Godt på vej"


def test_reopen_with_a_reason_makes_the_plan_a_draft_again(client, t):
    _state(t, PlanState.APPROVED, _decision(t), _decision(t, "Godkendelse"))
    before = _counts()
    response = _login(client, t).post(_url("plan_reopen", t.plan.pk), {"reason": ""})
    assert response.status_code == 422 and _counts() == before
    response = client.post(_url("plan_reopen", t.plan.pk), {"reason": "Budgettet blev skåret"})
    assert response.status_code == 302
    t.plan.refresh_from_db()
    assert t.plan.state == PlanState.DRAFT and t.plan.approved_by_id is None
    history = _text(client.get(_url("plan_history", t.plan.pk)))
    assert "Reason: Budgettet blev skåret" in history
    assert client.get(_url("plan_scores", t.plan.pk)).status_code == 200


def test_only_those_who_run_the_plans_change_states(client, t):
    for role in (Role.MEMBER, Role.PROJECT_LEADER, Role.READER):
        client.force_login(t.users[role])
        for name in ("plan_recommend", "plan_approve", "plan_reopen", "plan_scores"):
            assert client.post(_url(name, t.plan.pk), {}).status_code == 403


# --- Progress ------------------------------------------------------------------------------------


def test_the_responsible_person_records_progress(client, t):
    _state(t, PlanState.APPROVED, _decision(t), _decision(t, "Godkendelse"))
    _login(client, t, Role.PROJECT_LEADER)  # the entry's responsible person
    page = client.get(_url("plan_detail", t.plan.pk))
    assert _url("entry_progress", t.entry.pk) in _text(page)
    response = client.post(
        _url("entry_progress", t.entry.pk),
        {
            "progress": Progress.AT_RISK,
            "progress_note": "Leverandøren er forsinket",
            "progress_updated_on": datetime.date.today().isoformat(),
        },
    )
    assert response.status_code == 302
    page = client.get(_url("plan_detail", t.plan.pk))
    counts = {p["value"]: p["count"] for p in page.context["view"].progress}
    assert counts[Progress.AT_RISK] == 1 and counts[Progress.NOT_STARTED] == 0
    assert "Leverandøren er forsinket" in _text(page)


def test_others_may_not_record_progress(client, t):
    before = _counts()
    _login(client, t, Role.MEMBER)
    assert client.get(_url("entry_progress", t.entry.pk)).status_code == 403
    assert (
        client.post(_url("entry_progress", t.entry.pk), {"progress": Progress.DONE}).status_code
        == 403
    )
    assert _url("entry_progress", t.entry.pk) not in _text(
        client.get(_url("plan_detail", t.plan.pk))
    )
    assert _counts() == before


@pytest.mark.parametrize(
    "data",
    [
        {"progress": "finished"},
        {"progress": Progress.DONE, "progress_updated_on": "2999-01-01"},
        {"progress": Progress.DONE, "progress_updated_on": ""},
    ],
)
def test_bad_progress_is_refused(client, t, data):
    before = _counts()
    response = _login(client, t).post(_url("entry_progress", t.entry.pk), data)
    assert response.status_code == 422
    assert _counts() == before


# --- Documents and history -----------------------------------------------------------------------


def flat(text: str) -> str:
    return "".join(text.split())


def pdf_text(content: bytes, tmp_path=None) -> str:
    import tempfile
    from pathlib import Path

    assert content.startswith(b"%PDF")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.pdf"
        path.write_bytes(content)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    return flat(text)


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return flat("\n".join(parts))


def _document_facts(t):
    with scopes_disabled():
        factories.plan_entry(
            t.plan,
            "Sat i hånden",
            scores=[1, 1, 5, 5, 1, 1],
            hours=1600,
            rank_override=1,
            rank_reason="Lovkrav",
        )
        factories.plan_entry(t.plan, "Uden score")
    _state(t, PlanState.RECOMMENDED, _decision(t, "Anbefaling af planen"))


@pytest.mark.documents
@pytest.mark.parametrize("name", ["plan_pdf", "plan_docx"])
def test_the_plan_as_a_document(client, t, name):
    _document_facts(t)
    response = _login(client, t, Role.READER).get(_url(name, t.plan.pk))
    assert response.status_code == 200
    extension = name.split("_")[1]
    assert f'filename="indsatsplan-2025.{extension}"' in response["Content-Disposition"]
    text = pdf_text(response.content) if extension == "pdf" else docx_text(response.content)
    for expected in (
        t.plan.title,
        "2025",
        "Recommendedbytheprogrammegroup",
        "Anbefalingafplanen",
        "Beslutningomplanen",
        "Criteriaandweights",
        "Strategicfit",
        "25",
        "Satihånden",
        "setbyhand",
        "Lovkrav",
        "notfullyscored",
        "3,80",
        "Capacity",
        "2.100",
        "Notstarted",
        "Udenscore",
    ):
        assert flat(expected) in text, (expected, text)
    # the ranked table is in rank order
    assert text.index("Satihånden") < text.index("3,80") < text.index("Udenscore")


def test_the_history_lists_who_changed_what(client, t):
    _login(client, t)
    client.post(_url("entry_rank", t.entry.pk), {"rank_override": "1", "rank_reason": "Lovkrav"})
    with scopes_disabled():
        criterion = t.plan.criteria.order_by("position").first()
    client.post(_url("plan_scores", t.plan.pk), {cell_name(t.entry.pk, criterion.pk): "2"})
    response = _login(client, t, Role.READER).get(_url("plan_history", t.plan.pk))
    assert response.status_code == 200
    text = _text(response)
    assert "Rank set by hand" in text and "Lovkrav" in text
    assert f"Score: {t.entry.title}, {criterion.name}" in text and "5 → 2" in text
    who = t.users[Role.SECRETARY]
    assert (who.get_full_name() or who.username) in text


def test_another_municipality_sees_nothing_of_the_plan(client, t, other):
    client.force_login(other.users[Role.ADMINISTRATOR])
    for name in ("plan_detail", "plan_scores", "plan_pdf", "plan_history", "plan_approve"):
        assert client.get(_url(name, t.plan.pk)).status_code == 404
    for name in ("entry_edit", "entry_rank", "entry_progress"):
        assert client.get(_url(name, t.entry.pk)).status_code == 404
    assert CANARY_OWN not in _text(client.get(_url("plan_list")))


def test_the_plan_page_costs_the_same_queries_however_many_entries(client, t):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _login(client, t)

    def count(name):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url(name, t.plan.pk)).status_code == 200
        return len(captured)

    small = {name: count(name) for name in ("plan_detail", "plan_scores", "plan_history")}
    with scopes_disabled(), scope(municipality=t.municipality.pk):
        for i in range(8):
            factories.plan_entry(
                t.plan,
                f"Indsats {i}",
                scores=[1 + i % 5] * 6,
                proposal=t.proposal,
                unit=t.unit,
                responsible=t.person,
            )
    large = {name: count(name) for name in small}
    assert small == large
