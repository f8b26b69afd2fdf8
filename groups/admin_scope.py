"""The admin, narrowed to what its user may see: a coordinator sees only their own groups.

A superuser sees every group. Anyone else with admin access (a coordinator: staff in the
"Coördinatoren" permission group, groups/coordinators.py) sees only the groups they coordinate,
and what belongs to them, on every page the admin offers: lists, filters, search, change and
delete pages, history, autocomplete, raw-id pop-ups, inlines, "view on site". Another group's
object answers
404, never 403: nothing confirms that it exists.

Deletion pages count what goes with an object instead of listing it (common/admin_deletion.py).
"""

from __future__ import annotations

import uuid

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from common.admin_deletion import CountedDeletionMixin

from .models import Group, Meeting, Membership

_CACHE = "_coordinated_group_ids"


def sees_everything(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


def coordinated_group_ids(request: HttpRequest) -> list:
    """The pks of the groups the request's user coordinates (read once per request)."""
    if not hasattr(request, _CACHE):
        ids = list(Group.objects.filter(coordinator=request.user).values_list("pk", flat=True))
        setattr(request, _CACHE, ids)
    return getattr(request, _CACHE)


def in_scope(queryset: QuerySet, request: HttpRequest, path: str) -> QuerySet:
    """`queryset` narrowed to the user's groups; `path` leads from its model to Group
    ("" for Group itself, "group", "meeting__group", …)."""
    if sees_everything(request.user):
        return queryset
    lookup = f"{path}__in" if path else "pk__in"
    return queryset.filter(**{lookup: coordinated_group_ids(request)})


# Models that belong to a group, with the lookup from each to Group. Apps above groups add
# theirs (cases/admin.py: Case → "group"), so that foreign keys and URLs naming them are narrowed.
SCOPED_MODELS: dict[type[Model], str] = {Group: "", Meeting: "group"}


def register_scoped_model(model: type[Model], path: str) -> None:
    SCOPED_MODELS[model] = path


def scoped_related(model, request: HttpRequest) -> QuerySet | None:
    """Choices for a foreign key to a group-owned model, narrowed; None for other models."""
    path = SCOPED_MODELS.get(model)
    if path is None:
        return None
    return in_scope(model._default_manager.all(), request, path)


def refuse_foreign_ids(request: HttpRequest) -> None:
    """404 when a URL's query names a group, meeting or case outside the user's groups (e.g. a
    changelist filtered on another group), so that the answer does not depend on what exists."""
    if sees_everything(request.user):
        return
    ids = set()
    for _key, values in request.GET.lists():
        for value in values:
            for part in value.split(","):
                try:
                    ids.add(uuid.UUID(part.strip()))
                except ValueError:
                    continue
    if not ids:
        return
    mine = coordinated_group_ids(request)
    for model, path in SCOPED_MODELS.items():
        if model._meta.pk.get_internal_type() != "UUIDField":
            continue
        outside = model._default_manager.filter(pk__in=ids).exclude(
            **{f"{path}__in" if path else "pk__in": mine}
        )
        if outside.exists():
            raise Http404


class GroupScopedAdmin(CountedDeletionMixin):
    """Mix into a ModelAdmin whose objects belong to a group; set `scope_path` to the lookup
    from the model to Group ("" for Group itself)."""

    scope_path: str = "group"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if sees_everything(request.user):
            return queryset
        lookup = f"{self.scope_path}__in" if self.scope_path else "pk__in"
        return queryset.filter(
            Q(**{lookup: coordinated_group_ids(request)}) | self.also_in_scope(request)
        )

    def also_in_scope(self, request: HttpRequest) -> Q:
        """Objects outside the user's groups that are theirs all the same (their own case)."""
        return Q(pk__in=[])

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:  # outside the user's groups, or gone: the same answer
            raise Http404
        return obj

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if "queryset" not in kwargs:
            narrowed = scoped_related(db_field.related_model, request)
            if narrowed is not None:
                kwargs["queryset"] = narrowed
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_list_filter(self, request: HttpRequest):
        filters = super().get_list_filter(request)
        if sees_everything(request.user):
            return filters
        # A related filter lists every object of its model; this one only those in the list.
        narrowed = []
        for item in filters:
            if isinstance(item, str) and self._is_relation(item):
                narrowed.append((item, admin.RelatedOnlyFieldListFilter))
            else:
                narrowed.append(item)
        return narrowed

    def _is_relation(self, path: str) -> bool:
        model = self.model
        field = None
        for name in path.split("__"):
            try:
                field = model._meta.get_field(name)
            except Exception:
                return False
            if not field.is_relation:
                return False
            model = field.related_model
        return field is not None and field.is_relation

    def changelist_view(self, request: HttpRequest, extra_context=None):
        refuse_foreign_ids(request)
        return super().changelist_view(request, extra_context)

    def changeform_view(
        self, request: HttpRequest, object_id=None, form_url="", extra_context=None
    ):
        refuse_foreign_ids(request)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request: HttpRequest, object_id, extra_context=None):
        refuse_foreign_ids(request)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request: HttpRequest, object_id, extra_context=None):
        refuse_foreign_ids(request)
        return super().history_view(request, object_id, extra_context)


