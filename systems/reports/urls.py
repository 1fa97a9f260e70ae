"""The DPO's documents: the annual report and a body's systems."""

from django.urls import path

from systems.reports import views

urlpatterns: list = [
    path("systemer/aarsrapport/<int:year>/", views.annual_report, name="annual_report"),
    path("systemer/aarsrapport/<int:year>/pdf/", views.annual_report_pdf, name="annual_report_pdf"),
    path(
        "systemer/aarsrapport/<int:year>/docx/", views.annual_report_docx, name="annual_report_docx"
    ),
    path(
        "systemer/aarsrapport/<int:year>/vedhaeft/",
        views.annual_report_attach,
        name="annual_report_attach",
    ),
    path("systemer/organ/<int:pk>/", views.body_systems, name="body_systems"),
    path("systemer/organ/<int:pk>/pdf/", views.body_systems_pdf, name="body_systems_pdf"),
    path("systemer/organ/<int:pk>/docx/", views.body_systems_docx, name="body_systems_docx"),
]
