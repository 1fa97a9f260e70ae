"""The annual action plan with the keyboard only: the secretary scores the plan in the grid
(htmx recomputes the ranks), sets a rank by hand with its reason, and takes the plan through
its states with the programme group's and the steering group's decisions; over capacity needs
a reason (axe on every page and after every swap)."""

import datetime

import pytest
from django_scopes import scopes_disabled

from meetings.models import MeetingState, Outcome
from planning.models import AnnualPlan, PlanState
from tests import factories
from tests.browser.conftest import tab_to

pytestmark = pytest.mark.browser


def _decision(body, day, title, decision):
    meeting = factories.meeting(body, day, state=MeetingState.HELD)
    item = factories.item(
        meeting, title, kind="decision", decision=decision, outcome=Outcome.TREATED
    )
    meeting.state = MeetingState.MINUTES_APPROVED
    meeting.save()
    return item


@pytest.fixture
def plan(org):
    """A draft plan for 2026 with the default criteria and three entries: one scored, two
    not; more hours allocated than available. The programme group recommended it on
    18-11-2025 and the steering group approved it on 02-12-2025."""
    with scopes_disabled():
        programme = factories.body(
            org.municipality,
            "Programgruppen for digitalisering",
            parent=org.steering,
            cross_cutting=True,
        )
        recommended = _decision(
            programme,
            datetime.date(2025, 11, 18),
            "Indsatsplan 2026 – anbefaling",
            "Programgruppen anbefaler indsatsplanen.",
        )
        approved = _decision(
            org.steering,
            datetime.date(2025, 12, 2),
            "Indsatsplan 2026 – godkendelse",
            "Indsatsplanen blev godkendt.",
        )
        plan = factories.annual_plan(
            org.municipality,
            2026,
            title="Indsatsplan 2026",
            capacity_hours=1000,
            capacity_amount=1_000_000,
        )
        factories.plan_entry(
            plan,
            "Nyt intranet",
            scores=[3, 3, 3, 3, 3, 3],
            hours=600,
            amount=400_000,
            responsible=org.people["konsulent"],
        )
        factories.plan_entry(plan, "Digitale kompetencer", hours=300, amount=100_000)
        factories.plan_entry(
            plan, "Retningslinjer for kunstig intelligens", hours=200, amount=50_000
        )
    plan.recommended_item, plan.approved_item = recommended, approved
    return plan


def _score_row(page, entry, values):
    """Tab to each select of the entry's row and type the digit: the select takes it."""
    criteria = list(entry.plan.criteria.order_by("position", "pk"))
    for criterion, value in zip(criteria, values, strict=True):
        selector = f"#id_score-{entry.pk}-{criterion.pk}"
        tab_to(page, selector)
        page.keyboard.type(str(value))
        assert page.locator(selector).input_value() == str(value)


