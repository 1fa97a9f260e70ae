"""The planning API: each domain (proposals, plans, wheel, health) registers its viewsets here."""

from planning.health import api as health_api
from planning.plans import api as plans_api
from planning.proposals import api as proposals_api
from planning.wheel import api as wheel_api


def register(router) -> None:
    """Add this app's viewsets to the project router (digistyr.api)."""
    for module in (proposals_api, plans_api, wheel_api, health_api):
        module.register(router)
