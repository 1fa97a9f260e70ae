"""URLs of the meeting as it really runs (in the meetings namespace)."""

from django.urls import path

from meetings.proceedings import views

urlpatterns = [
    path("punkter/<int:pk>/deltagelse/", views.item_absences, name="item_absences"),
    path("moeder/<int:pk>/stedfortraeder/", views.substitute, name="substitute"),
    path("punkter/<int:pk>/protokoltilfoersel/", views.addendum, name="addendum"),
]
