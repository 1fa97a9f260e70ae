"""URLs of benefit realisation."""

from django.urls import path

from benefits import views

app_name = "benefits"

urlpatterns = [
    path("gevinster/", views.benefit_overview, name="benefit_overview"),
    path("gevinster/xlsx/", views.benefit_list_xlsx, name="benefit_list_xlsx"),
    path("gevinster/<int:pk>/", views.benefit_detail, name="benefit_detail"),
    path("gevinster/<int:pk>/rediger/", views.benefit_edit, name="benefit_edit"),
    path("gevinster/<int:pk>/maaling/", views.measurement_add, name="measurement_add"),
    path("gevinster/<int:pk>/historik/", views.benefit_history, name="benefit_history"),
    path("projekter/<int:pk>/gevinster/", views.project_benefits, name="project_benefits"),
    path("projekter/<int:pk>/gevinster/ny/", views.benefit_create, name="benefit_create"),
]
