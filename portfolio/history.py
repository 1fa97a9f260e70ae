"""The portfolio's kinds of the one history page (`core.history`): risks, of a project or
of the whole portfolio, read by everyone in the municipality (the risk register is open)."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from core import history
from portfolio.models import Risk


def _home(risk: Risk) -> str:
    """The page the risk lives on: its project's card, or the register."""
    if risk.project_id:
        return reverse("portfolio:project_detail", args=[risk.project_id]) + "#risici"
    return reverse("portfolio:risk_list")


history.register(
    "risiko",
    history.Kind(Risk, lookup=lambda pk: get_object_or_404(Risk, pk=pk), url=_home),
)
