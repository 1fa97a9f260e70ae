"""Planning's URLs, one module per area: proposals, action plans, the wheel, health."""

from planning import urls_health, urls_plans, urls_proposals, urls_wheel

app_name = "planning"

urlpatterns = [
    *urls_proposals.urlpatterns,
    *urls_plans.urlpatterns,
    *urls_wheel.urlpatterns,
    *urls_health.urlpatterns,
]
