"""The planning API: each area (proposals, plans, wheel, health) registers its viewsets here."""

from planning import api_health, api_plans, api_proposals, api_wheel


def register(router) -> None:
    """Add this app's viewsets to the project router (digistyr.api)."""
    for module in (api_proposals, api_plans, api_wheel, api_health):
        module.register(router)
