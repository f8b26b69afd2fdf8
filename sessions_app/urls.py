from django.urls import path

from . import guest_privacy, join_views, online_views, views

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
    path("r/<uuid:room_id>/screen/", online_views.shared, name="shared"),
    path("r/<uuid:room_id>/hand/", online_views.raise_hand, name="hand_raise"),
    path("r/<uuid:room_id>/hand/lower/", online_views.lower_hand, name="hand_lower"),
    path("r/<uuid:room_id>/word/give/", online_views.give_word, name="word_give"),
    path("r/<uuid:room_id>/word/back/", online_views.take_back_word, name="word_back"),
    path("r/<uuid:room_id>/roll/", online_views.mark_present, name="roll_mark"),
    path("r/<uuid:room_id>/place/", online_views.set_place, name="place"),
    path("time/", views.server_time, name="time"),
    path("j/", join_views.join, name="join"),
    path("j/<str:code>/", join_views.join_code, name="join_code"),
    path("j/<str:code>/guest/", join_views.guest, name="guest"),
    path("j/<str:code>/privacy/", guest_privacy.guest_statement, name="guest_privacy"),
    path("j/<str:code>/privacy/forget/", guest_privacy.forget_guest, name="forget_guest"),
]
