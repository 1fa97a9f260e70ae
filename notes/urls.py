"""URLs of private notes."""

from django.urls import path

from notes import views

app_name = "notes"

urlpatterns = [
    path("noter/", views.my_notes, name="mine"),
    path("noter/punkt/<int:pk>/", views.item_note, name="item_note"),
    path("noter/bilag/<int:pk>/", views.attachment_note, name="attachment_note"),
    path("noter/<int:pk>/slet/", views.note_delete, name="note_delete"),
    path("noter/moeder/<int:pk>/dagsorden.pdf", views.meeting_pdf, name="meeting_pdf"),
]
