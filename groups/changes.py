"""Changing a planned meeting: moving it to another date (often a member's proposal) or
cancelling it. Either way everyone hears of it, by mail with an updated calendar file and on
their home page, and what belonged to the old date is cleared: the answers (a "no" for Tuesday
says nothing about Thursday), the reminder already sent, the open date proposals.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Attendance, DateProposal, Meeting, Notification


def move_meeting(
    meeting: Meeting,
    starts_at: datetime,
    *,
    by=None,
    proposal: DateProposal | None = None,
    now: datetime | None = None,
) -> Meeting:
    """Move a planned meeting to `starts_at` and tell everyone."""
    now = now or timezone.now()
    if timezone.is_naive(starts_at):
        raise ValidationError(_("The new date needs a time zone."))
    if starts_at <= now:
        raise ValidationError(_("The new date must be in the future."))
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != Meeting.Status.PLANNED:
            raise ValidationError(_("Only a planned meeting can be moved."))
        if locked.starts_at == starts_at:
            raise ValidationError(_("The meeting is already on that date."))
        old_start = locked.starts_at
        locked.starts_at = starts_at
        locked.save(update_fields=["starts_at", "updated_at"])
        after_move(locked, old_start, by=by, proposal=proposal)
    meeting.refresh_from_db()
    return meeting


def after_move(
    meeting: Meeting, old_start: datetime, *, by=None, proposal: DateProposal | None = None
) -> None:
    """What follows a new date, however it was set (here, or in the admin's meeting form):
    answers and reminder start afresh, proposals are settled, everyone is told."""
    Meeting.objects.filter(pk=meeting.pk).update(sequence=F("sequence") + 1, reminder_sent_at=None)
    # Only the answers: presence is recorded at the meeting itself, not before it.
    Attendance.objects.filter(meeting=meeting, present__isnull=True).delete()
    _settle_proposals(meeting, accepted=proposal)
    transaction.on_commit(
        lambda: _announce(meeting.pk, Notification.Kind.MEETING_MOVED, old_start, by)
    )


def cancel_meeting(meeting: Meeting, *, by=None) -> Meeting:
    """Cancel a planned meeting and tell everyone (their calendars drop it)."""
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != Meeting.Status.PLANNED:
            raise ValidationError(_("Only a planned meeting can be cancelled."))
        locked.status = Meeting.Status.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        after_cancel(locked, by=by)
    meeting.refresh_from_db()
    return meeting


def after_cancel(meeting: Meeting, *, by=None) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(sequence=F("sequence") + 1)
    _settle_proposals(meeting, accepted=None)
    transaction.on_commit(
        lambda: _announce(meeting.pk, Notification.Kind.MEETING_CANCELLED, meeting.starts_at, by)
    )


def accept_proposal(proposal: DateProposal, *, by) -> Meeting:
    """The coordinator takes a member's proposed date: the meeting moves there."""
    if proposal.status != DateProposal.Status.OPEN:
        raise ValidationError(_("This proposal has already been settled."))
    return move_meeting(proposal.meeting, proposal.starts_at, by=by, proposal=proposal)


def may_settle(user, meeting: Meeting) -> bool:
    """Moving, cancelling and accepting dates are the coordinator's (or the site owner's)."""
    return bool(user.is_authenticated) and (
        user.is_superuser or meeting.group.coordinator_id == user.pk
    )


def _settle_proposals(meeting: Meeting, accepted: DateProposal | None) -> None:
    open_ones = DateProposal.objects.filter(meeting=meeting, status=DateProposal.Status.OPEN)
    if accepted is not None:
        open_ones.filter(pk=accepted.pk).update(status=DateProposal.Status.ACCEPTED)
    open_ones.exclude(status=DateProposal.Status.ACCEPTED).update(status=DateProposal.Status.CLOSED)
    # The proposals' notices are answered by the news of the move or the cancellation.
    Notification.objects.filter(
        meeting=meeting, kind=Notification.Kind.DATE_PROPOSED, read_at__isnull=True
    ).update(read_at=timezone.now())


def _announce(meeting_id, kind: str, old_start: datetime, by) -> None:
    from .notifications import announce_change  # mail and notices build on this module

    announce_change(Meeting.objects.get(pk=meeting_id), kind, old_start, by)
