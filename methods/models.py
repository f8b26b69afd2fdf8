"""What methods and their steps are: data plus a little behaviour, no live state."""

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .i18n import localized, localized_value

ROLES = ("facilitator", "inbrenger", "participant", "observer")


class InteractionKind(models.TextChoices):
    INFO = "info", _("Read and talk")
    THINK = "think", _("Think and write alone")
    QUESTION_ROUND = "question_round", _("Question rounds")
    COLLECT = "collect", _("Collect on a board")
    RATE = "rate", _("Rate")
    PICK = "pick", _("Pick")
    VOTE = "vote", _("Vote")
    REFORMULATE = "reformulate", _("Reformulate")
    ACTION_PLAN = "action_plan", _("Action plan")
    EVALUATE = "evaluate", _("Evaluate")
    LISTEN_ONLY = "listen_only", _("Inbrenger listens only")
    PAIRS = "pairs", _("Pair rounds")
    SHARE = "share", _("Share in turns")


class InbrengerMode(models.TextChoices):
    PRESENT = "present", _("Takes part")
    LISTEN_ONLY = "listen_only", _("Listens only")
    AWAY = "away", _("Away")


READY_KINDS = frozenset(
    {
        InteractionKind.THINK,
        InteractionKind.COLLECT,
        InteractionKind.EVALUATE,
    }
)


class MethodQuerySet(models.QuerySet):
    def active(self) -> "MethodQuerySet":
        return self.filter(is_active=True)


def new_steps_version() -> int:
    """A fresh random token: a rolled-back or recreated method never repeats an old one."""
    return secrets.randbits(62)


class Method(models.Model):
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    summary_nl = models.TextField(_("summary (Dutch)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_builtin = models.BooleanField(
        _("from the library"),
        default=False,
        help_text=_("Shipped with Intervisie. Copy it to make your own variant."),
    )
    is_active = models.BooleanField(_("available"), default=True)
    # Changes whenever a step of this method is saved or deleted: the key of the per-process
    # step cache the live room reads (methods/cache.py).
    # (db_default: rows inserted through historical models in migrations get 0.)
    steps_version = models.BigIntegerField(default=new_steps_version, db_default=0, editable=False)

    objects = MethodQuerySet.as_manager()

    class Meta:
        ordering = ["name_nl"]
        verbose_name = _("method")
        verbose_name_plural = _("methods")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def summary(self) -> str:
        return localized(self, "summary")

    def default_minutes(self) -> int:
        return sum(step.default_minutes for step in self.steps.all())

    def copy(self, *, slug: str, name_nl: str, name_en: str = "") -> "Method":
        """A coordinator's own editable variant, with all steps copied."""
        clone = Method.objects.create(
            slug=slug,
            name_nl=name_nl,
            name_en=name_en or name_nl,
            summary_nl=self.summary_nl,
            summary_en=self.summary_en,
            source=self.source,
            is_builtin=False,
        )
        for step in self.steps.all():
            step.pk = None
            step.method = clone
            step.save()
        return clone


class Step(models.Model):
    method = models.ForeignKey(
        Method, verbose_name=_("method"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    key = models.SlugField(_("key"), max_length=60)
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    kind = models.CharField(_("interaction"), max_length=20, choices=InteractionKind.choices)
    inbrenger_mode = models.CharField(
        _("inbrenger"), max_length=12, choices=InbrengerMode.choices, default=InbrengerMode.PRESENT
    )
    default_minutes = models.PositiveSmallIntegerField(_("minutes"))
    min_minutes = models.PositiveSmallIntegerField(_("at least"))
    max_minutes = models.PositiveSmallIntegerField(_("at most"))
    facilitator_nl = models.TextField(_("facilitator (Dutch)"), blank=True)
    facilitator_en = models.TextField(_("facilitator (English)"), blank=True)
    inbrenger_nl = models.TextField(_("inbrenger (Dutch)"), blank=True)
    inbrenger_en = models.TextField(_("inbrenger (English)"), blank=True)
    participant_nl = models.TextField(_("participant (Dutch)"), blank=True)
    participant_en = models.TextField(_("participant (English)"), blank=True)
    observer_nl = models.TextField(_("observer (Dutch)"), blank=True)
    observer_en = models.TextField(_("observer (English)"), blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    branch_question_nl = models.CharField(_("branch question (Dutch)"), max_length=200, blank=True)
    branch_question_en = models.CharField(
        _("branch question (English)"), max_length=200, blank=True
    )
    branch_if_no = models.SlugField(
        _("if no, go to step"),
        max_length=60,
        blank=True,
        help_text=_("Key of the step to continue with when the answer is no; yes continues."),
    )

    class Meta:
        ordering = ["method", "order"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(fields=["method", "order"], name="step_order_unique"),
            models.UniqueConstraint(fields=["method", "key"], name="step_key_unique"),
            models.CheckConstraint(
                condition=models.Q(min_minutes__gte=1)
                & models.Q(min_minutes__lte=models.F("default_minutes"))
                & models.Q(default_minutes__lte=models.F("max_minutes")),
                name="step_minutes_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        steps_changed(self.method_id)

    def delete(self, *args, **kwargs):
        method_id = self.method_id
        result = super().delete(*args, **kwargs)
        steps_changed(method_id)
        return result

    def clean(self) -> None:
        minutes = (self.min_minutes, self.default_minutes, self.max_minutes)
        if None not in minutes and not (1 <= minutes[0] <= minutes[1] <= minutes[2]):
            raise ValidationError(_("Minutes must satisfy 1 ≤ at least ≤ minutes ≤ at most."))
        if self.branch_if_no and not self.branch_question_nl:
            raise ValidationError({"branch_question_nl": _("A branch needs a question.")})

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def branch_question(self) -> str:
        return localized(self, "branch_question")

    @property
    def has_branch(self) -> bool:
        return bool(self.branch_if_no)

    def instructions_for(self, role: str) -> str:
        """The instruction text for one audience (facilitator, inbrenger, participant, observer)."""
        if role not in ROLES:
            raise ValueError(role)
        return localized(self, role)

    @property
    def activity_label(self) -> str:
        """What people do in this step, shown beside "Step 3 of 7": the step's own `label`
        option, else a description of its interaction that fits how the step is set up."""
        options = self.options or {}
        if options.get("label"):
            return localized_value(options["label"])
        if self.kind == InteractionKind.COLLECT and options.get("hidden_until_reveal"):
            return str(_("Write alone"))
        return self.get_kind_display()

    @property
    def asks_ready(self) -> bool:
        """Steps where the helpers think or write alone: their phones get a "ready" button and
        the laptop counts who is ready. (Not the action plan: only the inbrenger writes it while
        the group listens, so there is nobody to wait for.)"""
        return self.kind in READY_KINDS

    @property
    def inbrenger_listens_only(self) -> bool:
        return self.inbrenger_mode == InbrengerMode.LISTEN_ONLY


def steps_changed(method_id) -> None:
    """Call after changing a method's steps by other means than Step.save()/delete() (queryset
    updates and deletes): running rooms then read the new steps."""
    Method.objects.filter(pk=method_id).update(steps_version=new_steps_version())
