"""URLs of benefit realisation."""

from django.urls import path

from benefits import import_views, views

app_name = "benefits"

urlpatterns = [
    path("gevinster/", views.benefit_overview, name="benefit_overview"),
    path("gevinster/xlsx/", views.benefit_list_xlsx, name="benefit_list_xlsx"),
    path("gevinster/import/", import_views.benefit_import, name="benefit_import"),
    path(
        "gevinster/import/<str:token>/",
        import_views.benefit_import_preview,
        name="benefit_import_preview",
    ),
    path("gevinster/<int:pk>/", views.benefit_detail, name="benefit_detail"),
    path("gevinster/<int:pk>/rediger/", views.benefit_edit, name="benefit_edit"),
    path("gevinster/<int:pk>/maaling/", views.measurement_add, name="measurement_add"),
    path("gevinster/<int:pk>/historik/", views.benefit_history, name="benefit_history"),
    path("projekter/<int:pk>/gevinster/", views.project_benefits, name="project_benefits"),
    path("projekter/<int:pk>/gevinster/ny/", views.benefit_create, name="benefit_create"),
]
