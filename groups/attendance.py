"""RSVP for a meeting, with the house rule "the second person to cancel arranges a new date";
and presence on record (who confirmed it, and how), from the room or the admin."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Attendance, DateProposal, Meeting, Membership

RESPONSES = frozenset(Attendance.Response.values)
NOTE_MAX_LENGTH = DateProposal._meta.get_field("note").max_length


@dataclass(frozen=True)
class RsvpOutcome:
    attendance: Attendance
    must_propose_date: bool
    message: str


def respond(
    meeting: Meeting, user: AbstractBaseUser, response: str, now: datetime | None = None
) -> RsvpOutcome:
    """Record `user`'s yes/no/maybe for `meeting` and tell them whether they must find a new date.

    Only the current answers count: a member who goes no → yes → no cancels once, not twice,
    and whoever finds exactly one *other* member's "no" is the second to cancel.
    """
    if response not in RESPONSES:
        raise ValueError(_("Answer yes, no or maybe (got %(response)r).") % {"response": response})
    _check_member(meeting, user)
    now = now or timezone.now()
    with transaction.atomic():
        # Lock the meeting so two members cancelling at once cannot both be "second".
        Meeting.objects.select_for_update().only("pk").get(pk=meeting.pk)
        others_cancelled = (
            Attendance.objects.filter(meeting=meeting, response=Attendance.Response.NO)
            .exclude(user=user)
            .count()
        )
        attendance, _created = Attendance.objects.update_or_create(
            meeting=meeting, user=user, defaults={"response": response, "responded_at": now}
        )
    must_propose = response == Attendance.Response.NO and others_cancelled == 1
    return RsvpOutcome(attendance, must_propose, _rsvp_message(response, must_propose))


def propose_new_date(
    meeting: Meeting,
    user: AbstractBaseUser,
    starts_at: datetime,
    note: str = "",
    *,
    now: datetime | None = None,
) -> DateProposal:
    """A member proposes a new date for `meeting` (usually the second to cancel)."""
    _check_member(meeting, user)
    if timezone.is_naive(starts_at):
        raise ValueError(_("The new date needs a time zone."))
    if starts_at <= (now or timezone.now()):
        raise ValueError(_("The new date must be in the future."))
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValueError(_("Keep the note to %(max)d characters.") % {"max": NOTE_MAX_LENGTH})
    if meeting.status != Meeting.Status.PLANNED:
        raise ValueError(_("This meeting no longer takes answers."))
    proposal = DateProposal.objects.create(
        meeting=meeting, proposed_by=user, starts_at=starts_at, note=note
    )
    # The coordinator and the group hear of it (after the proposal is safely stored).
    transaction.on_commit(lambda: _announce_proposal(proposal))
    return proposal


def _announce_proposal(proposal: DateProposal) -> None:
    from .notifications import announce_proposal  # notifications build on this module

    announce_proposal(proposal)


def _check_member(meeting: Meeting, user: AbstractBaseUser) -> None:
    is_member = (
        user.is_authenticated
        and Membership.objects.filter(group_id=meeting.group_id, user=user, active=True).exists()
    )
    if not is_member:
        raise ValueError(_("Only members of this group can do this."))


def _rsvp_message(response: str, must_propose: bool) -> str:
    if must_propose:
        return _(
            "You are the second to cancel. House rule: please propose a new date for the group."
        )
    if response == Attendance.Response.YES:
        return _("Thanks, see you there.")
    if response == Attendance.Response.MAYBE:
        return _("Noted as maybe. Please let the group know for sure as soon as you can.")
    return _("Noted that you cannot come.")


def record_presence(
    meeting: Meeting,
    present_ids: Iterable[int],
    *,
    by,
    via: str,
    absent_ids: Iterable[int] = (),
    now: datetime | None = None,
) -> None:
    """Mark members present (and, where given, absent), with who confirmed it and how.

    `by` confirms everyone's presence except their own: a facilitator ticking themselves present
    is recorded, but stays unconfirmed until someone else confirms it."""
    now = now or timezone.now()
    present_ids, absent_ids = set(present_ids), set(absent_ids) - set(present_ids)
    answered = {a.user_id: a for a in Attendance.objects.filter(meeting=meeting)}
    for user_id in present_ids | absent_ids:
        here = user_id in present_ids
        attendance = answered.get(user_id) or Attendance(
            meeting=meeting,
            user_id=user_id,
            response=Attendance.Response.YES if here else Attendance.Response.NO,
        )
        unchanged = attendance.pk and attendance.present == here and attendance.confirmed_by_id
        if unchanged:
            continue  # already confirmed by someone: keep that evidence
        attendance.present = here
        attendance.recorded_via = via
        attendance.recorded_at = now
        attendance.confirmed_by = by if by is not None and by.pk != user_id else None
        attendance.save()
