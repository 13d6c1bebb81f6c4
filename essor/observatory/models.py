"""Precomputed indicators: one JSON document per release x territory x zone, written when a release is built.

Profile pages and the indicators API read these rows (one indexed lookup) instead of aggregating millions of
count rows on every request. A territory without a snapshot (no establishment at all) is computed live.
"""

from django.db import models

from essor.sirene.models import Release


class IndicatorSnapshot(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="indicator_snapshots")
    kind = models.CharField(max_length=12)  # france, region, departement, epci, commune, qpv
    code = models.CharField(max_length=9)
    zone = models.CharField(max_length=10)  # all, qpv, proximite, hors_qpv
    data = models.JSONField()  # the territory's own figures (see indicators.territory_figures)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["release", "kind", "code", "zone"], name="unique_snapshot_per_release"
            )
        ]

    def __str__(self):
        return f"{self.kind}:{self.code} [{self.zone}]"


class DirectoryExport(models.Model):
    """A large directory export written by the task worker (export_jobs.py). The token, unguessable, is the only
    way to its status page and its file; both disappear after ESSOR_DIRECTORY_EXPORT_HOURS."""

    class Status(models.TextChoices):
        PENDING = "pending"
        READY = "ready"
        FAILED = "failed"

    token = models.CharField(max_length=64, unique=True)
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="directory_exports")
    kind = models.CharField(max_length=12)
    code = models.CharField(max_length=9)
    fmt = models.CharField(max_length=8)
    filters = models.JSONField(default=dict)  # DirectoryFilters.as_params()
    decimal = models.CharField(max_length=1, default=",")
    language = models.CharField(max_length=8)
    rows = models.PositiveIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.kind}:{self.code}.{self.fmt} [{self.status}]"
