"""A member's cases: prepare, propose, edit, delete; afterwards the summary and the follow-up.

Who may do what: only the owner edits, deletes, proposes and reads the summary; group members
read a proposed case's title and question, the coordinator only with everyone's consent
(cases/access.py, which also records the coordinator's reads); everyone else gets a 404, so that
nobody learns a case exists.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common.documents import markdown_response, pdf_response
from groups.models import Group

from . import access
from .action_plan import ActionPlanForm
from .forms import CaseForm, FollowUpForm, HintsForm
from .formulation import check_formulation
from .models import ActionPlan, Case, CaseRead, CaseStatus
from .summary import build_summary, summary_case
from .summary_export import filename, meta_rows, summary_markdown, summary_pdf, when

EDITABLE = (CaseStatus.DRAFT, CaseStatus.PROPOSED)

# ---- Access -----------------------------------------------------------------------------------


def own_case(request: HttpRequest, case_id) -> Case:
    """The request user's own case, or 404 (never 403: a case's existence is confidential)."""
    return get_object_or_404(
        Case.objects.select_related("group", "owner"), pk=case_id, owner=request.user
    )


def readable_case(request: HttpRequest, case_id) -> tuple[Case, access.Reader]:
    case = get_object_or_404(Case.objects.select_related("group", "owner"), pk=case_id)
    who = access.reader(request.user, case)
    if who == access.Reader.NOBODY:
        raise Http404
    return case, who


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# ---- Preparing --------------------------------------------------------------------------------


def _wants_to_propose(request: HttpRequest) -> bool:
    return request.POST.get("intent") == "propose"


@login_required
def new_case(request: HttpRequest) -> HttpResponse:
    has_group = Group.objects.filter(
        memberships__user=request.user, memberships__active=True
    ).exists()
    form = CaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and has_group and form.is_valid():
        case = form.save(commit=False)
        case.owner = request.user
        case.status = CaseStatus.PROPOSED if _wants_to_propose(request) else CaseStatus.DRAFT
        case.save()
        if case.status == CaseStatus.PROPOSED:
            messages.success(request, _("Your case is proposed: the group sees its title."))
        else:
            messages.success(request, _("Saved as a draft. Only you can see it."))
        return redirect("cases:detail", case.pk)
    return render(
        request,
        "cases/form.html",
        {"form": form, "case": None, "has_group": has_group, "hints": None},
    )


@login_required
def edit_case(request: HttpRequest, case_id) -> HttpResponse:
    case = own_case(request, case_id)
    if case.status not in EDITABLE:
        messages.info(request, _("This case has been discussed; its question stays as brought."))
        return redirect("cases:detail", case.pk)
    form = CaseForm(request.POST or None, instance=case, user=request.user)
    if request.method == "POST" and form.is_valid():
        case = form.save(commit=False)
        if _wants_to_propose(request) and case.can_move_to(CaseStatus.PROPOSED):
            case.move_to(CaseStatus.PROPOSED)
            messages.success(request, _("Your case is proposed: the group sees its title."))
        else:
            messages.success(request, _("Your case is saved."))
        case.save()
        return redirect("cases:detail", case.pk)
    hints = check_formulation(case.working_question) if request.method == "GET" else None
    return render(
        request, "cases/form.html", {"form": form, "case": case, "has_group": True, "hints": hints}
    )


@login_required
@require_POST
def formulation_hints(request: HttpRequest) -> HttpResponse:
    """The formulation check as the member types (htmx, every half second of quiet)."""
    form = HintsForm(request.POST)
    question = form.cleaned_data["working_question"] if form.is_valid() else ""
    return render(
        request,
        "cases/hints.html",
        {"hints": check_formulation(question) if question.strip() else [], "question": question},
    )


# After the session, whatever the method, the inbrenger writes or edits their action plan here.
PLAN_EDITABLE = (CaseStatus.DISCUSSED, CaseStatus.FOLLOWED_UP)


def _detail(
    request: HttpRequest,
    case: Case,
    who: access.Reader,
    plan_form: ActionPlanForm | None = None,
    status: int = 200,
) -> HttpResponse:
    is_owner = who == access.Reader.OWNER
    recorded = access.record_read(request, case, who, CaseRead.Channel.SITE)
    context = {"case": case, "is_owner": is_owner, "recorded": recorded, "reader": who}
    if is_owner:
        plan = ActionPlan.objects.filter(case=case).first()
        context["plan"] = plan
        context["has_summary"] = case.rooms.exists()
        context["follow_up_form"] = FollowUpForm(initial={"follow_up": case.follow_up})
        context["reads"] = list(access.reads_of(case)[:50])
        if case.status in PLAN_EDITABLE:
            context["plan_form"] = plan_form or ActionPlanForm(instance=plan)
    return render(request, "cases/detail.html", context, status=status)


@login_required
def case_detail(request: HttpRequest, case_id) -> HttpResponse:
    return _detail(request, *readable_case(request, case_id))


@login_required
@require_POST
def edit_action_plan(request: HttpRequest, case_id) -> HttpResponse:
    """The same SMART plan as the room's action-plan step, on the case page after the session."""
    case = own_case(request, case_id)
    if case.status not in PLAN_EDITABLE:
        raise Http404
    plan = ActionPlan.objects.filter(case=case).first() or ActionPlan(case=case)
    form = ActionPlanForm(request.POST, instance=plan)
    if not form.is_valid():
        # Everything typed stays in the form, with the error beside the field it concerns.
        return _detail(request, case, access.Reader.OWNER, plan_form=form, status=422)
    form.save()
    messages.success(request, _("Your action plan is saved; your summary shows it."))
    return redirect(reverse("cases:detail", args=[case.pk]) + "#action-plan")


