"""Strategy and proposals in the browser, with the keyboard: link a project to a goal and an
SDG, see it on the coverage page; report a proposal and make it a project; axe on every page
on the way."""

import pytest
from django_scopes import scopes_disabled

from core.models import Role
from planning.models import Proposal, ProposalStatus
from portfolio.models import Category, Phase, Project
from tests import factories
from tests.browser.conftest import tab_to

pytestmark = pytest.mark.browser


@pytest.fixture
def strategy(org):
    """A strategy in force with two goals and an active project that serves none of them."""
    with scopes_disabled():
        m = org.municipality
        strategy = factories.strategy(
            m, "Digitaliseringsprogram", 2000, 2999, vision="Borgere, der kan selv, skal selv."
        )
        goals = [
            factories.goal(strategy, "Borgerne betjener sig selv", number="1", position=0),
            factories.goal(strategy, "Mobil- og bredbåndsdækning", number="2", position=1),
        ]
        project = factories.project(
            m,
            "Ny hjemmeside",
            category=Category.LOCAL,
            phase=Phase.IMPLEMENTATION,
            body=org.steering,
        )
    return {"strategy": strategy, "goals": goals, "project": project}


def test_link_a_project_to_a_goal_and_an_sdg_and_see_the_coverage(
    page, org, strategy, login, visit, submit
):
    project, goals = strategy["project"], strategy["goals"]
    login(org.admin)

    # Before: the project serves no goal, and neither goal has a project.
    visit("/strategi/daekning/")
    assert "Ny hjemmeside" in page.locator("section[aria-labelledby=unserving]").inner_text()
    assert page.locator("section[aria-labelledby=uncovered] li").count() == 2
    assert page.locator("table.coverage-matrix caption").is_visible()

    # The project card's strategy section leads to the links.
    visit(f"/projekter/{project.pk}/")
    assert page.locator("#strategi").is_visible()
    tab_to(page, f"a[href='/projekter/{project.pk}/strategi/']")
    submit(lambda: page.keyboard.press("Enter"))

    with scopes_disabled():
        sdg9 = factories.sdg(9)
    goal_box = f"input[name=goals][value='{goals[0].pk}']"
    sdg_box = f"input[name=sdgs][value='{sdg9.pk}']"
    tab_to(page, goal_box)
    page.keyboard.press("Space")
    tab_to(page, sdg_box)
    page.keyboard.press("Space")
    assert page.locator(goal_box).is_checked() and page.locator(sdg_box).is_checked()
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))

    # Back on the card, which shows what the project serves.
    assert page.url.endswith(f"/projekter/{project.pk}/#strategi")
    section = page.locator("section[aria-labelledby=strategi]").inner_text()
    assert "Borgerne betjener sig selv" in section and "9." in section
    with scopes_disabled():
        saved = Project.objects.get(pk=project.pk)
        assert list(saved.goals.all()) == [goals[0]]
        assert list(saved.sdgs.all()) == [sdg9]

    # The coverage: one goal still without a project; the project serves a goal now.
    visit("/strategi/daekning/")
    uncovered = page.locator("section[aria-labelledby=uncovered]").inner_text()
    assert "Mobil- og bredbåndsdækning" in uncovered
    assert "Borgerne betjener sig selv" not in uncovered
    assert "Ny hjemmeside" not in page.locator("section[aria-labelledby=unserving]").inner_text()
    row = page.locator("table.coverage-matrix tbody tr").filter(has_text="Ny hjemmeside")
    assert row.locator("td.coverage-cell").first.inner_text().startswith("✓")

    # The history says what changed.
    visit(f"/projekter/{project.pk}/historik/")
    assert "Borgerne betjener sig selv" in page.locator("main table").inner_text()


