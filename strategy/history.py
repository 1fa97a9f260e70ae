"""Strategy's kinds of the one history page (`core.history`): strategies with their goals
(deleted goals too), and each goal by itself, read by everyone in the municipality."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from core import history
from strategy.models import Goal, Strategy


def _goals(strategy: Strategy) -> list[history.Part]:
    def label(record, names) -> str:
        return _("Goal: %(goal)s") % {"goal": f"{record.number} {record.title}".strip()}

    return [history.Part(Goal, Goal.history.filter(strategy_id=strategy.pk), label, ("strategy",))]


history.register(
    "strategi",
    history.Kind(
        Strategy,
        lookup=lambda pk: get_object_or_404(Strategy, pk=pk),
        url=lambda strategy: reverse("strategy:strategy_detail", args=[strategy.pk]),
        parts=_goals,
    ),
)
history.register(
    "maal",
    history.Kind(
        Goal,
        lookup=lambda pk: get_object_or_404(Goal.objects.select_related("strategy"), pk=pk),
        url=lambda goal: reverse("strategy:strategy_detail", args=[goal.strategy_id]),
    ),
)
