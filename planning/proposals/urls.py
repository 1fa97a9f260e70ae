"""URLs of proposals, merged into the "planning" namespace."""

from django.urls import path

from planning.proposals import views

urlpatterns: list = [
    path("forslag/", views.proposal_list, name="proposal_list"),
    path("forslag/xlsx/", views.proposal_list_xlsx, name="proposal_list_xlsx"),
    path("forslag/nyt/", views.proposal_create, name="proposal_create"),
    path("forslag/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("forslag/<int:pk>/rediger/", views.proposal_edit, name="proposal_edit"),
    path("forslag/<int:pk>/status/", views.proposal_status, name="proposal_status"),
    path("forslag/<int:pk>/projekt/", views.proposal_make_project, name="proposal_make_project"),
]
