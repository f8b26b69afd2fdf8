from django.urls import path

from . import guest_privacy, join_views, views

app_name = "rooms"
urlpatterns = [
    path("meetings/<uuid:meeting_id>/open/", views.open_room, name="open"),
    path("meetings/<uuid:meeting_id>/plan/", views.plan_preview, name="plan"),
    path("r/<uuid:room_id>/", views.room, name="room"),
    path("r/<uuid:room_id>/do/<slug:name>/", views.command, name="command"),
    path("r/<uuid:room_id>/handover/", views.hand_over, name="handover"),
    path("r/<uuid:room_id>/ready/", views.ready, name="ready"),
    path("r/<uuid:room_id>/storing/", views.storing, name="storing"),
    path(
        "r/<uuid:room_id>/storing/<int:storing_id>/ok/",
        views.acknowledge_storing,
        name="storing_ack",
    ),
    path("r/<uuid:room_id>/notes/", views.notes, name="notes"),
    path("r/<uuid:room_id>/act/<slug:action>/", views.act, name="act"),
    path("r/<uuid:room_id>/mine/", views.mine, name="mine"),
    path("r/<uuid:room_id>/code/", join_views.renew_code, name="renew_code"),
    path(
        "r/<uuid:room_id>/guests/<int:member_id>/remove/",
        join_views.remove_guest,
        name="remove_guest",
    ),
    path("time/", views.server_time, name="time"),
    path("j/", join_views.join, name="join"),
    path("j/<str:code>/", join_views.join_code, name="join_code"),
    path("j/<str:code>/guest/", join_views.guest, name="guest"),
    path("j/<str:code>/privacy/", guest_privacy.guest_statement, name="guest_privacy"),
    path("j/<str:code>/privacy/forget/", guest_privacy.forget_guest, name="forget_guest"),
]
