"""Strategies with their goals as an Excel sheet (the strategy list's export and a kind of the
full export of a municipality, `documents.exports`), and the strategy documents' files."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy

from documents import exports
from documents.xlsx import XlsxExporter
from strategy import services
from strategy.models import Goal, Strategy


def strategies_with_goals(strategies, year: int) -> list[Strategy]:
    """The strategies in the list's order (those in force first), with their goals."""
    goals = Prefetch("goals", queryset=Goal.objects.order_by("position", "pk"))
    return services.ordered(strategies.prefetch_related(goals).order_by(), year)


class StrategyExport(XlsxExporter):
    """One row per goal, the strategy's columns repeated; a strategy without goals has one
    row of its own."""

    sheet_title = gettext_lazy("Strategies")
    columns = (
        gettext_lazy("Strategy"),
        gettext_lazy("Period"),
        gettext_lazy("Approved by"),
        gettext_lazy("Approved on"),
        gettext_lazy("Vision"),
        gettext_lazy("Goal number"),
        gettext_lazy("Goal"),
        gettext_lazy("Description"),
    )

    def __init__(self, strategies: list[Strategy]):
        self.strategies = strategies

    def rows(self):
        for strategy in self.strategies:
            head = (
                strategy.title,
                strategy.period,
                strategy.approved_by,
                strategy.approved_on,
                strategy.vision,
            )
            goals = list(strategy.goals.all())
            if not goals:
                yield (*head, "", "", "")
            for goal in goals:
                yield (*head, goal.number, goal.title, goal.description)


@exports.register("strategier", position=35)
def _all_strategies(municipality):
    strategies = Strategy.objects.filter(municipality=municipality)
    return StrategyExport(strategies_with_goals(strategies, timezone.localdate().year))


@exports.files
def _strategy_documents(municipality):
    """Each strategy's uploaded document, in the folder "strategier"."""
    strategies = Strategy.objects.filter(municipality=municipality).exclude(document="")
    for strategy in strategies.order_by("start_year", "pk"):
        yield exports.File(folder="strategier", name=strategy.title, source=strategy.document)