def test_score_rank_recommend_and_approve_a_plan(page, org, plan, login, visit, submit, htmx_swap):
    login(org.secretary)
    visit("/indsatsplaner/")
    tab_to(page, f"main a[href='/indsatsplaner/{plan.pk}/']")
    submit(lambda: page.keyboard.press("Enter"))
    assert page.locator(".plan-ranking tbody tr").count() == 3
    assert page.locator(".plan-ranking .badge-warning").count() == 2  # not fully scored

    # The scoring grid: every entry × criterion, typed with the keyboard, saved with htmx.
    tab_to(page, f"main a[href='/indsatsplaner/{plan.pk}/scoring/']")
    submit(lambda: page.keyboard.press("Enter"))
    with scopes_disabled():
        entries = {e.title: e for e in plan.entries.select_related("plan")}
        _score_row(page, entries["Digitale kompetencer"], [5, 5, 1, 1, 5, 5])
        _score_row(page, entries["Retningslinjer for kunstig intelligens"], [2, 2, 4, 4, 2, 2])
    tab_to(page, "#plan-scores button[type=submit]")
    htmx_swap(lambda: page.keyboard.press("Enter"))
    ranks = page.locator("#plan-scores tbody tr")
    assert ranks.nth(1).locator(".plan-live-rank").inner_text().strip() == "1"
    assert ranks.nth(0).locator(".plan-live-rank").inner_text().strip() == "2"
    assert ranks.nth(2).locator(".plan-live-rank").inner_text().strip() == "3"
    assert page.locator("#plan-scores .badge-warning").count() == 0
    assert page.locator("#messages .alert-success").count() == 1
    with scopes_disabled():
        assert entries["Digitale kompetencer"].scores.count() == 6

    # A tampered score is refused with the entry and the criterion named; nothing saved.
    first = entries["Digitale kompetencer"]
    with scopes_disabled():
        criterion = plan.criteria.order_by("position").first()
    page.evaluate(
        """(id) => { const s = document.getElementById(id);
                     s.add(new Option("9", "9")); s.value = "9"; }""",
        f"id_score-{first.pk}-{criterion.pk}",
    )
    tab_to(page, "#plan-scores button[type=submit]")
    htmx_swap(lambda: page.keyboard.press("Enter"))
    assert page.locator("#plan-scores .alert-error").is_visible()
    assert "Digitale kompetencer" in page.locator("#plan-scores .alert-error").inner_text()
    with scopes_disabled():
        assert sorted(first.scores.values_list("value", flat=True)) == [1, 1, 5, 5, 5, 5]

    # A rank set by hand needs a reason.
    visit(f"/indsatsplaner/{plan.pk}/")
    ai = entries["Retningslinjer for kunstig intelligens"]
    tab_to(page, f"main a[href='/indsatsplaner/indsatser/{ai.pk}/rang/']")
    submit(lambda: page.keyboard.press("Enter"))
    tab_to(page, "#id_rank_override")
    page.keyboard.type("1")
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"), status=422)
    assert page.locator("#id_rank_reason_error").is_visible()
    tab_to(page, "#id_rank_reason")
    page.keyboard.type("EU's forordning om kunstig intelligens kræver retningslinjer først.")
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    first_row = page.locator(".plan-ranking tbody tr").first
    assert "Retningslinjer for kunstig intelligens" in first_row.inner_text()
    assert first_row.locator(".badge-info").count() == 1
    assert "EU's forordning" in first_row.inner_text()

    # Recommend, pointing to the programme group's decision.
    tab_to(page, f"main a[href='/indsatsplaner/{plan.pk}/anbefal/']")
    submit(lambda: page.keyboard.press("Enter"))
    tab_to(page, "#id_decision")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # the newest first: the steering group's, then this one
    assert page.locator("#id_decision").input_value() == str(plan.recommended_item.pk)
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    with scopes_disabled():
        plan.refresh_from_db()
    assert plan.state == PlanState.RECOMMENDED
    assert plan.recommended_by_id == plan.recommended_item.pk
    assert page.locator(f"main a[href$='#item-{plan.recommended_item.pk}']").count() == 1

    # Approve: without a decision, refused; over capacity without a reason, refused.
    tab_to(page, f"main a[href='/indsatsplaner/{plan.pk}/godkend/']")
    submit(lambda: page.keyboard.press("Enter"))
    assert page.locator(".plan-capacity .plan-over-text").count() == 1
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"), status=422)
    assert page.locator("#id_decision_error").is_visible()
    tab_to(page, "#id_decision")
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_decision").input_value() == str(plan.approved_item.pk)
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"), status=422)
    assert page.locator("#id_over_capacity_reason_error").is_visible()
    with scopes_disabled():
        assert AnnualPlan.objects.get(pk=plan.pk).state == PlanState.RECOMMENDED
    tab_to(page, "#id_over_capacity_reason")
    page.keyboard.type("Konsulenter dækker de 100 timer (aftale med Økonomi).")
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    with scopes_disabled():
        plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED and plan.approved_by_id == plan.approved_item.pk
    assert plan.over_capacity_reason.startswith("Konsulenter dækker")
    assert page.locator("main .plan-steps [aria-current=step]").count() == 1
    assert page.locator(f"main a[href='/indsatsplaner/{plan.pk}/scoring/']").count() == 0


def test_the_other_plan_pages_pass_axe(page, org, plan, login, visit, submit):
    """A new plan, the criteria (with the zero-weights error), an entry, its removal, its
    progress, the history and the state pages of a draft."""
    login(org.secretary)
    visit("/indsatsplaner/ny/")
    tab_to(page, "#id_year")
    page.keyboard.press("Control+A")
    page.keyboard.type("2027")
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    with scopes_disabled():
        new = AnnualPlan.objects.get(year=2027)
        assert new.criteria.count() == 6

    visit(f"/indsatsplaner/{plan.pk}/kriterier/")
    for i in range(6):
        page.fill(f"#id_kriterier-{i}-weight", "0")
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"), status=422)
    assert page.locator("main .alert-error").is_visible()
    with scopes_disabled():
        assert sorted(plan.criteria.values_list("weight", flat=True)) == [10, 10, 15, 15, 25, 25]

    visit(f"/indsatsplaner/{plan.pk}/indsatser/ny/")
    with scopes_disabled():
        entry = plan.entries.order_by("position").first()
    visit(f"/indsatsplaner/indsatser/{entry.pk}/rediger/")
    visit(f"/indsatsplaner/indsatser/{entry.pk}/slet/")
    visit(f"/indsatsplaner/indsatser/{entry.pk}/fremdrift/")
    tab_to(page, "#id_progress")
    page.keyboard.press("ArrowDown")
    tab_to(page, "#id_progress_note")
    page.keyboard.type("Godt i gang.")
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    visit(f"/indsatsplaner/{plan.pk}/historik/")
    assert page.locator("main table tbody tr").count() > 1
    visit(f"/indsatsplaner/{plan.pk}/godkend/")
    visit(f"/indsatsplaner/{plan.pk}/genaabn/")
