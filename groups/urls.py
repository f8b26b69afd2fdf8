from django.urls import path

from . import attendance_views, consent_views, insight_views, notice_views, record_views, views

app_name = "groups"
urlpatterns: list = [
    path("<str:token>/calendar.ics", views.ical_feed, name="ical"),
    path("meetings/<uuid:meeting_id>.ics", views.meeting_ics, name="meeting_ics"),
    path("meetings/<uuid:meeting_id>/rsvp/", attendance_views.rsvp, name="rsvp"),
    path(
        "meetings/<uuid:meeting_id>/propose-date/",
        attendance_views.propose_date,
        name="propose_date",
    ),
    path("proposals/<int:proposal_id>/accept/", notice_views.accept_date, name="accept_date"),
    path("notices/read/", notice_views.read_notice, name="read_notices"),
    path("notices/<int:notice_id>/read/", notice_views.read_notice, name="read_notice"),
    path("attendance/", record_views.attendance_record, name="attendance_record"),
    path(
        "attendance/record.pdf",
        record_views.attendance_record_download,
        name="attendance_record_pdf",
    ),
    path("<uuid:group_id>/", insight_views.group_page, name="detail"),
    path("<uuid:group_id>/logbook/", insight_views.logbook, name="logbook"),
    path("<uuid:group_id>/contract/read/", consent_views.contract_read, name="contract_read"),
    path("<uuid:group_id>/consent/agree/", consent_views.agree, name="consent_agree"),
    path("<uuid:group_id>/consent/withdraw/", consent_views.withdraw, name="consent_withdraw"),
    path("<uuid:group_id>/logbook.csv", insight_views.logbook_csv, name="logbook_csv"),
    path("<uuid:group_id>/logbook.md", insight_views.logbook_markdown_view, name="logbook_md"),
    path(
        "<uuid:group_id>/attendance/<int:user_id>/",
        record_views.member_record,
        name="member_record",
    ),
    path(
        "<uuid:group_id>/attendance/<int:user_id>/record.pdf",
        record_views.member_record_download,
        name="member_record_pdf",
    ),
    path(
        "<uuid:group_id>/attendance.csv",
        record_views.group_attendance_csv,
        name="attendance_csv",
    ),
]
