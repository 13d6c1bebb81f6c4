"""SIRENE releases: one per vintage of the INSEE files, built aside and switched in atomically.

Pages, API and exports read only the active release (`Release.objects.active()`). The tables below are the
contract between the pipeline (writer) and the observatory (reader): add fields, never rename them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from essor.sirene.rules import PERSON_LEGAL_CATEGORY_PREFIX


class ReleaseStatus(models.TextChoices):
    BUILDING = "building", _("Building")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ReleaseQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True).first()

    def kept(self):
        """Ready releases still stored (the serving one and those pruning kept): citable by their vintage."""
        return self.filter(status=ReleaseStatus.READY)

    def of_vintage(self, vintage):
        """The kept release of a vintage (the serving one first, then the most recent build), or None."""
        return self.kept().filter(vintage=vintage).order_by("-is_active", "-finished_at", "-pk").first()


class Release(models.Model):
    vintage = models.DateField(_("vintage"), help_text=_("Date of the INSEE files"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReleaseStatus.choices, default=ReleaseStatus.BUILDING
    )
    is_active = models.BooleanField(_("serving"), default=False)
    synthetic = models.BooleanField(_("synthetic data"), default=False)
    # sha256 of the input checksums and of the rules version: the same files give the same fingerprint.
    fingerprint = models.CharField(max_length=64, db_index=True, verbose_name=_("fingerprint"))
    rules_version = models.CharField(max_length=20, verbose_name=_("rules version"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    inputs = models.JSONField(
        default=list, verbose_name=_("input files")
    )  # [{"role", "name", "size", "sha256", "rows", "format"}]
    timings = models.JSONField(
        default=dict, verbose_name=_("timings")
    )  # {"step": seconds, "cpu": {"step": CPU seconds}}
    summary = models.JSONField(
        default=dict, verbose_name=_("summary")
    )  # headline counts (active, ess, by family...)
    report = models.JSONField(
        default=dict, verbose_name=_("quality report")
    )  # the quality report (rejections with samples, unknown codes, ...)
    error = models.TextField(blank=True, verbose_name=_("error"))
    # What the release covers (essor.sirene.coverage): {"departements": [codes with located establishments],
    # "sample_rate": 1.0 for a whole stock, the generator's scale for a synthetic sample}.
    coverage = models.JSONField(_("coverage"), default=dict, blank=True)
    # When it last served (set on the switch, in and out): pruning always keeps the previously serving release.
    last_served_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last served at"))

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-vintage", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=models.Q(is_active=True), name="one_active_release"
            )
        ]
        verbose_name = _("SIRENE release")
        verbose_name_plural = _("SIRENE releases")

    def __str__(self):
        return f"{self.vintage:%Y-%m-%d} ({self.get_status_display()})"

    @property
    def sample_one_in(self) -> int | None:
        """200 for a 1/200 synthetic sample; None for a whole stock."""
        rate = (self.coverage or {}).get("sample_rate") or 1
        return round(1 / rate) if 0 < rate < 1 else None


def territory_indexes() -> list[models.Index]:
    """Every page and export filters one release by one territory level: one index per level."""
    levels = ["commune_code", "epci_code", "departement_code", "region_code", "qpv24_code", "qpv15_code"]
    return [models.Index(fields=["release", level]) for level in [*levels, "near_qpv24_code"]]


class Family(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    COOPERATIVE = "cooperative", _("Cooperative")
    MUTUELLE = "mutuelle", _("Mutual (mutuelle)")
    FONDATION = "fondation", _("Foundation")
    ENTREPRISE_COMMERCIALE_ESS = "entreprise_commerciale_ess", _("ESS commercial company")


class Zone(models.TextChoices):
    QPV = "qpv", _("Inside a QPV")
    PROXIMITE = "proximite", _("Within 300 m of a QPV")
    HORS_QPV = "hors_qpv", _("Outside QPVs")


class AttributionSource(models.TextChoices):
    INSEE = "insee", _("INSEE geolocation file")
    COMPUTED = "computed", _("Computed from coordinates")
    NONE = "none", _("Not located")


class EssEstablishmentQuerySet(models.QuerySet):
    """Named, chainable filters used alike by pages, the API, maps and exports:
    `EssEstablishment.objects.of_release(release).in_territory(scope, "qpv").mappable()`."""

    def of_release(self, release):
        return self.filter(release=release)

    def in_territory(self, territory, zone: str = "all"):
        """Rows of a territory (anything with kind, code and obj: a TerritoryRef, an observatory Scope) in a zone
        (essor.sirene.territory_filter)."""
        from essor.sirene.territory_filter import territory_q  # it imports this module's Zone

        return self.filter(territory_q(territory.kind, territory.code, zone, getattr(territory, "obj", None)))

    def not_persons(self):
        """Without the entrepreneurs individuels (a person's name and address are personal data)."""
        return self.exclude(legal_category__startswith=PERSON_LEGAL_CATEGORY_PREFIX)

    def located(self):
        return self.exclude(lat=None)

    def mappable(self):
        """What may be drawn on a map: located, not a person's address, not partially diffusible."""
        return self.located().not_persons().exclude(private=True)


class EssEstablishment(models.Model):
    """An active establishment of an ESS legal unit, as of a release. Public business data only."""

    # No separate index on release alone: every composite index below starts with it (cheaper bulk writes).
    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="ess_establishments", db_index=False
    )
    siret = models.CharField(max_length=14)
    siren = models.CharField(max_length=9)
    name = models.CharField(max_length=300)
    family = models.CharField(max_length=30, choices=Family.choices)
    legal_category = models.CharField(max_length=4)
    ess_source = models.CharField(max_length=10)  # "insee" (flag O) or "fallback" (statistical perimeter)
    naf = models.CharField(max_length=6, blank=True)  # sous-classe, e.g. "88.99B"
    naf_division = models.CharField(max_length=2, blank=True)
    naf_section = models.CharField(max_length=1, blank=True)
    band = models.CharField(max_length=2, blank=True)  # tranche d'effectifs
    employer = models.BooleanField(default=False)
    employees_low = models.IntegerField(default=0)
    employees_high = models.IntegerField(null=True, blank=True)  # null for the top, unbounded band
    created_on = models.DateField(null=True, blank=True)
    # False for SIRENE's placeholder (1900-01-01) and impossible years: kept, left out of the creations chart.
    created_plausible = models.BooleanField(default=True)
    is_siege = models.BooleanField(default=False)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=5, blank=True)
    commune_code = models.CharField(max_length=5, blank=True)  # the commune (arrondissements mapped to it)
    arrondissement_code = models.CharField(max_length=5, blank=True)
    epci_code = models.CharField(max_length=9, blank=True)
    departement_code = models.CharField(max_length=3, blank=True)
    region_code = models.CharField(max_length=3, blank=True)
    qpv24_code = models.CharField(max_length=8, blank=True)
    qpv24_source = models.CharField(
        max_length=10, choices=AttributionSource.choices, default=AttributionSource.NONE
    )
    qpv15_code = models.CharField(max_length=8, blank=True)
    qpv15_source = models.CharField(
        max_length=10, choices=AttributionSource.choices, default=AttributionSource.NONE
    )
    near_qpv24_code = models.CharField(max_length=8, blank=True)  # nearest QPV 2024 when within 300 m
    zone = models.CharField(max_length=10, choices=Zone.choices)
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    # Partially diffusible (statutDiffusion P) or an entrepreneur individuel: counted in every figure, but name,
    # address, postcode and coordinates are never stored (only the commune and the codes).
    private = models.BooleanField(default=False)

    objects = EssEstablishmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["release", "siret"], name="unique_ess_siret_per_release")
        ]
        indexes = [
            *territory_indexes(),
            # The directory sorts by name; without it a national or regional listing sorts ~2 M rows per page.
            models.Index(fields=["release", "name"]),
        ]

    def __str__(self):
        return f"{self.name} ({self.siret})"