def test_report_a_proposal_and_make_it_a_project(page, org, users, login, visit, submit):
    # A member reports the need.
    login(users[Role.MEMBER])
    visit("/forslag/")
    tab_to(page, "a[href='/forslag/nyt/']")
    submit(lambda: page.keyboard.press("Enter"))
    tab_to(page, "#id_title")
    page.keyboard.type("Digital opskrivning til dagtilbud")
    tab_to(page, "#id_description")
    page.keyboard.type("Forældre skriver børnene op på papir.")
    # Without a unit nothing is wrong; an amount typed the Danish way.
    tab_to(page, "#id_estimated_amount")
    page.keyboard.type("150.000")
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    with scopes_disabled():
        proposal = Proposal.objects.get(title="Digital opskrivning til dagtilbud")
    assert proposal.created_by == users[Role.MEMBER]
    assert page.url.endswith(f"/forslag/{proposal.pk}/")
    assert page.locator(f"a[href='/forslag/{proposal.pk}/projekt/']").count() == 0

    # The secretary, who runs planning, makes it a project.
    page.context.clear_cookies()
    login(org.secretary)
    visit(f"/forslag/{proposal.pk}/")
    tab_to(page, f"a[href='/forslag/{proposal.pk}/projekt/']")
    submit(lambda: page.keyboard.press("Enter"))
    assert page.locator("#id_name").input_value() == "Digital opskrivning til dagtilbud"
    # No category: the form says so and nothing is made.
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"), status=422)
    assert page.locator("#id_category_error").is_visible()
    tab_to(page, "#id_category")
    page.select_option("#id_category", Category.LOCAL)
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))

    with scopes_disabled():
        proposal.refresh_from_db()
        project = proposal.project
    assert proposal.status == ProposalStatus.PROJECT
    assert (project.phase, project.category) == (Phase.IDEA, Category.LOCAL)
    assert page.url.endswith(f"/projekter/{project.pk}/")
    assert "Digital opskrivning til dagtilbud" in page.locator("h1").inner_text()

    # The proposal says what it became, and offers no second conversion.
    visit(f"/forslag/{proposal.pk}/")
    assert page.locator(f"main a[href='/projekter/{project.pk}/']").count() >= 1
    assert page.locator(f"a[href='/forslag/{proposal.pk}/projekt/']").count() == 0


def test_every_strategy_and_proposal_page_passes_axe(page, org, strategy, login, visit, submit):
    """The pages the workflows above do not pass through, with data on them."""
    with scopes_disabled():
        m = org.municipality
        old = factories.strategy(
            m, "Digitaliseringsstrategi 2016–2020", 2016, 2020, approved_by="Kommunalbestyrelsen"
        )
        factories.goal(old, "Adgang til egne data", number="2")
        project = strategy["project"]
        project.goals.add(strategy["goals"][0])
        project.focus_areas.add(factories.focus_area(2))
        project.sdgs.add(factories.sdg(9))
        factories.project(m, "Gammelt ESDH", phase=Phase.CLOSED).goals.add(strategy["goals"][1])
        proposal = factories.proposal(
            m,
            "Droner",
            unit=org.units["digi"],
            contact=org.people["konsulent"],
            body=org.steering,
            expected_benefit="Ingen stilladser.",
            estimated_hours=150,
            estimated_amount=200_000,
        )
        factories.proposal(m, "Chatbot", status=ProposalStatus.REJECTED, status_note="Dyrt")
    s, goal = strategy["strategy"], strategy["goals"][0]
    login(org.admin)
    for path in (
        "/strategi/",
        f"/strategi/{s.pk}/",
        f"/strategi/{old.pk}/",
        "/strategi/ny/",
        f"/strategi/{s.pk}/rediger/",
        f"/strategi/{s.pk}/maal/ny/",
        f"/strategi/maal/{goal.pk}/rediger/",
        f"/strategi/maal/{goal.pk}/slet/",
        f"/strategi/daekning/?strategi={old.pk}",
        "/strategi/daekning/?strategi=nej",
        "/strategi/fokusomraader/",
        "/strategi/fokusomraader/2/",
        "/strategi/verdensmaal/",
        "/strategi/verdensmaal/9/",
        "/strategi/verdensmaal/17/",
        "/forslag/",
        "/forslag/?status=rejected&kilde=nej",
        f"/forslag/{proposal.pk}/",
        f"/forslag/{proposal.pk}/rediger/",
        f"/forslag/{proposal.pk}/status/",
        f"/historik/strategi/{s.pk}/",
        f"/historik/maal/{goal.pk}/",
        f"/historik/forslag/{proposal.pk}/",
    ):
        visit(path)
    # Forms with errors.
    visit(f"/strategi/{s.pk}/rediger/")
    page.fill("#id_end_year", "1999")
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"), status=422)
    assert page.locator("#id_end_year_error").is_visible()
    visit(f"/forslag/{proposal.pk}/status/")
    page.select_option("#id_status", ProposalStatus.REJECTED)
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"), status=422)
    assert page.locator("#id_status_note_error").is_visible()
