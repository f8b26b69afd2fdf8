"""Signals the groups app sends, for the apps above it (and itself) to react to.

`membership_ended` (sender=Membership, kwarg `membership`): a member left a group — their
membership was switched off or removed, or their account was deactivated. Sent once per
membership, after the change is committed.
"""

from django.dispatch import Signal

membership_ended = Signal()
