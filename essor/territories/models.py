"""France's territorial reference: régions, départements, EPCI (and EPT), communes, QPV 2024 and 2015.

Codes are text (leading zeros, `2A`); every territory is addressed as `kind:code` (see identifiers.py).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Zone(models.TextChoices):
    METRO = "metro", _("Mainland France")
    DROM = "drom", _("Overseas département or région")
    COM = "com", _("Overseas collectivity")


class Region(models.Model):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    search_name = models.CharField(
        max_length=120, db_index=True, editable=False, verbose_name=_("search name")
    )
    zone = models.CharField(_("zone"), max_length=5, choices=Zone.choices, default=Zone.METRO)
    chef_lieu = models.CharField(_("chef-lieu"), max_length=5, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("région")
        verbose_name_plural = _("régions")

    def __str__(self):
        return self.name


class Departement(models.Model):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    search_name = models.CharField(
        max_length=120, db_index=True, editable=False, verbose_name=_("search name")
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="departements",
        null=True,
        blank=True,
        verbose_name=_("région"),
    )
    zone = models.CharField(_("zone"), max_length=5, choices=Zone.choices, default=Zone.METRO)
    chef_lieu = models.CharField(_("chef-lieu"), max_length=5, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("département")
        verbose_name_plural = _("départements")

    def __str__(self):
        return f"{self.name} ({self.code})"


class EpciNature(models.TextChoices):
    METRO = "METRO", _("Métropole")
    MET69 = "MET69", _("Métropole de Lyon")
    CU = "CU", _("Communauté urbaine")
    CA = "CA", _("Communauté d'agglomération")
    CC = "CC", _("Communauté de communes")
    EPT = "EPT", _("Établissement public territorial (Grand Paris)")


class Epci(models.Model):
    code = models.CharField(_("SIREN"), max_length=9, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    search_name = models.CharField(
        max_length=200, db_index=True, editable=False, verbose_name=_("search name")
    )
    nature = models.CharField(_("nature"), max_length=5, choices=EpciNature.choices)
    financing = models.CharField(_("tax regime"), max_length=10, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    # An EPT belongs to the Métropole du Grand Paris.
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent EPCI"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("EPCI")
        verbose_name_plural = _("EPCI")

    def __str__(self):
        return self.name


class CommuneKind(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    ARRONDISSEMENT = "arrondissement", _("Arrondissement municipal")
    DELEGUEE = "deleguee", _("Commune déléguée")
    ASSOCIEE = "associee", _("Commune associée")


class Commune(models.Model):
    code = models.CharField(_("INSEE code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    search_name = models.CharField(
        max_length=200, db_index=True, editable=False, verbose_name=_("search name")
    )
    kind = models.CharField(
        _("kind"), max_length=15, choices=CommuneKind.choices, default=CommuneKind.COMMUNE
    )
    # Arrondissement municipal -> its commune; commune déléguée or associée -> the commune it belongs to.
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("parent commune"),
    )
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="communes",
        verbose_name=_("département"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="communes",
        verbose_name=_("région"),
    )
    epci = models.ForeignKey(
        Epci,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communes",
        verbose_name=_("EPCI"),
    )
    ept = models.ForeignKey(
        Epci,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ept_communes",
        verbose_name=_("EPT"),
    )
    zone = models.CharField(_("zone"), max_length=5, choices=Zone.choices, default=Zone.METRO)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    postcodes = models.CharField(_("postcodes"), max_length=200, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self):
        return f"{self.name} ({self.code})"


class QpvGeneration(models.IntegerChoices):
    QPV_2024 = 2024, _("QPV 2024 (decree 2023-1314)")
    QPV_2015 = 2015, _("QPV 2015")


def qpv_generation_of(code: str) -> QpvGeneration:
    """The generation of a QPV from its code, decided here only: `QP…` for the 2015 QPVs (decree 2014-1750),
    `QN…` for the 2024 ones (decree 2023-1314)."""
    return QpvGeneration.QPV_2015 if code.upper().startswith("QP") else QpvGeneration.QPV_2024


class Qpv(models.Model):
    code = models.CharField(_("code"), max_length=8, primary_key=True)
    generation = models.PositiveSmallIntegerField(
        _("generation"), choices=QpvGeneration.choices, db_index=True
    )
    name = models.CharField(_("name"), max_length=200)
    search_name = models.CharField(
        max_length=200, db_index=True, editable=False, verbose_name=_("search name")
    )
    communes = models.ManyToManyField(Commune, related_name="qpvs", blank=True, verbose_name=_("communes"))
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="qpvs",
        verbose_name=_("département"),
    )
    # Contour in WGS84 as WKB (MultiPolygon, repaired when published invalid), and as GeoJSON for maps.
    geometry = models.BinaryField(_("contour (WKB, WGS84)"))
    geojson = models.TextField(_("contour (GeoJSON)"))
    min_lon = models.FloatField(verbose_name=_("minimum longitude"))
    min_lat = models.FloatField(verbose_name=_("minimum latitude"))
    max_lon = models.FloatField(verbose_name=_("maximum longitude"))
    max_lat = models.FloatField(verbose_name=_("maximum latitude"))
    area_m2 = models.FloatField(_("area (m²)"), null=True, blank=True)
    repaired = models.BooleanField(_("contour repaired"), default=False)
    # 2015: from the vendored characteristics (loaded with the contours); 2024: from INSEE's population file,
    # loaded on its own (qpv_population.py), which `population_load` then names (source, vintage, loaded_at).
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_load = models.ForeignKey(
        "QpvPopulationLoad",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="qpvs",
        verbose_name=_("population loaded by"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("QPV")
        verbose_name_plural = _("QPV")

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def area_km2(self) -> float | None:
        return self.area_m2 / 1e6 if self.area_m2 else None

    @property
    def density(self) -> float | None:
        """Inhabitants per km² of the contour (the area is computed once, when the contours are loaded)."""
        area = self.area_km2
        return self.population / area if self.population is not None and area else None


class QpvPopulationLoad(models.Model):
    """Provenance of a QPV 2024 population file (`essor territories population`, or `update`)."""

    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    source = models.CharField(_("source"), max_length=500)  # the URL it was fetched from, or the file given
    file_name = models.CharField(_("file"), max_length=300)
    sha256 = models.CharField(max_length=64)
    vintage = models.CharField(_("vintage"), max_length=100)  # e.g. "RP 2020"
    synthetic = models.BooleanField(_("synthetic demonstration data"), default=False)
    counts = models.JSONField(default=dict)  # {"added", "updated", "removed", "unchanged", "unknown", ...}
    changed = models.BooleanField(default=True)

    class Meta:
        ordering = ["-loaded_at", "-pk"]
        verbose_name = _("QPV population load")
        verbose_name_plural = _("QPV population loads")

    def __str__(self):
        return f"{self.loaded_at:%Y-%m-%d %H:%M} {self.file_name} ({self.vintage})"


class QpvCrosswalk(models.Model):
    """How a 2015 QPV's area is distributed among 2024 QPVs (computed by area overlap)."""

    qpv_2015 = models.ForeignKey(
        Qpv, on_delete=models.CASCADE, related_name="crosswalk_to_2024", verbose_name=_("QPV 2015")
    )
    qpv_2024 = models.ForeignKey(
        Qpv, on_delete=models.CASCADE, related_name="crosswalk_from_2015", verbose_name=_("QPV 2024")
    )
    share_of_2015_area = models.FloatField(_("share of the 2015 QPV's area"))
    share_of_2024_area = models.FloatField(_("share of the 2024 QPV's area"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["qpv_2015", "qpv_2024"], name="unique_crosswalk_pair")]
        ordering = ["qpv_2015", "-share_of_2015_area"]
        verbose_name = _("QPV 2015 → 2024 crosswalk row")
        verbose_name_plural = _("QPV 2015 → 2024 crosswalk")

    def __str__(self):
        return f"{self.qpv_2015_id} -> {self.qpv_2024_id}: {self.share_of_2015_area:.1%}"


