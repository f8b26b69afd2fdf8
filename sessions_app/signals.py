"""Signals other apps listen to, so the room's services need not know about them."""

from django.dispatch import Signal

# Sent after the transaction that ended a session committed; kwargs: room.
session_ended = Signal()
