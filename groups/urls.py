from django.urls import path

from . import views

app_name = "groups"
urlpatterns: list = [
    path("<str:token>/calendar.ics", views.ical_feed, name="ical"),
    path("meetings/<uuid:meeting_id>.ics", views.meeting_ics, name="meeting_ics"),
]
