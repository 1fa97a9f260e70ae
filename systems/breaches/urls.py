"""Breaches' URLs (brud på persondatasikkerheden), under /systemer/brud/."""

from django.urls import path

from systems.breaches import views

urlpatterns: list = [
    path("systemer/brud/", views.breach_list, name="breach_list"),
    path("systemer/brud/ny/", views.breach_create, name="breach_create"),
    path("systemer/brud/<int:pk>/", views.breach_detail, name="breach_detail"),
    path("systemer/brud/<int:pk>/rediger/", views.breach_edit, name="breach_edit"),
    path("systemer/brud/<int:pk>/luk/", views.breach_close, name="breach_close"),
]
