"""Cases in the admin: who brought which case, never what it says unless the contract allows.

A case is what a member brings to a group in confidence. Its content shows here only as
cases/access.py decides: everything to its owner; title, question, description and follow-up to
the group's coordinator while every member consents (each such read is recorded); to nobody else,
a superuser included. Drafts are listed to their owner only. Only the owner changes a case (its
status included), and nobody adds one here: members prepare their cases in the app.
"""

from django import forms
from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from common.admin_deletion import CountedDeletionMixin
from groups.admin_scope import GroupScopedAdmin, register_scoped_model
from groups.models import display_name

from . import access
from .models import PREPARATION_FIELDS, Case, CaseRead, CaseStatus

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
    "Only the inbrenger reads this case here, and the group's coordinator while every member "
    "of the group agrees; preparation and private notes stay the inbrenger's alone."
)
READ_NOTE = _(
    "You read this case with the consent of the group's members. The inbrenger sees that you "
    "opened it, and when."
)

FIELDSETS = [
    (None, {"fields": ["title", "group", "owner", "meeting", "status", "depth"]}),
    (_("The case"), {"fields": ["working_question", "reformulated_question", "description"]}),
    (_("Preparation"), {"fields": list(PREPARATION_FIELDS)}),
    (_("Afterwards"), {"fields": ["follow_up"]}),
]
PRIVATE_FIELDSET = (_("Only for you"), {"fields": PRIVATE_FIELDS})

register_scoped_model(Case, "group")


def hidden(field_name: str):
    """A readonly stand-in that shows a content field's label but never its value."""

    @admin.display(description=Case._meta.get_field(field_name).verbose_name)
    def show(model_admin, case: Case) -> str:
        return CONFIDENTIAL

    show.__name__ = f"hidden_{field_name}"
    return show


class OwnerCaseForm(forms.ModelForm):
    """The owner's own case: the status follows the lifecycle (Case.TRANSITIONS)."""

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        old = Case.objects.filter(pk=self.instance.pk).values_list("status", flat=True).first()
        if old is not None and status != old:
            probe = Case(status=old)
            if not probe.can_move_to(status):
                probe.move_to(status)  # raises the lifecycle's own message
        return status


class CaseAdmin(GroupScopedAdmin, admin.ModelAdmin):
    form = OwnerCaseForm
    list_display = ["title", "group", "owner_name", "status", "depth", "meeting"]
    list_select_related = ["group", "owner", "meeting__group"]
    list_filter = ["status", "depth", "group"]
    # Content is searched separately, only within cases the user may read.
    search_fields = ["title", "group__name", "owner__username", "owner__first_name"]
    autocomplete_fields = ["group", "owner", "meeting"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        others_draft = Q(status=CaseStatus.DRAFT) & ~Q(owner=request.user)
        return super().get_queryset(request).exclude(others_draft)

    def also_in_scope(self, request: HttpRequest) -> Q:
        return Q(owner=request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Case | None = None) -> bool:
        if obj is not None and obj.owner_id != request.user.pk:
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description=_("inbrenger"), ordering="owner__first_name")
    def owner_name(self, case: Case) -> str:
        return display_name(case.owner)  # a name, as everywhere, not a username

    def get_fieldsets(self, request: HttpRequest, obj: Case | None = None):
        who = access.reader(request.user, obj) if obj is not None else access.Reader.NOBODY
        if who == access.Reader.OWNER:
            return [*FIELDSETS, PRIVATE_FIELDSET]
        shown = set(access.visible_fields(who))
        fieldsets = [
            (name, {**options, "fields": [f if f in shown else hidden_name(f) for f in fields]})
            for name, options in FIELDSETS
            for fields in [options["fields"]]
        ]
        fieldsets[1][1]["description"] = READ_NOTE if shown else HIDDEN_NOTE
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Case | None = None):
        if obj is None:
            return []
        # A case stays with its inbrenger and group: moving it would also move who may read it.
        fixed = ["group", "owner"]
        if obj.owner_id == request.user.pk:
            return fixed
        return [*fixed, *(f"hidden_{name}" for name in CONTENT_FIELDS)]

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            case = response.context_data.get("original")
            if case is not None:
                who = access.reader(request.user, case)
                if access.visible_fields(who):
                    access.record_read(request, case, who, CaseRead.Channel.ADMIN)
        return response

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term:
            user = request.user
            own = Q()
            for name in [*CONTENT_FIELDS, *PRIVATE_FIELDS]:
                own |= Q(**{f"{name}__icontains": term})
            results |= queryset.filter(Q(owner=user) & own)
            as_member = Q()
            for name in access.GROUP_FIELDS:
                as_member |= Q(**{f"{name}__icontains": term})
            results |= queryset.filter(access.member_readable(user) & as_member)
            as_coordinator = Q()
            for name in access.COORDINATOR_FIELDS:
                as_coordinator |= Q(**{f"{name}__icontains": term})
            results |= queryset.filter(access.coordinator_readable(user) & as_coordinator)
        return results, may_have_duplicates


def hidden_name(field_name: str) -> str:
    return f"hidden_{field_name}" if field_name in CONTENT_FIELDS else field_name


for _name in CONTENT_FIELDS:
    setattr(CaseAdmin, f"hidden_{_name}", hidden(_name))

admin.site.register(Case, CaseAdmin)


@admin.register(CaseRead)
class CaseReadAdmin(CountedDeletionMixin, admin.ModelAdmin):
    """The access record, for the site administrator to audit: read-only, append-only."""

    list_display = ["read_at", "reader_name", "reader_role", "channel", "case", "address"]
    list_filter = ["reader_role", "channel"]
    list_select_related = ["case"]
    fields = [
        "read_at",
        "case",
        "reader",
        "reader_name",
        "reader_role",
        "channel",
        "path",
        "address",
    ]
    readonly_fields = fields

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def also_in_scope(self, request: HttpRequest) -> Q:
        return Q(owner=request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
