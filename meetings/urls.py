"""URLs of the meetings app, collected from its view modules (one module per area)."""

from meetings.views import cases, decisions, documents, meetings

app_name = "meetings"

urlpatterns = [
    *meetings.urlpatterns,
    *cases.urlpatterns,
    *decisions.urlpatterns,
    *documents.urlpatterns,
]
