"""kitos URLs."""

from django.urls import path

from systems.kitos import views

urlpatterns: list = [
    path("systemer/kitos/", views.kitos, name="kitos"),
]
