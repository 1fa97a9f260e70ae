"""URLs of governance health (merged into the "planning" namespace)."""

from django.urls import path

from planning import views_health

urlpatterns: list = [
    path("styringssundhed/", views_health.health_page, name="health"),
]
