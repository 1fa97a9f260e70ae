"""The systems API: each domain registers its viewsets here."""

from systems.breaches import api as breaches_api
from systems.kitos import api as kitos_api
from systems.kle import api as kle_api
from systems.register import api as register_api
from systems.reports import api as reports_api


def register(router) -> None:
    """Add this app's viewsets to the project router (digistyr.api)."""
    for module in (register_api, breaches_api, kitos_api, kle_api, reports_api):
        module.register(router)
