"""URLs of the annual action plan (indsatsplan), merged into the "planning" namespace."""

from django.urls import path

from planning.plans import views

urlpatterns: list = [
    path("indsatsplaner/", views.plan_list, name="plan_list"),
    path("indsatsplaner/xlsx/", views.plan_list_xlsx, name="plan_list_xlsx"),
    path("indsatsplaner/ny/", views.plan_create, name="plan_create"),
    path("indsatsplaner/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("indsatsplaner/<int:pk>/rediger/", views.plan_edit, name="plan_edit"),
    path("indsatsplaner/<int:pk>/kriterier/", views.plan_criteria, name="plan_criteria"),
    path("indsatsplaner/<int:pk>/scoring/", views.plan_scores, name="plan_scores"),
    path("indsatsplaner/<int:pk>/indsatser/ny/", views.entry_create, name="entry_create"),
    path("indsatsplaner/<int:pk>/anbefal/", views.plan_recommend, name="plan_recommend"),
    path("indsatsplaner/<int:pk>/godkend/", views.plan_approve, name="plan_approve"),
    path("indsatsplaner/<int:pk>/genaabn/", views.plan_reopen, name="plan_reopen"),
    path("indsatsplaner/<int:pk>/pdf/", views.plan_pdf, name="plan_pdf"),
    path("indsatsplaner/<int:pk>/docx/", views.plan_docx, name="plan_docx"),
    path("indsatsplaner/<int:pk>/xlsx/", views.plan_entries_xlsx, name="plan_entries_xlsx"),
    path("indsatsplaner/<int:pk>/historik/", views.plan_history, name="plan_history"),
    path("indsatsplaner/indsatser/<int:pk>/rediger/", views.entry_edit, name="entry_edit"),
    path("indsatsplaner/indsatser/<int:pk>/slet/", views.entry_delete, name="entry_delete"),
    path("indsatsplaner/indsatser/<int:pk>/rang/", views.entry_rank, name="entry_rank"),
    path(
        "indsatsplaner/indsatser/<int:pk>/fremdrift/", views.entry_progress, name="entry_progress"
    ),
]
