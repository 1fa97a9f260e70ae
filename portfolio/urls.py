"""URLs of the portfolio app, collected from its view modules (one module per area)."""

from portfolio.views import board, imports, pack, projects, reports, risks

app_name = "portfolio"

urlpatterns = [
    *projects.urlpatterns,
    *imports.urlpatterns,
    *reports.urlpatterns,
    *board.urlpatterns,
    *risks.urlpatterns,
    *pack.urlpatterns,
]
