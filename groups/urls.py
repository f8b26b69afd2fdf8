from django.urls import path

from . import attendance_views, consent_views, notice_views, views

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
    path("<uuid:group_id>/contract/read/", consent_views.contract_read, name="contract_read"),
    path("<uuid:group_id>/consent/agree/", consent_views.agree, name="consent_agree"),
    path("<uuid:group_id>/consent/withdraw/", consent_views.withdraw, name="consent_withdraw"),
]
