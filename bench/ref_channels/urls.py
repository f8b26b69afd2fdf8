from django.urls import path

from .app import trigger

urlpatterns = [path("trigger/<str:room>/", trigger)]
