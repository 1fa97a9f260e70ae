"""`{% project_strategy project as links %}`: the goals, focus areas and SDGs a project serves,
for the "Strategy" section of the project card (three queries, whatever the links)."""

from django import template

register = template.Library()


@register.simple_tag
def project_strategy(project) -> dict:
    return {
        "goals": list(
            project.goals.select_related("strategy").order_by(
                "-strategy__start_year", "strategy_id", "position", "pk"
            )
        ),
        "focus_areas": list(project.focus_areas.order_by("number")),
        "sdgs": list(project.sdgs.order_by("number")),
    }