class GroupScopedInline:
    """Mix into an inline: choices for foreign keys to group-owned models are narrowed too (the
    inline's rows themselves belong to the scoped parent)."""

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if "queryset" not in kwargs:
            narrowed = scoped_related(db_field.related_model, request)
            if narrowed is not None:
                kwargs["queryset"] = narrowed
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# ---- Users ------------------------------------------------------------------------------------

# Autocomplete sources that pick any member to be (fields on the Membership inline) versus those
# that pick among a meeting's members (roles, attendance).
ADDING_MEMBERS = {("groups", "membership", "user")}


def _autocomplete_source(request: HttpRequest) -> tuple[str, str, str] | None:
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != "autocomplete":
        return None
    return (
        request.GET.get("app_label", ""),
        request.GET.get("model_name", ""),
        request.GET.get("field_name", ""),
    )


class ScopedUserAdminMixin(CountedDeletionMixin):
    """Mix into the User admin. A coordinator sees the members (current and former) of their
    groups, read-only and without passwords or permissions. When adding a member, the lookup
    also finds someone outside their groups, but only by their exact username or e-mail
    address: the organisation's list of people is not browsable."""

    coordinator_fieldsets = (
        (None, {"fields": ("username",)}),
        ("personal", {"fields": ("first_name", "last_name", "email")}),
        ("dates", {"fields": ("is_active", "last_login", "date_joined")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if sees_everything(request.user):
            return queryset
        groups = coordinated_group_ids(request)
        source = _autocomplete_source(request)
        if source in ADDING_MEMBERS:
            return queryset.filter(is_active=True)  # narrowed in get_search_results
        members = Membership.objects.filter(group__in=groups)
        if source is not None:  # a meeting's roles, attendance, …: current members only
            members = members.filter(active=True)
        if source is None:  # the lists and pages: their members, and their own account
            return queryset.filter(Q(pk__in=members.values("user_id")) | Q(pk=request.user.pk))
        return queryset.filter(pk__in=members.values("user_id"))

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        if sees_everything(request.user) or _autocomplete_source(request) not in ADDING_MEMBERS:
            return super().get_search_results(request, queryset, search_term)
        groups = coordinated_group_ids(request)
        mine = queryset.filter(pk__in=Membership.objects.filter(group__in=groups).values("user_id"))
        results, distinct = super().get_search_results(request, mine, search_term)
        term = search_term.strip()
        if term:
            exact = queryset.filter(Q(username__iexact=term) | Q(email__iexact=term))
            results = results | exact
        return results, distinct

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def get_fieldsets(self, request: HttpRequest, obj=None):
        if sees_everything(request.user) or obj is None:
            return super().get_fieldsets(request, obj)
        from django.utils.translation import gettext_lazy as _

        names = {"personal": _("Personal info"), "dates": _("Important dates")}
        return [(names.get(name, name), options) for name, options in self.coordinator_fieldsets]

    def get_list_filter(self, request: HttpRequest):
        if sees_everything(request.user):
            return super().get_list_filter(request)
        return ("is_active",)

    def changelist_view(self, request: HttpRequest, extra_context=None):
        refuse_foreign_ids(request)
        return super().changelist_view(request, extra_context)


# ---- "View on site" ---------------------------------------------------------------------------


def scoped_view_on_site(request: HttpRequest, content_type_id: int, object_id: str) -> HttpResponse:
    """The admin's /admin/r/<type>/<id>/ redirect, answered only for objects the user may see in
    the admin (Django's own would confirm any object's existence to any staff user)."""
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist:
        raise Http404 from None
    model = content_type.model_class()
    model_admin = admin.site._registry.get(model) if model is not None else None
    if model_admin is None or not model_admin.has_view_or_change_permission(request):
        raise Http404
    try:
        exists = model_admin.get_queryset(request).filter(pk=object_id).exists()
    except (ValueError, ValidationError):  # a malformed id
        raise Http404 from None
    if not exists:
        raise Http404
    return shortcut(request, content_type_id, object_id)
