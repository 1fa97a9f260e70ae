"""The register's URLs, under /systemer/: the list (and as Excel), a system's page, the forms
that keep it and sending a flagged duty to a body's list."""

from django.urls import path

from systems.register import views

urlpatterns: list = [
    path("systemer/", views.usage_list, name="usage_list"),
    path("systemer/xlsx/", views.usage_list_xlsx, name="usage_list_xlsx"),
    path("systemer/ny/", views.usage_create, name="usage_create"),
    path("systemer/<int:pk>/", views.usage_detail, name="usage_detail"),
    path("systemer/<int:pk>/rediger/", views.usage_edit, name="usage_edit"),
    path("systemer/<int:pk>/eskaler/", views.duty_escalate, name="duty_escalate"),
    path("systemer/<int:pk>/kontrakter/ny/", views.contract_create, name="contract_create"),
    path("systemer/kontrakter/<int:pk>/rediger/", views.contract_edit, name="contract_edit"),
    path(
        "systemer/<int:pk>/databehandleraftaler/ny/",
        views.agreement_create,
        name="agreement_create",
    ),
    path(
        "systemer/databehandleraftaler/<int:pk>/rediger/",
        views.agreement_edit,
        name="agreement_edit",
    ),
    path(
        "systemer/databehandleraftaler/<int:pk>/tilsyn/ny/",
        views.supervision_create,
        name="supervision_create",
    ),
    path("systemer/<int:pk>/vurderinger/ny/", views.assessment_create, name="assessment_create"),
    path("systemer/vurderinger/<int:pk>/rediger/", views.assessment_edit, name="assessment_edit"),
    path(
        "systemer/vurderinger/<int:pk>/dokument/",
        views.assessment_document,
        name="assessment_document",
    ),
    path("systemer/<int:pk>/projekter/ny/", views.project_link_create, name="project_link_create"),
    path(
        "systemer/projektlinks/<int:pk>/rediger/",
        views.project_link_edit,
        name="project_link_edit",
    ),
]