class ReferenceLoad(models.Model):
    """Provenance of each `essor territories load`: what files, which versions, what changed."""

    loaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("loaded at"))
    source_dir = models.CharField(max_length=500, verbose_name=_("source folder"))
    files = models.JSONField(default=list, verbose_name=_("files"))  # [{"name", "sha256", "size", "version"}]
    counts = models.JSONField(
        default=dict, verbose_name=_("counts")
    )  # {"commune": {"added", "updated", "removed", "total"}, ...}
    report = models.JSONField(default=dict, verbose_name=_("report"))  # repairs, warnings
    changed = models.BooleanField(default=True, verbose_name=_("changed"))

    class Meta:
        ordering = ["-loaded_at"]
        verbose_name = _("reference load")
        verbose_name_plural = _("reference loads")

    def __str__(self):
        return f"{self.loaded_at:%Y-%m-%d %H:%M} ({self.source_dir})"


class SearchEntry(models.Model):
    """One searchable name per territory (a narrow table, so that name search stays fast); filled by the loader.

    `alt_name` is an EPCI's name without its generic words ("toulouse" for Toulouse Métropole).
    """

    identifier = models.CharField(max_length=20, primary_key=True)  # kind:code
    kind = models.CharField(max_length=12)
    code = models.CharField(max_length=9)
    search_name = models.CharField(max_length=200, db_index=True)
    alt_name = models.CharField(max_length=200, db_index=True, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["identifier"]

    def __str__(self):
        return self.identifier
