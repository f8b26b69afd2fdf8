"""The reports' pages, under /groups/ beside groups' own.

The site mounts these together with groups/urls.py as one URL space, the `groups` namespace
(intervisie/urls.py): a group's page stays /groups/<id>/ and "groups:detail", whichever app
serves it, so groups (which links to its group page) never names the app above it."""

from django.urls import path

from . import insight_views, record_views

urlpatterns: list = [
    path("attendance/", record_views.attendance_record, name="attendance_record"),
    path(
        "attendance/record.pdf",
        record_views.attendance_record_download,
        name="attendance_record_pdf",
    ),
    path("<uuid:group_id>/", insight_views.group_page, name="detail"),
    path("<uuid:group_id>/logbook/", insight_views.logbook, name="logbook"),
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
