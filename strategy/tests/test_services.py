"""strategy.services: which strategy is current, and a project's links (the coverage is
portfolio's: portfolio/tests/test_coverage.py)."""

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from portfolio.models import Project
from strategy import services
from strategy.models import SDG, FocusArea, Goal, Strategy
from tests import factories


def _scoped(t):
    return scope(municipality=t.municipality.pk)


# --- Strategies --------------------------------------------------------------------------------


def test_the_current_strategy_comes_first_then_the_newest(t):
    with scopes_disabled():
        old = factories.strategy(t.municipality, "Strategi 2016", 2016, 2020)
        future = factories.strategy(t.municipality, "Strategi 2026", 2026, 2030)
        strategies = list(Strategy.objects.filter(municipality=t.municipality))
    # t.strategy runs 2021–2025
    assert services.ordered(strategies, 2023) == [t.strategy, future, old]
    assert services.current(strategies, 2023) == t.strategy
    assert services.ordered(strategies, 2027) == [future, t.strategy, old]
    # no strategy in force: the newest
    assert services.current(strategies, 2040) == future
    assert services.current([], 2023) is None


def test_a_title_with_its_years_says_them_once():
    programme = Strategy(title="Digitaliseringsprogram 2021–2025", start_year=2021, end_year=2025)
    assert programme.name_with_period == "Digitaliseringsprogram 2021–2025"
    assert str(Strategy(title="Programme 2021-2025", start_year=2021, end_year=2025)) == (
        "Programme 2021-2025"
    )
    plain = Strategy(title="Digitaliseringsstrategi", start_year=2021, end_year=2025)
    assert plain.name_with_period == "Digitaliseringsstrategi (2021–2025)"


def test_a_new_goal_goes_last(t):
    with scopes_disabled():
        t.goal.position = 4
        t.goal.save()
        assert services.next_goal_position(t.strategy) == 5
        empty = factories.strategy(t.municipality)
        assert services.next_goal_position(empty) == 0


def test_the_last_year_cannot_be_before_the_first(t):
    strategy = Strategy(municipality=t.municipality, title="X", start_year=2025, end_year=2021)
    with pytest.raises(ValidationError) as error:
        strategy.full_clean()
    assert "end_year" in error.value.error_dict


# --- Links -------------------------------------------------------------------------------------


def _project(t) -> Project:
    with scopes_disabled():
        return Project.objects.get(pk=t.project.pk)


def test_setting_the_links_writes_one_history_record(t):
    project = _project(t)
    with _scoped(t):
        goal = factories.goal(t.strategy, "Mobil og bredbånd")
        before = project.history.count()
        changed = services.set_links(
            project,
            goals=[goal],
            focus_areas=list(FocusArea.objects.filter(number__in=[3, 4])),
            sdgs=[],
        )
        assert changed
        assert project.history.count() == before + 1
        record = project.history.first()
        assert {row.goal_id for row in record.goals.all()} == {goal.pk}
        assert set(project.focus_areas.values_list("number", flat=True)) == {3, 4}
        assert not project.sdgs.exists()
        # the same links again: nothing changes, nothing is recorded
        assert not services.set_links(project, goals=[goal])
        assert project.history.count() == before + 1


def test_a_goal_of_another_municipality_is_refused_and_nothing_changes(t, other):
    project = _project(t)
    with _scoped(t):
        before = services.link_ids(project), project.history.count()
        with pytest.raises(ValidationError) as error:
            services.set_links(project, goals=[other.goal], sdgs=list(SDG.objects.all()))
        assert "goals" in error.value.error_dict
        assert (services.link_ids(project), project.history.count()) == before


def test_deleting_a_goal_records_the_lost_link_in_the_projects_history(t):
    project = _project(t)
    with _scoped(t):
        before = project.history.count()
        assert services.delete_goal(Goal.objects.get(pk=t.goal.pk)) == 1
        assert not Goal.objects.filter(pk=t.goal.pk).exists()
        assert not project.goals.exists()
        assert project.history.count() == before + 1
        assert not project.history.first().goals.exists()
