"""Signals of the groups app, for the apps above it (which groups must not import).

`membership_ended` (sender=Membership, kwarg `membership`): someone stopped being an active member
of `membership.group`. Sent inside the transaction that made the change, so a receiver's own
database work commits or rolls back with it; receivers that notify the outside world (close
websockets, send mail) wait for `transaction.on_commit`. Sent when a membership is set inactive,
when an active membership is deleted, and once for each active membership of a user who is
deactivated (then `membership.active` is still True: the user, not the membership, ended).
"""

from django.dispatch import Signal

membership_ended = Signal()
