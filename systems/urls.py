"""The systems app's URLs, collected from its domains: the register, breaches, the KITOS and
KLE imports and the documents (the DPO's annual report, a body's systems)."""

from systems.breaches import urls as breaches_urls
from systems.kitos import urls as kitos_urls
from systems.kle import urls as kle_urls
from systems.register import urls as register_urls
from systems.reports import urls as reports_urls

app_name = "systems"

urlpatterns = [
    *register_urls.urlpatterns,
    *breaches_urls.urlpatterns,
    *kitos_urls.urlpatterns,
    *kle_urls.urlpatterns,
    *reports_urls.urlpatterns,
]
