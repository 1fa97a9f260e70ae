from django.urls import path

from core.history_views import history
from organisation import import_views, views

app_name = "organisation"

urlpatterns = [
    path("enheder/", views.orgunit_list, name="orgunit_list"),
    path("enheder/xlsx/", views.orgunit_list_xlsx, name="orgunit_list_xlsx"),
    path("enheder/ny/", views.orgunit_form, name="orgunit_create"),
    path("enheder/import/", import_views.orgunit_import, name="orgunit_import"),
    path(
        "enheder/import/<str:token>/",
        import_views.orgunit_import_preview,
        name="orgunit_import_preview",
    ),
    path("enheder/<int:pk>/", views.orgunit_detail, name="orgunit_detail"),
    path("enheder/<int:pk>/rediger/", views.orgunit_form, name="orgunit_edit"),
    path("personer/", views.person_list, name="person_list"),
    path("personer/xlsx/", views.person_list_xlsx, name="person_list_xlsx"),
    path("personer/ny/", views.person_form, name="person_create"),
    path("personer/import/", import_views.person_import, name="person_import"),
    path(
        "personer/import/<str:token>/",
        import_views.person_import_preview,
        name="person_import_preview",
    ),
    path("personer/<int:pk>/", views.person_detail, name="person_detail"),
    path("personer/<int:pk>/rediger/", views.person_form, name="person_edit"),
    path("organer/", views.body_list, name="body_list"),
    path("organer/medlemmer.xlsx", views.members_xlsx, name="members_xlsx"),
    path("organer/xlsx/", views.body_list_xlsx, name="body_list_xlsx"),
    path("organer/ny/", views.body_form, name="body_create"),
    path("organer/medlemmer/import/", import_views.membership_import, name="membership_import"),
    path(
        "organer/medlemmer/import/<str:token>/",
        import_views.membership_import_preview,
        name="membership_import_preview",
    ),
    path("organer/<int:pk>/", views.body_detail, name="body_detail"),
    path("organer/<int:pk>/rediger/", views.body_form, name="body_edit"),
    path("organer/<int:pk>/afslut/", views.body_close, name="body_close"),
    path("organer/<int:pk>/medlemmer/ny/", views.membership_add, name="membership_add"),
    path("organer/<int:pk>/status/ny/", views.status_add, name="status_add"),
    path("organer/<int:pk>/kommissorium/ny/", views.mandate_create, name="mandate_create"),
    path("medlemskaber/<int:pk>/rediger/", views.membership_edit, name="membership_edit"),
    path("kommissorier/<int:pk>/", views.mandate_detail, name="mandate_detail"),
    path("historik/<slug:kind>/<int:pk>/", history, name="history"),
    path("statusnotat/", views.memo, name="memo"),
    path("statusnotat.pdf", views.memo_pdf, name="memo_pdf"),
    path("statusnotat.docx", views.memo_docx, name="memo_docx"),
]
