"""The roadmap: axes → action sheets → actions → steps and milestones (Decidim's accountability tree).

Dates are kept as written (`when`, e.g. "début 2021") beside the range they resolve to (steering.dates). Status
is set by the programme team; "late" is also inferred for open items past their end (see steering.roadmap).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from essor.core.i18n_fields import translated

PROGRESS_VALIDATORS = [MaxValueValidator(100)]


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    LATE = "late", _("Late")
    DROPPED = "dropped", _("Dropped")


class Axis(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)

    title = translated("title")

    class Meta:
        ordering = ["number"]
        verbose_name = _("axis")
        verbose_name_plural = _("axes")

    def __str__(self):
        return f"{_('Axis')} {self.number} — {self.title_fr}"


class ActionSheet(models.Model):
    axis = models.ForeignKey(Axis, verbose_name=_("axis"), on_delete=models.PROTECT, related_name="sheets")
    # Sheets are numbered across the whole programme ("Fiche-action n°3" under axis 2): the number identifies one.
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    contributors = models.TextField(_("other contributors"), blank=True)
    context = models.TextField(_("context"), blank=True)
    objectives = models.JSONField(_("objectives"), default=list, blank=True)
    means = models.TextField(_("human and financial means"), blank=True)
    partners = models.ManyToManyField(
        "accounts.Organisation", verbose_name=_("partners"), related_name="partner_of_sheets", blank=True
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Published sheets appear on the public roadmap.")
    )
    demo_progress = models.BooleanField(
        _("statuses set by the demonstration"),
        default=False,
        help_text=_(
            "The sheet is real; the statuses and completion of its actions are invented for the demo."
        ),
    )
    source_file = models.CharField(_("source file"), max_length=200, blank=True)
    source_sha256 = models.CharField(_("source checksum (SHA-256)"), max_length=64, blank=True)
    source_lines = models.JSONField(_("source lines of the sections"), default=dict, blank=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    title = translated("title")

    class Meta:
        ordering = ["axis__number", "number"]
        verbose_name = _("action sheet")
        verbose_name_plural = _("action sheets")

    def __str__(self):
        return f"{_('Action sheet')} {self.number} — {self.title_fr}"

    def get_absolute_url(self):
        return reverse("steering:sheet", args=[self.number])


class Action(models.Model):
    sheet = models.ForeignKey(
        ActionSheet, verbose_name=_("action sheet"), on_delete=models.CASCADE, related_name="actions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title_fr = models.CharField(_("title (French)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    text = models.TextField(_("description"), blank=True)
    status = models.CharField(
        pgettext_lazy("progress", "status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("completion (%)"),
        default=0,
        validators=PROGRESS_VALIDATORS,
        help_text=_("Used when the action has no steps; otherwise the steps' completion is rolled up."),
    )
    source_line = models.PositiveIntegerField(_("source line"), null=True, blank=True)

    title = translated("title")

    class Meta:
        ordering = ["sheet", "position"]
        constraints = [models.UniqueConstraint(fields=["sheet", "position"], name="one_action_per_position")]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self):
        return self.title_fr


class StepKind(models.TextChoices):
    STEP = "step", _("Step")
    MILESTONE = "milestone", _("Milestone")


class Step(models.Model):
    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=StepKind.choices, default=StepKind.STEP)
    text_fr = models.TextField(_("text (French)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    when = models.CharField(
        _("date as written"), max_length=100, blank=True, help_text=_("e.g. « début 2021 »")
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        pgettext_lazy("progress", "status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("completion (%)"), default=0, validators=PROGRESS_VALIDATORS
    )
    source_line = models.PositiveIntegerField(_("source line"), null=True, blank=True)

    text = translated("text")

    class Meta:
        ordering = ["action", "position"]
        constraints = [
            models.UniqueConstraint(fields=["action", "position"], name="one_step_per_position"),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="step_ends_after_start",
            ),
        ]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self):
        return self.text_fr[:80]


class ParticipantRole(models.TextChoices):
    BOARD_REFERENT = "board_referent", _("Board referent")
    TEAM_REFERENT = "team_referent", _("Team referent")
    CONTRIBUTOR = "contributor", _("Contributor")


class Participant(models.Model):
    """A person named on a sheet (referents, contributors), optionally tied to an account."""

    sheet = models.ForeignKey(
        ActionSheet, verbose_name=_("action sheet"), on_delete=models.CASCADE, related_name="participants"
    )
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices)
    name = models.CharField(_("name"), max_length=200)
    note = models.CharField(_("note"), max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["sheet", "role", "name"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "role", "name"], name="one_participant_per_role")
        ]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"
