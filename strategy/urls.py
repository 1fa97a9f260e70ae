"""URLs of strategy: strategies and goals, and the catalogues (the coverage and a project's links
are portfolio's)."""

from django.urls import path

from strategy import views

app_name = "strategy"

urlpatterns = [
    path("strategi/", views.strategy_list, name="strategy_list"),
    path("strategi/xlsx/", views.strategy_list_xlsx, name="strategy_list_xlsx"),
    path("strategi/ny/", views.strategy_create, name="strategy_create"),
    path("strategi/<int:pk>/", views.strategy_detail, name="strategy_detail"),
    path("strategi/<int:pk>/rediger/", views.strategy_edit, name="strategy_edit"),
    path("strategi/<int:pk>/dokument/", views.strategy_document, name="strategy_document"),
    path("strategi/<int:pk>/maal/ny/", views.goal_create, name="goal_create"),
    path("strategi/maal/<int:pk>/rediger/", views.goal_edit, name="goal_edit"),
    path("strategi/maal/<int:pk>/slet/", views.goal_delete, name="goal_delete"),
    path("strategi/fokusomraader/", views.focus_area_list, name="focus_area_list"),
    path("strategi/fokusomraader/<int:number>/", views.focus_area_detail, name="focus_area_detail"),
    path("strategi/verdensmaal/", views.sdg_list, name="sdg_list"),
    path("strategi/verdensmaal/<int:number>/", views.sdg_detail, name="sdg_detail"),
]
