"""Conventions with funders (the State's model multi-year convention) and their steering committees."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from essor.core.i18n_fields import translated


class Convention(models.Model):
    title_fr = models.CharField(_("title (French)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, help_text=_("e.g. ANCT 2020/2022")
    )
    funder = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("funder"),
        on_delete=models.PROTECT,
        related_name="funded_conventions",
    )
    parties = models.ManyToManyField(
        "accounts.Organisation", verbose_name=_("parties"), related_name="party_to_conventions", blank=True
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    final_report_due_on = models.DateField(
        _("final report due on"),
        null=True,
        blank=True,
        help_text=_("Three months before the end in the State's model."),
    )
    action_sheets = models.ManyToManyField(
        "steering.ActionSheet", verbose_name=_("action sheets"), related_name="conventions", blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("A published convention's report is public.")
    )
    is_demo = models.BooleanField(_("demonstration content"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    title = translated("title")

    class Meta:
        ordering = ["starts_on", "title_fr"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="convention_ends_after_start"
            )
        ]
        verbose_name = _("convention")
        verbose_name_plural = _("conventions")

    def __str__(self):
        return self.title_fr

    def get_absolute_url(self):
        return reverse("steering:convention", args=[self.pk])


class ConventionAmount(models.Model):
    convention = models.ForeignKey(
        Convention, verbose_name=_("convention"), on_delete=models.CASCADE, related_name="amounts"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (euros)"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["convention", "year"]
        constraints = [models.UniqueConstraint(fields=["convention", "year"], name="one_amount_per_year")]
        verbose_name = _("amount by year")
        verbose_name_plural = _("amounts by year")

    def __str__(self):
        return f"{self.year}: {self.amount}"


class Deliverable(models.Model):
    convention = models.ForeignKey(
        Convention, verbose_name=_("convention"), on_delete=models.CASCADE, related_name="deliverables"
    )
    title_fr = models.CharField(_("title (French)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    due_on = models.DateField(_("due on"))
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)

    title = translated("title")

    class Meta:
        ordering = ["convention", "due_on"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")

    def __str__(self):
        return self.title_fr


class CommitteeKind(models.TextChoices):
    STEERING_COMMITTEE = "steering_committee", _("Steering committee")
    INTERMEDIATE_REVIEW = "intermediate_review", _("Intermediate review")


class Committee(models.Model):
    convention = models.ForeignKey(
        Convention, verbose_name=_("convention"), on_delete=models.CASCADE, related_name="committees"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CommitteeKind.choices)
    title_fr = models.CharField(_("title (French)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    when = models.CharField(
        _("date as written"), max_length=100, blank=True, help_text=_("e.g. « en février »")
    )
    date = models.DateField(
        _("date"), null=True, blank=True, help_text=_("Empty while the meeting is still to be planned.")
    )
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("One item per line."))
    minutes = models.TextField(_("minutes"), blank=True)
    is_demo = models.BooleanField(_("demonstration content"), default=False)

    title = translated("title")

    class Meta:
        ordering = ["convention", models.F("date").asc(nulls_last=True), "pk"]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")

    def __str__(self):
        return self.title_fr

    def get_absolute_url(self):
        return reverse("steering:committee", args=[self.pk])

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.agenda.splitlines() if line.strip(" -•\t")]


class Attendance(models.Model):
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="attendances"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    people = models.TextField(_("people"), blank=True, help_text=_("Names and functions, one per line."))

    class Meta:
        ordering = ["committee", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "organisation"], name="one_attendance_per_organisation"
            )
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")

    def __str__(self):
        return str(self.organisation)

    @property
    def people_list(self) -> list[str]:
        return [line.strip() for line in self.people.splitlines() if line.strip()]


class Decision(models.Model):
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="decisions"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text_fr = models.TextField(_("text (French)"))
    text_en = models.TextField(_("text (English)"), blank=True)

    text = translated("text")

    class Meta:
        ordering = ["committee", "position", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return self.text_fr[:80]


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class FollowUp(models.Model):
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    text_fr = models.TextField(_("text (French)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    owner = models.CharField(_("owner"), max_length=200)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner's account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        pgettext_lazy("follow-up", "status"),
        max_length=10,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.OPEN,
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    text = translated("text")

    class Meta:
        ordering = ["committee", "due_on", "pk"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self):
        return self.text_fr[:80]
