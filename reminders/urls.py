"""URLs of the reminders: the user's own settings, under the account."""

from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("konto/paamindelser/", views.reminder_settings, name="settings"),
]
