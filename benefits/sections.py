"""What benefits add to the portfolio's pages (core.sections): the project card's benefits
and the board's chart of planned budget against planned economic benefits."""

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from benefits.models import ECONOMIC, Benefit, BenefitPlan
from benefits.services import benefit_queryset, summarise
from core.charts import Series, bar_chart
from portfolio.models import BudgetYear, Category


def project_benefits(request, project) -> dict:
    """The project's benefits, each with its latest measurement and its flags."""
    return {
        "benefits": [
            summarise(b) for b in benefit_queryset(Benefit.objects.filter(project=project))
        ]
    }


def board_money(request, projects) -> dict:
    return {"chart": money_chart(projects)}


def money_chart(projects):
    """Per category: the planned budget against the planned economic benefits, all years."""
    budget = dict(
        BudgetYear.objects.filter(project__in=projects)
        .values_list("project__category")
        .annotate(total=Sum("planned"))
        .order_by()
    )
    benefits = dict(
        BenefitPlan.objects.filter(benefit__project__in=projects, benefit__type__in=ECONOMIC)
        .values_list("benefit__project__category")
        .annotate(total=Sum("planned"))
        .order_by()
    )
    categories = Category.values
    return bar_chart(
        _("Planned budget and planned economic benefits by category"),
        categories=[Category(c).label for c in categories],
        series=[
            Series(_("Planned budget"), "budget", [budget.get(c, Decimal(0)) for c in categories]),
            Series(
                _("Planned economic benefits"),
                "benefit",
                [benefits.get(c, Decimal(0)) for c in categories],
            ),
        ],
        unit="kr.",
    )
