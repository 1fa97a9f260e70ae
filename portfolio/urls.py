"""URLs of the portfolio app: every URL pattern of its view modules (one module per area)."""

from django.urls import path

from portfolio.views import board, coverage, imports, projects, reports, risks

app_name = "portfolio"

urlpatterns = [
    # projects
    path("projekter/", projects.project_list, name="project_list"),
    path("projekter/xlsx/", projects.project_list_xlsx, name="project_list_xlsx"),
    path("projekter/ny/", projects.project_create, name="project_create"),
    path("projekter/<int:pk>/", projects.project_detail, name="project_detail"),
    path("projekter/<int:pk>/rediger/", projects.project_edit, name="project_edit"),
    path("projekter/<int:pk>/milepaele/", projects.project_milestones, name="project_milestones"),
    path("projekter/<int:pk>/budget/", projects.project_budget, name="project_budget"),
    path("projekter/<int:pk>/fase/", projects.project_phase, name="project_phase"),
    path("projekter/<int:pk>/strategi/", projects.project_links, name="project_links"),
    path("projekter/<int:pk>/historik/", projects.project_history, name="project_history"),
    # imports
    path("projekter/import/", imports.import_upload, name="import_upload"),
    path("projekter/import/<str:token>/", imports.import_preview, name="import_preview"),
    # reports
    path("projekter/<int:pk>/statusrapporter/", reports.report_list, name="report_list"),
    path("projekter/<int:pk>/statusrapporter/ny/", reports.report_create, name="report_create"),
    path("statusrapporter/<int:pk>/", reports.report_detail, name="report_detail"),
    path("statusrapporter/<int:pk>/eskaler/", reports.report_escalate, name="report_escalate"),
    # board
    path("projekttavle/", board.board, name="board"),
    path("projekttavle/xlsx/", board.board_xlsx, name="board_xlsx"),
    # risks
    path("risici/", risks.risk_list, name="risk_list"),
    path("risici/xlsx/", risks.risk_list_xlsx, name="risk_list_xlsx"),
    path("risici/ny/", risks.risk_create, name="risk_create"),
    path("projekter/<int:pk>/risici/ny/", risks.project_risk_create, name="project_risk_create"),
    path("risici/<int:pk>/rediger/", risks.risk_edit, name="risk_edit"),
    path("risici/<int:pk>/eskaler/", risks.risk_escalate, name="risk_escalate"),
    # coverage
    path("strategi/daekning/", coverage.coverage, name="coverage"),
    path("strategi/daekning/xlsx/", coverage.coverage_xlsx, name="coverage_xlsx"),
]
