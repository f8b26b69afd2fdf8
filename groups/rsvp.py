"""What the member's home shows about their answer for a meeting: yes/no/maybe, whether the
house rule asks them to propose a new date, and the dates proposed so far."""

from __future__ import annotations

from dataclasses import dataclass, field

from .forms import ProposeDateForm
from .models import Attendance, DateProposal, Meeting


@dataclass
class RsvpState:
    meeting: Meeting
    response: str = ""
    must_propose: bool = False
    message: str = ""
    proposals: list[DateProposal] = field(default_factory=list)
    form: ProposeDateForm | None = None
    proposed: bool = False  # this member proposed a date just now

    @property
    def show_form(self) -> bool:
        return self.must_propose or self.form is not None


def rsvp_states(meetings: list[Meeting], user) -> dict:
    """One state per meeting, in three queries however many meetings."""
    ids = [m.pk for m in meetings]
    mine = dict(
        Attendance.objects.filter(meeting_id__in=ids, user=user).values_list(
            "meeting_id", "response"
        )
    )
    cancellations: dict = {}
    for meeting_id, user_id in (
        Attendance.objects.filter(meeting_id__in=ids, response=Attendance.Response.NO)
        .order_by("responded_at", "pk")
        .values_list("meeting_id", "user_id")
    ):
        cancellations.setdefault(meeting_id, []).append(user_id)
    proposals: dict = {}
    open_proposals = DateProposal.objects.filter(
        meeting_id__in=ids, status=DateProposal.Status.OPEN
    ).select_related("proposed_by")
    for proposal in open_proposals:
        proposals.setdefault(proposal.meeting_id, []).append(proposal)
    states = {}
    for meeting in meetings:
        cancelled = cancellations.get(meeting.pk, [])
        proposed_by_me = any(p.proposed_by_id == user.pk for p in proposals.get(meeting.pk, []))
        states[meeting.pk] = RsvpState(
            meeting=meeting,
            response=mine.get(meeting.pk, ""),
            # The second to cancel (by the time of their answer) proposes a new date.
            must_propose=len(cancelled) > 1 and cancelled[1] == user.pk and not proposed_by_me,
            proposals=proposals.get(meeting.pk, []),
        )
    return states
