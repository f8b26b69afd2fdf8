"""What the cases app holds about a member (their cases), and how it forgets them.

Registered with privacy/registry.py. Erasing an account deletes the member's own cases with
everything about them: the preparation, the private notes, the action plan and, through the
`case_deleting` signal, what the session rooms held about them (sessions_app/retention.py).
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from privacy.registry import Field, Section, iso, register_eraser, register_section

from .models import PREPARATION_FIELDS, ActionPlan, Case, CaseRead
from .summary import ACTION_PLAN_FIELDS

CASE_TEXTS = (
    "title",
    "working_question",
    "reformulated_question",
    "description",
    *PREPARATION_FIELDS,
    "private_notes",
    "follow_up",
)
PLAN_FIELDS = (*ACTION_PLAN_FIELDS, "first_step", "first_step_on")


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _plan(case: Case) -> dict:
    """The action plan's fields, flat (`action_plan_specific`, …); empty without a plan."""
    try:
        plan = case.action_plan
    except ActionPlan.DoesNotExist:
        return dict.fromkeys((f"action_plan_{name}" for name in PLAN_FIELDS), None)
    record = {f"action_plan_{name}": getattr(plan, name) for name in PLAN_FIELDS}
    record["action_plan_first_step_on"] = iso(plan.first_step_on)
    return record


def cases_section(user) -> Section:
    cases = (
        Case.objects.filter(owner=user)
        .select_related("group", "meeting", "action_plan")
        .order_by("created_at")
    )
    fields = [
        Field("id", gettext_lazy("the case's number in the app")),
        Field("group", gettext_lazy("the group you brought it to")),
        Field("status", gettext_lazy("draft, proposed, chosen, discussed or followed up")),
        *[Field(name, _label(Case, name)) for name in CASE_TEXTS],
        Field("depth", gettext_lazy("the intervention depth you chose, 1 to 5")),
        Field("share_in_logbook", _label(Case, "share_in_logbook")),
        Field("meeting_starts_at", gettext_lazy("the meeting it was discussed in")),
        Field("created_at", gettext_lazy("when you wrote it")),
        Field("updated_at", gettext_lazy("when you last changed it")),
        Field(
            "contents_purged_at",
            gettext_lazy("when the group's retention period removed its texts"),
        ),
        *[
            Field(f"action_plan_{name}", _("action plan") + ": " + _label(ActionPlan, name))
            for name in PLAN_FIELDS
        ],
        Field("url", gettext_lazy("where you see the case in the app")),
    ]
    records = []
    for case in cases:
        record = {
            "id": str(case.pk),
            "group": case.group.name,
            "status": case.get_status_display(),
            **{name: getattr(case, name) for name in CASE_TEXTS},
            "depth": case.depth,
            "share_in_logbook": case.share_in_logbook,
            "meeting_starts_at": iso(case.meeting.starts_at) if case.meeting_id else None,
            "created_at": iso(case.created_at),
            "updated_at": iso(case.updated_at),
            "contents_purged_at": iso(case.contents_purged_at),
            **_plan(case),
            "url": reverse("cases:detail", args=[case.pk]),
        }
        records.append(record)
    return Section(
        key="cases",
        title=gettext_lazy("Your cases"),
        description=gettext_lazy(
            "The cases you prepared or brought in, with your preparation, your private notes, "
            "the reformulated question, your action plan and what became of it. Your private "
            "notes and drafts are yours alone. Each discussed case also has a summary you can "
            "download on its page."
        ),
        fields=fields,
        records=records,
        link=reverse("home"),
        link_label=gettext_lazy("Your cases on the start page"),
    )


def erase(user) -> dict[str, int]:
    """Delete the member's own cases; the rooms forget them through `case_deleting`."""
    deleted = 0
    for case in Case.objects.filter(owner=user):
        case.delete()  # one by one: each sends case_deleting before its row goes
        deleted += 1
    return {_("your cases, deleted with everything about them"): deleted}


def case_reads_section(user) -> Section | None:
    """Who opened the content of your cases with a coordinator's or administrator's rights, and
    what you opened of other people's cases that way (cases/access.py records both)."""
    of_yours = CaseRead.objects.filter(case__owner=user).select_related("case")
    by_you = CaseRead.objects.filter(reader=user).select_related("case")
    records = [
        {
            "case": read.case.title,
            "yours": read.case.owner_id == user.pk,
            "read_by": read.reader_name,
            "as": read.get_reader_role_display(),
            "read_at": iso(read.read_at),
            "where": read.get_channel_display(),
            "page": read.path,
        }
        for read in sorted({*of_yours, *by_you}, key=lambda r: r.read_at)
    ]
    return Section(
        key="case_reads",
        title=gettext_lazy("Who read case content"),
        description=gettext_lazy(
            "Every time a coordinator or the site administrator opened the content of one of "
            "your cases (only possible when every member of the group agreed), and every time "
            "you opened someone else's case that way. These records cannot be changed."
        ),
        fields=[
            Field("case", gettext_lazy("the case's title")),
            Field("yours", gettext_lazy("true for your own case, false for a case you read")),
            Field("read_by", gettext_lazy("who opened it, as their name was then")),
            Field("as", gettext_lazy("coordinator or site administrator")),
            Field("read_at", gettext_lazy("when")),
            Field("where", gettext_lazy("in the app or in the administration")),
            Field("page", gettext_lazy("the page that was opened")),
        ],
        records=records,
    )


register_section("cases", cases_section, order=300)
register_section("case_reads", case_reads_section, order=310)
register_eraser("cases", erase, order=200)
