"""The project-level router: every app's API under /api/v1/.

Each app's `api.py` has a `register(router)` that adds its viewsets; the order here is the
order of the API's reference (apps from the bottom layer up)."""

from rest_framework.routers import DefaultRouter

from benefits import api as benefits_api
from meetings import api as meetings_api
from notes import api as notes_api
from organisation import api as organisation_api
from planning import api as planning_api
from portfolio import api as portfolio_api
from strategy import api as strategy_api
from systems import api as systems_api

router = DefaultRouter()
router.include_root_view = False
for app_api in (
    organisation_api,
    meetings_api,
    notes_api,
    portfolio_api,
    benefits_api,
    systems_api,
    strategy_api,
    planning_api,
):
    app_api.register(router)