class EstablishmentCount(models.Model):
    """Active establishments (ESS or not) of a release, counted by commune x zone x QPV x NAF division x family
    x employer, with estimated employees: the base of every share and comparison."""

    # No separate index on release alone: the composite index below starts with it (cheaper bulk writes).
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="counts", db_index=False)
    commune_code = models.CharField(max_length=5, blank=True)
    # Arrondissement municipal (Paris, Lyon, Marseille) when SIRENE gives one, so arrondissements have figures.
    arrondissement_code = models.CharField(max_length=5, blank=True, default="")
    epci_code = models.CharField(max_length=9, blank=True)
    departement_code = models.CharField(max_length=3, blank=True)
    region_code = models.CharField(max_length=3, blank=True)
    zone = models.CharField(max_length=10, choices=Zone.choices)
    qpv24_code = models.CharField(max_length=8, blank=True)
    qpv15_code = models.CharField(max_length=8, blank=True)
    near_qpv24_code = models.CharField(max_length=8, blank=True)
    naf_division = models.CharField(max_length=2, blank=True)
    is_ess = models.BooleanField()
    family = models.CharField(max_length=30, blank=True)  # empty when not ESS
    employer = models.BooleanField()
    establishments = models.IntegerField()
    employees_low = models.BigIntegerField(default=0)
    employees_high = models.BigIntegerField(default=0)  # sum of bounded upper bounds
    unbounded = models.IntegerField(default=0)  # establishments in the top band (no upper bound)

    class Meta:
        # One index: at request time a release with its snapshots (every ingest precomputes them) reads this table
        # only for a QPV's comparison with the rest of its communes (commune_code IN ...); a commune's or an EPT's
        # live figures use it too, and it gives release-wide reads (exports, deletion) their release prefix. The
        # other six territory levels were only read by the live fallback of a release without snapshots, and
        # cost 3.2 of the write's 12.6 CPU s (docs/adr/017-count-table-with-one-index.md).
        indexes = [models.Index(fields=["release", "commune_code"])]

    def __str__(self):
        return f"{self.commune_code} {self.zone} {self.naf_division}: {self.establishments}"