@login_required
@require_POST
def propose_case(request: HttpRequest, case_id) -> HttpResponse:
    case = own_case(request, case_id)
    if case.can_move_to(CaseStatus.PROPOSED):
        case.move_to(CaseStatus.PROPOSED)
        case.save(update_fields=["status", "updated_at"])
        messages.success(request, _("Your case is proposed: the group sees its title."))
    return redirect(_next_url(request, reverse("cases:detail", args=[case.pk])))


@login_required
@require_POST
def withdraw_case(request: HttpRequest, case_id) -> HttpResponse:
    """Back to a private draft (only while the case is proposed, not yet chosen)."""
    case = own_case(request, case_id)
    if case.status == CaseStatus.PROPOSED:
        case.move_to(CaseStatus.DRAFT)
        case.save(update_fields=["status", "updated_at"])
        messages.success(request, _("Your case is a private draft again."))
    return redirect(_next_url(request, reverse("cases:detail", args=[case.pk])))


@login_required
@require_POST
def share_in_logbook(request: HttpRequest, case_id) -> HttpResponse:
    case = own_case(request, case_id)
    case.share_in_logbook = request.POST.get("share") == "1"
    case.save(update_fields=["share_in_logbook", "updated_at"])
    if case.share_in_logbook:
        messages.success(request, _("The logbook shows your question and what became of it."))
    else:
        messages.success(request, _("The logbook shows only the title of your case."))
    return redirect("cases:detail", case.pk)


@login_required
def delete_case(request: HttpRequest, case_id) -> HttpResponse:
    """The inbrenger may always delete their case; a confirmation page comes first."""
    case = own_case(request, case_id)
    if request.method == "POST":
        title = case.title
        with transaction.atomic():
            case.delete()
        messages.success(request, _("“%(title)s” is deleted.") % {"title": title})
        return redirect("home")
    return render(request, "cases/confirm_delete.html", {"case": case})


# ---- After the session ------------------------------------------------------------------------


def _summary_for(request: HttpRequest, case_id):
    case = summary_case(case_id, request.user)
    if case is None:
        raise Http404
    summary = build_summary(case, request.user)
    if not summary.has_session:
        raise Http404
    return case, summary


@login_required
@require_GET
def summary_page(request: HttpRequest, case_id) -> HttpResponse:
    case, summary = _summary_for(request, case_id)
    return render(
        request,
        "cases/summary.html",
        {
            "case": case,
            "summary": summary,
            "meta_rows": meta_rows(summary),
            "meeting_when": when(summary.meeting_starts_at),
        },
    )


@login_required
@require_GET
def summary_pdf_view(request: HttpRequest, case_id) -> HttpResponse:
    _case, summary = _summary_for(request, case_id)
    return pdf_response(summary_pdf(summary), filename(summary, "pdf"))


@login_required
@require_GET
def summary_markdown_view(request: HttpRequest, case_id) -> HttpResponse:
    _case, summary = _summary_for(request, case_id)
    return markdown_response(summary_markdown(summary), filename(summary, "md"))


def _panel(request: HttpRequest, case: Case, form: FollowUpForm | None = None, **extra):
    context = {
        "case": case,
        "plan": ActionPlan.objects.filter(case=case).first(),
        "text": form.data.get("follow_up", "") if form is not None else case.follow_up,
        "errors": form.errors.get("follow_up", []) if form is not None else [],
        **extra,
    }
    return render(request, "cases/follow_up_panel.html", context)


@require_GET
def follow_up_panel(request: HttpRequest, case_id) -> HttpResponse:
    """Last time's action plan and the outcome form, for the inbrenger's phone in the lobby.
    Every phone asks, guests' too. Everyone but the owner gets 204 No Content: htmx swaps
    nothing and logs nothing (a 403/404 is logged as an error on every phone; a redirect to the
    login page would be swapped into the room)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    case = Case.objects.filter(pk=case_id, owner=request.user).first()
    if case is None or case.status != CaseStatus.DISCUSSED:
        return HttpResponse(status=204)
    return _panel(request, case)


@login_required
@require_POST
def record_follow_up(request: HttpRequest, case_id) -> HttpResponse:
    case = own_case(request, case_id)
    if case.status not in (CaseStatus.DISCUSSED, CaseStatus.FOLLOWED_UP):
        raise Http404
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            return _panel(request, case, form)
        messages.error(request, form.errors["follow_up"][0])
        return redirect(_next_url(request, reverse("cases:detail", args=[case.pk])))
    case.follow_up = form.cleaned_data["follow_up"]
    if case.can_move_to(CaseStatus.FOLLOWED_UP):
        case.move_to(CaseStatus.FOLLOWED_UP)
    case.save(update_fields=["follow_up", "status", "updated_at"])
    if request.htmx:
        return _panel(request, case, recorded=True)
    messages.success(request, _("Thank you: what became of it is recorded."))
    return redirect(_next_url(request, reverse("cases:detail", args=[case.pk])))
