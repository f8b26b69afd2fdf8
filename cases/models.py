"""A case: the work question a member brings, and its lifecycle."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Depth(models.IntegerChoices):
    """The five intervention depths (source 000 §6); the inbrenger decides how deep to go."""

    CONTENT = 1, _("Content, procedure, knowledge")
    WORKING = 2, _("Way of working, time, results")
    RELATIONS = 3, _("Relations between teams, culture")
    INTERPERSONAL = 4, _("Feelings and how others perceive me")
    INTRAPERSONAL = 5, _("Personal goals, drives and blocks")


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PROPOSED = "proposed", _("proposed")
    CHOSEN = "chosen", _("chosen")
    DISCUSSED = "discussed", _("discussed")
    FOLLOWED_UP = "followed_up", _("followed up")


# The preparation questions (source 000 §7), in the order the form asks them.
PREPARATION_FIELDS = (
    "situation",
    "core",
    "why_problem",
    "tried",
    "tried_result",
    "ideal",
    "solution_idea",
)

# The lifecycle: proposed → chosen → discussed → followed up (a draft stays private).
TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.DRAFT: {CaseStatus.PROPOSED},
    CaseStatus.PROPOSED: {CaseStatus.CHOSEN, CaseStatus.DRAFT},
    CaseStatus.CHOSEN: {CaseStatus.DISCUSSED, CaseStatus.PROPOSED},
    CaseStatus.DISCUSSED: {CaseStatus.FOLLOWED_UP},
    CaseStatus.FOLLOWED_UP: set(),
}


class Case(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(
        "groups.Group", verbose_name=_("group"), on_delete=models.CASCADE, related_name="cases"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inbrenger"),
        on_delete=models.CASCADE,
        related_name="cases",
    )
    title = models.CharField(_("title"), max_length=120)
    working_question = models.CharField(_("working question"), max_length=400)
    reformulated_question = models.CharField(_("reformulated question"), max_length=400, blank=True)
    description = models.TextField(_("description"), blank=True)
    depth = models.PositiveSmallIntegerField(
        _("intervention depth"), choices=Depth.choices, default=Depth.WORKING
    )
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.PROPOSED
    )
    meeting = models.ForeignKey(
        "groups.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    # Preparation questions (source 000 §7); all optional.
    situation = models.TextField(_("what is the situation?"), blank=True)
    core = models.TextField(_("what is the core?"), blank=True)
    why_problem = models.TextField(_("why is it a problem for me?"), blank=True)
    tried = models.TextField(_("what have I tried?"), blank=True)
    tried_result = models.TextField(_("what did that give?"), blank=True)
    ideal = models.TextField(_("what would the ideal situation be?"), blank=True)
    solution_idea = models.TextField(_("what do I see as a solution?"), blank=True)
    # The inbrenger's private notepad during listen-only steps; only the owner reads it.
    private_notes = models.TextField(_("private notes"), blank=True)
    follow_up = models.TextField(_("what became of it"), blank=True)
    # The group's logbook names the case by its title only, unless the inbrenger allows more.
    share_in_logbook = models.BooleanField(
        _("share my question in the group's logbook"),
        default=False,
        help_text=_(
            "Off: the logbook shows only the title. On: it also shows your working question "
            "and what became of it."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    # Set by `manage.py purge_expired_cases` once the group's retention period removed the texts.
    contents_purged_at = models.DateTimeField(_("contents removed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.title

    @property
    def current_question(self) -> str:
        return self.reformulated_question or self.working_question

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]

    def move_to(self, status: str) -> None:
        if not self.can_move_to(status):
            raise ValidationError(
                _("A case cannot go from %(old)s to %(new)s.")
                % {"old": self.get_status_display(), "new": CaseStatus(status).label}
            )
        self.status = status

    def visible_to(self, user) -> bool:
        """Only the group may ever see a case; the coordinator only with everyone's consent.
        The rule lives in cases/access.py."""
        from .access import may_read  # access builds on these models

        return may_read(user, self)


class ActionPlan(models.Model):
    """The inbrenger's SMART plan for their case; the next meeting asks what became of it."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="action_plan")
    specific = models.TextField(_("specific: what exactly will I do?"), blank=True)
    measurable = models.TextField(_("measurable: how will I know it worked?"), blank=True)
    acceptable = models.TextField(_("acceptable: why does it matter to me?"), blank=True)
    realistic = models.TextField(_("realistic: what makes it doable?"), blank=True)
    time_bound = models.TextField(_("time-bound: by when?"), blank=True)
    first_step = models.CharField(_("my first step"), max_length=300, blank=True)
    first_step_on = models.DateField(_("first step on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return self.first_step or self.specific[:60]


class CaseReadQuerySet(models.QuerySet):
    """Append-only: records are added, never changed or removed one by one (deleting the case
    or erasing an account removes them through the database's cascade, not through here)."""

    def update(self, **kwargs):
        raise PermissionError("The access record of a case cannot be changed.")

    def delete(self):
        raise PermissionError("The access record of a case cannot be deleted.")


class CaseRead(models.Model):
    """Someone other than the inbrenger opened the content of a case with a coordinator's or the
    site owner's rights. The inbrenger sees these on their case page (cases/access.py)."""

    class Channel(models.TextChoices):
        SITE = "site", _("in the app")
        ADMIN = "admin", _("in the administration")

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("coordinator")
        SUPERUSER = "superuser", _("site administrator")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reads")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("read by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # Kept as written at the time: the record stays readable after the account is gone.
    reader_name = models.CharField(_("name"), max_length=150)
    reader_role = models.CharField(_("as"), max_length=12, choices=Role.choices)
    read_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    channel = models.CharField(_("where"), max_length=8, choices=Channel.choices)
    path = models.CharField(_("page"), max_length=300)
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True)

    objects = CaseReadQuerySet.as_manager()

    class Meta:
        ordering = ["-read_at"]
        verbose_name = _("access record")
        verbose_name_plural = _("access records")

    def __str__(self) -> str:
        return f"{self.reader_name} · {self.case_id}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise PermissionError("The access record of a case cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access record of a case cannot be deleted.")
