"""URLs of the steering-group pack (styregruppepakke); the paths stay under /portefoelje/."""

from django.urls import path

from pack import views

app_name = "pack"

urlpatterns = [
    path("portefoelje/pakke/", views.pack_choose, name="pack_choose"),
    path("portefoelje/pakke/<int:pk>/", views.pack, name="pack"),
    path("portefoelje/pakke/<int:pk>/pdf/", views.pack_pdf, name="pack_pdf"),
    path("portefoelje/pakke/<int:pk>/docx/", views.pack_docx, name="pack_docx"),
    path("portefoelje/pakke/<int:pk>/vedhaeft/", views.pack_attach, name="pack_attach"),
]
