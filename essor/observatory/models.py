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
