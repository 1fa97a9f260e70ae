"""URLs of the forward trace of decisions (merged into the "planning" namespace)."""

from django.urls import path

from planning.trace import views

urlpatterns: list = [
    path("beslutninger/<int:pk>/spor/", views.decision_trace, name="decision_trace"),
    path("organer/<int:pk>/beslutninger/", views.body_decisions, name="body_decisions"),
    path(
        "organer/<int:pk>/beslutninger.xlsx",
        views.body_decisions_xlsx,
        name="body_decisions_xlsx",
    ),
]
