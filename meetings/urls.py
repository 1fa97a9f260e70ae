"""URLs of the meetings app; the views live in one module per area (meetings.views)."""

from django.urls import path

from meetings.approvals import urls as approvals_urls
from meetings.proceedings import urls as proceedings_urls
from meetings.views import cases, decisions, documents, meetings

app_name = "meetings"

urlpatterns = [
    # meetings
    path("moeder/", meetings.meeting_list, name="meeting_list"),
    path("moeder/xlsx/", meetings.meeting_list_xlsx, name="meeting_list_xlsx"),
    path("moeder/ny/", meetings.meeting_create, name="meeting_create"),
    path("organer/<int:pk>/moedeplan/", meetings.meeting_plan_year, name="meeting_plan_year"),
    path("moeder/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("moeder/<int:pk>/rediger/", meetings.meeting_edit, name="meeting_edit"),
    path("moeder/<int:pk>/punkter/ny/", meetings.item_add, name="item_add"),
    path("punkter/<int:pk>/rediger/", meetings.item_edit, name="item_edit"),
    path("punkter/<int:pk>/flyt/", meetings.item_move, name="item_move"),
    path("punkter/<int:pk>/slet/", meetings.item_delete, name="item_delete"),
    path("moeder/<int:pk>/fra-listen/", meetings.backlog_add, name="backlog_add"),
    path("moeder/<int:pk>/godkend-dagsorden/", meetings.agenda_approve, name="agenda_approve"),
    path("moeder/<int:pk>/send-dagsorden/", meetings.agenda_send, name="agenda_send"),
    path("moeder/<int:pk>/afholdt/", meetings.meeting_held, name="meeting_held"),
    path(
        "moeder/<int:pk>/registreret-efterfoelgende/",
        meetings.meeting_record_afterwards,
        name="meeting_record_afterwards",
    ),
    path("punkter/<int:pk>/referat/", meetings.minutes_item, name="minutes_item"),
    path("punkter/<int:pk>/opfoelgning/ny/", meetings.followup_add, name="followup_add"),
    path("moeder/<int:pk>/fremmoede/", meetings.attendance, name="attendance"),
    path("moeder/<int:pk>/godkend-referat/", meetings.minutes_approve, name="minutes_approve"),
    path("moeder/<int:pk>/genaabn-referat/", meetings.minutes_reopen, name="minutes_reopen"),
    path("moeder/<int:pk>/versioner/", meetings.minutes_versions, name="minutes_versions"),
    path("moeder/<int:pk>/historik/", meetings.meeting_history, name="meeting_history"),
    # approval of the minutes by every participant
    *approvals_urls.urlpatterns,
    # the meeting as it really runs: attendance per item, substitutes, dissents
    *proceedings_urls.urlpatterns,
    # cases
    path("sager/", cases.case_list, name="case_list"),
    path("sager/xlsx/", cases.case_list_xlsx, name="case_list_xlsx"),
    path("sager/ny/", cases.case_form, name="case_create"),
    path("sager/<int:pk>/", cases.case_detail, name="case_detail"),
    path("sager/<int:pk>/rediger/", cases.case_form, name="case_edit"),
    path("punkter/<int:pk>/bilag/ny/", cases.attachment_add, name="attachment_add"),
    path("bilag/<int:pk>/rediger/", cases.attachment_edit, name="attachment_edit"),
    path("bilag/<int:pk>/fil/", cases.attachment_download, name="attachment_download"),
    # decisions
    path("beslutninger/", decisions.decision_list, name="decision_list"),
    path("beslutninger.xlsx", decisions.decision_xlsx, name="decision_xlsx"),
    path("opfoelgninger/", decisions.followup_list, name="followup_list"),
    path("opfoelgninger/mine/", decisions.my_followups, name="my_followups"),
    path("opfoelgninger/xlsx/", decisions.followup_list_xlsx, name="followup_list_xlsx"),
    path("opfoelgninger/mine/xlsx/", decisions.my_followups_xlsx, name="my_followups_xlsx"),
    path("opfoelgninger/<int:pk>/rediger/", decisions.followup_edit, name="followup_edit"),
    # documents
    path("moeder/<int:pk>/dagsorden.pdf", documents.agenda_pdf, name="agenda_pdf"),
    path("moeder/<int:pk>/dagsorden.docx", documents.agenda_docx, name="agenda_docx"),
    path("moeder/<int:pk>/referat.pdf", documents.minutes_pdf, name="minutes_pdf"),
    path("moeder/<int:pk>/referat.docx", documents.minutes_docx, name="minutes_docx"),
    path("moeder/<int:pk>/invitation.ics", documents.meeting_ics, name="meeting_ics"),
    path("kalender/", documents.calendar_links, name="calendar_links"),
    path("kalender/token/", documents.calendar_token, name="calendar_token"),
    path("kalender/organ/<str:token>.ics", documents.feed_body, name="feed_body"),
    path("kalender/person/<str:token>.ics", documents.feed_person, name="feed_person"),
]
