"""URLs of the annual wheel (årshjul); merged into the "planning" namespace."""

from django.urls import path

from planning.wheel import views

urlpatterns = [
    path("aarshjul/", views.wheel_page, name="wheel"),
    path("aarshjul/aarshjul.ics", views.wheel_ics, name="wheel_ics"),
    path("aarshjul/aarshjul.pdf", views.wheel_pdf, name="wheel_pdf"),
    path("aarshjul/indstillinger/", views.wheel_settings, name="wheel_settings"),
    path("aarshjul/aktiviteter/", views.activity_list, name="activity_list"),
    path("aarshjul/aktiviteter/xlsx/", views.activity_list_xlsx, name="activity_list_xlsx"),
    path("aarshjul/aktiviteter/ny/", views.activity_create, name="activity_create"),
    path("aarshjul/aktiviteter/datoer/", views.activity_preview, name="activity_preview"),
    path("aarshjul/aktiviteter/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("aarshjul/aktiviteter/<int:pk>/rediger/", views.activity_edit, name="activity_edit"),
    path("aarshjul/aktiviteter/<int:pk>/slet/", views.activity_delete, name="activity_delete"),
    path(
        "aarshjul/aktiviteter/<int:pk>/gennemgang/", views.activity_review, name="activity_review"
    ),
]
