"""Signals of the cases app, for the apps above it (cases must not import them).

sessions_app connects to these to clear what its rooms hold about a case: the rooms know their
case, the case does not know its rooms.
"""

from django.db.models.signals import pre_delete
from django.dispatch import Signal, receiver

from .models import Case

# Sent inside the deleting transaction, before the case's row goes (by the owner, by the erasure
# of their account, or in the admin); kwargs: case. Receivers delete or anonymise what they hold
# about the case, so that nothing about it stays findable.
case_deleting = Signal()

# Sent by the retention purge for each expired case (cases/retention.py); kwargs: case, now,
# dry_run. Receivers empty the texts they hold about the case (or, with dry_run, only count
# them) and return {kind label: count}.
case_purged = Signal()

# Sent once per retention run after the cases; kwargs: now, dry_run. For what expires with the
# group's retention without belonging to a case (rooms where no case was chosen). Receivers
# return {kind label: count}, like case_purged.
retention_due = Signal()


@receiver(pre_delete, sender=Case, dispatch_uid="cases.case_deleting")
def _announce_deletion(sender, instance: Case, **kwargs) -> None:
    case_deleting.send(sender=Case, case=instance)
