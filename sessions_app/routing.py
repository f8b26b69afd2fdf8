from django.urls import path

from .consumers import RoomConsumer
from .screen_consumer import ScreenConsumer

websocket_urlpatterns = [
    path("ws/rooms/<uuid:room_id>/", RoomConsumer.as_asgi()),
    path("ws/rooms/<uuid:room_id>/screen/", ScreenConsumer.as_asgi()),
]
