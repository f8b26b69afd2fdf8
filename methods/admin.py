"""The method library in the admin: coordinators read, tune and copy methods with their steps."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import Count, F, QuerySet, Sum
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin_deletion import CountedDeletionMixin

from .models import Method, Step, steps_changed

COPY_SUFFIX = "kopie"


def copy_slug(slug: str) -> str:
    """The first free slug of the form "<slug>-kopie", "<slug>-kopie-2", … (within 80 chars)."""
    base = f"{slug[: 80 - len(COPY_SUFFIX) - 5]}-{COPY_SUFFIX}"
    taken = set(Method.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


class StepFormSet(BaseInlineFormSet):
    """Checks what spans steps: each "if no, go to step" must name another step of this method."""

    def clean(self) -> None:
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not self._should_delete_form(f)]
        keys = {form.cleaned_data.get("key") for form in kept}
        for form in kept:
            target = form.cleaned_data.get("branch_if_no")
            if target and (target not in keys or target == form.cleaned_data.get("key")):
                form.add_error(
                    "branch_if_no", _("There is no other step with the key “%s”.") % target
                )


class StepForm(forms.ModelForm):
    """The single-step form checks the branch target against the method's other steps.

    No Meta: the admin builds it for Step with the fields of its fieldsets.
    """

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        target, method = data.get("branch_if_no"), data.get("method")
        others = Step.objects.filter(method=method, key=target).exclude(pk=self.instance.pk)
        if target and method and not others.exists():
            self.add_error("branch_if_no", _("There is no other step with the key “%s”.") % target)
        return data


class StepInline(admin.StackedInline):
    model = Step
    formset = StepFormSet
    extra = 0
    ordering = ("order",)
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("order", "key"),
                    ("name_nl", "name_en"),
                    ("kind", "inbrenger_mode"),
                    ("default_minutes", "min_minutes", "max_minutes"),
                )
            },
        ),
        (
            _("Texts for each role"),
            {
                "classes": ("collapse",),
                "description": _("What each role sees during this step, in Dutch and English."),
                "fields": (
                    ("facilitator_nl", "facilitator_en"),
                    ("inbrenger_nl", "inbrenger_en"),
                    ("participant_nl", "participant_en"),
                    ("observer_nl", "observer_en"),
                ),
            },
        ),
        (
            _("Branch and options"),
            {
                "classes": ("collapse",),
                "fields": (("branch_question_nl", "branch_question_en"), "branch_if_no", "options"),
            },
        ),
    )


@admin.register(Method)
class MethodAdmin(CountedDeletionMixin, admin.ModelAdmin):
    inlines = [StepInline]
    list_display = (
        "name_nl",
        "slug",
        "step_count",
        "minutes_total",
        "is_builtin",
        "is_active",
    )
    list_filter = ("is_builtin", "is_active")
    search_fields = ("name_nl", "name_en", "slug", "summary_nl", "source")
    prepopulated_fields = {"slug": ("name_nl",)}
    actions = ["copy_methods"]
    fieldsets = (
        (None, {"fields": ("name_nl", "name_en", "slug", "is_active")}),
        (_("About"), {"fields": ("summary_nl", "summary_en", "source", "is_builtin")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Method]:
        # One query for the whole changelist, whatever the number of methods.
        return (
            super()
            .get_queryset(request)
            .annotate(step_count=Count("steps"), minutes_total=Sum("steps__default_minutes"))
        )

    def get_fieldsets(self, request: HttpRequest, obj: Method | None = None) -> Any:
        if obj is None or not obj.is_builtin:
            return self.fieldsets
        note = _(
            "This method comes with the library. You can edit it, but a new import of the "
            "library replaces your changes: to make your own variant, use the action "
            "“Copy method” in the list of methods."
        )
        (name, options), *rest = self.fieldsets
        return ((name, {**options, "description": note}), *rest)

    @admin.display(description=_("steps"), ordering="step_count")
    def step_count(self, method: Method) -> int:
        return method.step_count

    @admin.display(description=_("minutes"), ordering="minutes_total")
    def minutes_total(self, method: Method) -> int:
        return method.minutes_total or 0

    @admin.action(description=_("Copy method"))
    def copy_methods(self, request: HttpRequest, queryset: QuerySet[Method]) -> None:
        copies = []
        with transaction.atomic():
            for method in queryset.order_by("pk"):
                copies.append(
                    method.copy(
                        slug=copy_slug(method.slug),
                        name_nl=f"{method.name_nl} (kopie)"[:120],
                        name_en=f"{method.name_en} (copy)"[:120] if method.name_en else "",
                    )
                )
        self.message_user(
            request,
            ngettext(
                "Made an editable copy: %(names)s.",
                "Made editable copies: %(names)s.",
                len(copies),
            )
            % {"names": ", ".join(f"“{copy.name_nl}”" for copy in copies)},
            messages.SUCCESS,
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is Step and change:
            # (method, order) is unique at every moment, so renumbering (swapping two steps,
            # inserting one) would collide halfway: park all steps on free numbers first and
            # give the unchanged ones their number back afterwards.
            steps = Step.objects.filter(method=form.instance)
            new_orders = [f.cleaned_data.get("order") or 0 for f in formset.forms if f.cleaned_data]
            parking = max([0, *new_orders, *steps.values_list("order", flat=True)])
            steps.update(order=F("order") + parking)
            formset.save()
            for step_form in formset.initial_forms:
                if step_form in formset.deleted_forms or step_form.has_changed():
                    continue
                Step.objects.filter(pk=step_form.instance.pk).update(order=step_form.instance.order)
            steps_changed(form.instance.pk)
        else:
            formset.save()


@admin.register(Step)
class StepAdmin(CountedDeletionMixin, admin.ModelAdmin):
    form = StepForm
    list_display = ("__str__", "method", "key", "kind", "inbrenger_mode", "default_minutes")
    list_filter = ("method", "kind", "inbrenger_mode")
    list_select_related = ("method",)
    search_fields = ("name_nl", "name_en", "key", "method__name_nl")
    ordering = ("method__name_nl", "order")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "method",
                    ("order", "key"),
                    ("name_nl", "name_en"),
                    ("kind", "inbrenger_mode"),
                    ("default_minutes", "min_minutes", "max_minutes"),
                )
            },
        ),
        StepInline.fieldsets[1],
        StepInline.fieldsets[2],
    )
    formfield_overrides = StepInline.formfield_overrides
