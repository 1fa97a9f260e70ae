"""OParl 1.1 under /oparl/v1.1/ (namespace "oparl"): the System, the list of Bodies (one per
municipality that publishes) and each municipality's lists and objects."""

from django.urls import path

from publication.oparl import views

app_name = "oparl"


def _object(segment: str, name: str, list_view, detail_view) -> list:
    return [
        path(f"<slug:slug>/{segment}/", list_view, name=f"{name}_list"),
        path(f"<slug:slug>/{segment}/<int:pk>/", detail_view, name=name),
    ]


urlpatterns = [
    path("", views.system, name="system"),
    path("bodies/", views.body_list, name="body_list"),
    path("<slug:slug>/", views.body, name="body"),
    *_object("organizations", "organization", views.organization_list, views.organization),
    path(
        "<slug:slug>/organizations/<int:pk>/meetings/",
        views.organization_meetings,
        name="organization_meetings",
    ),
    *_object("persons", "person", views.person_list, views.person),
    *_object("memberships", "membership", views.membership_list, views.membership),
    *_object("meetings", "meeting", views.meeting_list, views.meeting),
    *_object("agendaitems", "agendaitem", views.agendaitem_list, views.agendaitem),
    *_object("papers", "paper", views.paper_list, views.paper),
    *_object("consultations", "consultation", views.consultation_list, views.consultation),
    *_object("files", "file", views.file_list, views.file),
    path("<slug:slug>/files/<int:pk>/content/", views.file_content, name="file_content"),
    *_object(
        "legislativeterms", "legislativeterm", views.legislativeterm_list, views.legislativeterm
    ),
]
