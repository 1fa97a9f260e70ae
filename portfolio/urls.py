"""URLs of the portfolio app, collected from its view modules (one module per area)."""

from portfolio.views import board, coverage, imports, projects, reports, risks

app_name = "portfolio"

urlpatterns = [
    *projects.urlpatterns,
    *imports.urlpatterns,
    *reports.urlpatterns,
    *board.urlpatterns,
    *risks.urlpatterns,
    *coverage.urlpatterns,
]
