"""URLs of the approval of the minutes by every participant (in the meetings namespace)."""

from django.urls import path

from meetings.approvals import views

urlpatterns = [
    path("moeder/<int:pk>/godkendelse/", views.approval_sheet, name="approval_sheet"),
    path("moeder/<int:pk>/godkendelse/godkend/", views.approve, name="approval_approve"),
    path("moeder/<int:pk>/godkendelse/bemaerkning/", views.remark, name="approval_remark"),
    path("moeder/<int:pk>/godkendelse/send/", views.circulate, name="approval_circulate"),
    path("moeder/<int:pk>/godkendelse/traek-tilbage/", views.withdraw, name="approval_withdraw"),
    path("moeder/<int:pk>/godkendelse/luk/", views.close, name="approval_close"),
]
