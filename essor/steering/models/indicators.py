"""A convention's indicators (a metric of steering.metrics with its baseline and target), and the values frozen
for a committee or review (snapshots never change once taken: later data do not rewrite what was reported)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from essor.core.i18n_fields import translated


class ConventionIndicator(models.Model):
    convention = models.ForeignKey(
        "steering.Convention",
        verbose_name=_("convention"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    metric = models.CharField(
        _("metric"), max_length=60, help_text=_("What essor computes (see the list of metrics).")
    )
    label_fr = models.CharField(
        _("label (French)"), max_length=300, blank=True, help_text=_("Empty: the metric's name.")
    )
    label_en = models.CharField(_("label (English)"), max_length=300, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    position = models.PositiveSmallIntegerField(_("position"), default=1)

    label = translated("label")

    class Meta:
        ordering = ["convention", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["convention", "metric"], name="one_indicator_per_metric")
        ]
        verbose_name = _("convention indicator")
        verbose_name_plural = _("convention indicators")

    def __str__(self):
        return self.label_fr or self.metric


class IndicatorSnapshot(models.Model):
    committee = models.OneToOneField(
        "steering.Committee", verbose_name=_("committee"), on_delete=models.CASCADE, related_name="snapshot"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    taken_at = models.DateTimeField(_("taken at"), auto_now_add=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("taken by"), on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = _("indicator snapshot")
        verbose_name_plural = _("indicator snapshots")

    def __str__(self):
        return f"{self.committee} — {self.taken_at:%Y-%m-%d}"


class SnapshotValue(models.Model):
    snapshot = models.ForeignKey(
        IndicatorSnapshot, verbose_name=_("snapshot"), on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.ForeignKey(
        ConventionIndicator, verbose_name=_("indicator"), on_delete=models.SET_NULL, null=True, blank=True
    )
    metric = models.CharField(_("metric"), max_length=60)
    label_fr = models.CharField(_("label (French)"), max_length=300)
    label_en = models.CharField(_("label (English)"), max_length=300, blank=True)
    unit = models.CharField(_("unit"), max_length=20)
    value = models.FloatField(_("value"), null=True, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2, null=True, blank=True)
    available = models.BooleanField(_("available"), default=True)
    breakdown = models.JSONField(_("breakdown"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=1)

    label = translated("label")

    class Meta:
        ordering = ["snapshot", "position", "pk"]
        verbose_name = _("snapshot value")
        verbose_name_plural = _("snapshot values")

    def __str__(self):
        return f"{self.label_fr}: {self.value}"
