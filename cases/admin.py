"""Cases in the admin: the coordinator manages them, but may not read them by default.

A case is what a member brings to a group in confidence. In the admin its content is shown only
to its owner, or to the group's coordinator where the group's contract allows it; a superuser is
no exception. The owner's private notes are for the owner alone.
"""

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from groups.models import display_name

from .models import PREPARATION_FIELDS, Case, CaseStatus

CONTENT_FIELDS = [
    "working_question",
    "reformulated_question",
    "description",
    *PREPARATION_FIELDS,
    "follow_up",
]
PRIVATE_FIELDS = ["private_notes"]
CONFIDENTIAL = _("(confidential)")
HIDDEN_NOTE = _(
    "Only the inbrenger reads this case here, and the group's coordinator where the group's "
    "contract allows it."
)

FIELDSETS = [
    (None, {"fields": ["title", "group", "owner", "meeting", "status", "depth"]}),
    (_("The case"), {"fields": ["working_question", "reformulated_question", "description"]}),
    (
        _("Preparation"),
        {
            "fields": [
                "situation",
                "core",
                "why_problem",
                "tried",
                "tried_result",
                "ideal",
                "solution_idea",
            ]
        },
    ),
    (_("Afterwards"), {"fields": ["follow_up"]}),
]
PRIVATE_FIELDSET = (_("Only for you"), {"fields": PRIVATE_FIELDS})


def may_read_content(user, case: Case) -> bool:
    """The owner, or the group's coordinator where the contract allows (never a draft)."""
    if case.owner_id == user.pk:
        return True
    return (
        case.group.coordinator_may_read_cases
        and case.group.coordinator_id == user.pk
        and case.status != CaseStatus.DRAFT
    )


def readable_by(user) -> Q:
    """`may_read_content` as a filter, for searching content without leaking it."""
    return Q(owner=user) | (
        Q(group__coordinator=user, group__coordinator_may_read_cases=True)
        & ~Q(status=CaseStatus.DRAFT)
    )


def hidden(field_name: str):
    """A readonly stand-in that shows a content field's label but never its value."""

    @admin.display(description=Case._meta.get_field(field_name).verbose_name)
    def show(model_admin, case: Case) -> str:
        return CONFIDENTIAL

    show.__name__ = f"hidden_{field_name}"
    return show


class CaseAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "owner_name", "status", "depth", "meeting"]
    list_select_related = ["group", "owner", "meeting__group"]
    list_filter = ["status", "depth", "group"]
    # Content is searched separately, only within cases the user may read.
    search_fields = ["title", "group__name", "owner__username", "owner__first_name"]
    autocomplete_fields = ["group", "owner", "meeting"]

    @admin.display(description=_("inbrenger"), ordering="owner__first_name")
    def owner_name(self, case: Case) -> str:
        return display_name(case.owner)  # a name, as everywhere, not a username

    def get_fieldsets(self, request: HttpRequest, obj: Case | None = None):
        if obj is None:  # whoever adds the case is writing its content
            return FIELDSETS
        if not may_read_content(request.user, obj):
            hidden_fieldsets = [
                (name, {**options, "fields": [hidden_name(f) for f in options["fields"]]})
                for name, options in FIELDSETS
            ]
            hidden_fieldsets[1][1]["description"] = HIDDEN_NOTE
            return hidden_fieldsets
        if obj.owner_id == request.user.pk:
            return [*FIELDSETS, PRIVATE_FIELDSET]
        return FIELDSETS

    def get_readonly_fields(self, request: HttpRequest, obj: Case | None = None):
        if obj is None:
            return []
        # A case stays with its inbrenger and group: moving it would also move who may read it.
        fixed = ["group", "owner"]
        if not may_read_content(request.user, obj):
            return [*fixed, *(f"hidden_{name}" for name in CONTENT_FIELDS)]
        return fixed

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term:
            in_content = Q()
            for name in CONTENT_FIELDS:
                in_content |= Q(**{f"{name}__icontains": term})
            results |= queryset.filter(readable_by(request.user) & in_content)
            results |= queryset.filter(owner=request.user, private_notes__icontains=term)
        return results, may_have_duplicates


def hidden_name(field_name: str) -> str:
    return f"hidden_{field_name}" if field_name in CONTENT_FIELDS else field_name


for _name in CONTENT_FIELDS:
    setattr(CaseAdmin, f"hidden_{_name}", hidden(_name))

admin.site.register(Case, CaseAdmin)
