"""Planning's URLs, collected from its domains: proposals, action plans, the wheel, health,
the forward trace of decisions."""

from planning.health import urls as health_urls
from planning.plans import urls as plans_urls
from planning.proposals import urls as proposals_urls
from planning.trace import urls as trace_urls
from planning.wheel import urls as wheel_urls

app_name = "planning"

urlpatterns = [
    *proposals_urls.urlpatterns,
    *plans_urls.urlpatterns,
    *wheel_urls.urlpatterns,
    *health_urls.urlpatterns,
    *trace_urls.urlpatterns,
]
