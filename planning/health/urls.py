"""URLs of governance health (merged into the "planning" namespace)."""

from django.urls import path

from planning.health import views

urlpatterns: list = [
    path("styringssundhed/", views.health_page, name="health"),
]
