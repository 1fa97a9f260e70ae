"""KLE URLs: the catalogue and its import, and the KLE numbers of a usage and of a case."""

from django.urls import path

from systems.kle import views

urlpatterns = [
    path("systemer/kle/", views.catalogue, name="kle_catalogue"),
    path("systemer/kle/indlaes/", views.import_upload, name="kle_import"),
    path("systemer/kle/indlaes/<str:token>/", views.import_preview, name="kle_import_preview"),
    path("systemer/kle/anvendelse/<int:pk>/", views.usage_kle, name="usage_kle"),
    path("systemer/kle/sag/<int:pk>/", views.case_kle, name="case_kle"),
]
