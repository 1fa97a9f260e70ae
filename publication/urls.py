"""Publication's URLs, included at `offentlig/`: the public pages of a municipality
(`<slug>/…`, no login), and the secretary's settings and "publish now" (logged in)."""

from django.urls import path

from publication import manage_views, views

app_name = "publication"

urlpatterns = [
    # Logged in: no public page has a number right after the municipality.
    path("indstillinger/organ/<int:pk>/", manage_views.body_settings, name="body_settings"),
    path("offentliggoer/moede/<int:pk>/", manage_views.publish_now, name="publish_now"),
    # The public pages.
    path("<slug:slug>/", views.index, name="index"),
    path("<slug:slug>/organer/<int:pk>/", views.body, name="body"),
    path("<slug:slug>/organer/<int:pk>/rss/", views.body_feed, name="body_feed"),
    path("<slug:slug>/organer/<int:pk>/kalender.ics", views.body_ical, name="body_ical"),
    path("<slug:slug>/moeder/<int:pk>/", views.meeting, name="meeting"),
    path("<slug:slug>/bilag/<int:pk>/", views.attachment, name="attachment"),
    path("<slug:slug>/beslutninger/", views.decisions, name="decisions"),
]
