"""A study (the metropolis study) published in editions; an edition freezes its inputs and, once published, never
changes: a correction is a new version of the edition, with a corrections log (as statistics offices do).

An edition's content is chapters of blocks (text, quote, zoom, recommendation, figure), written in French and
English side by side. Figures are not stored as numbers by editors: a figure block names a figure kind
(study/figures.py) computed from the frozen inputs — the SIRENE release and the survey campaigns — and the
computed data is kept in `Edition.snapshot` when the edition is frozen, so that two builds of an edition give the
same figures even after the release has been pruned.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EditionKind(models.TextChoices):
    INTERMEDIATE = "intermediate", _("intermediate edition")
    FINAL = "final", _("final edition")
    UPDATE = "update", _("update")


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    REVIEW = "review", _("in review")
    PUBLISHED = "published", _("published")


class BlockKind(models.TextChoices):
    TEXT = "text", _("text")
    QUOTE = "quote", _("quote")
    ZOOM = "zoom", _("zoom")
    RECOMMENDATION = "recommendation", _("recommendation")
    FIGURE = "figure", _("figure")


class Study(models.Model):
    slug = models.SlugField(_("code"), max_length=80, unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250)
    partners = models.CharField(_("partners"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demonstration content"), default=False)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("study")
        verbose_name_plural = _("studies")

    def __str__(self):
        return self.title_fr


class EditionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=EditionStatus.PUBLISHED)

    def visible_to(self, user):
        """Published editions for everyone; drafts and reviews for the people who write or publish them."""
        from essor.study.permissions import can_edit

        return self if can_edit(user) else self.published()


class Edition(models.Model):
    study = models.ForeignKey(
        Study, on_delete=models.CASCADE, related_name="editions", verbose_name=_("study")
    )
    slug = models.SlugField(_("code"), max_length=80)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    kind = models.CharField(_("kind"), max_length=20, choices=EditionKind.choices)
    title_fr = models.CharField(_("title (French)"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250)
    subtitle_fr = models.CharField(_("subtitle (French)"), max_length=300, blank=True)
    subtitle_en = models.CharField(_("subtitle (English)"), max_length=300, blank=True)
    presented_at_fr = models.CharField(_("presented at (French)"), max_length=250, blank=True)
    presented_at_en = models.CharField(_("presented at (English)"), max_length=250, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=EditionStatus.choices, default="draft")
    # Frozen inputs. The release is referenced while it exists; its vintage and fingerprint are copied so the
    # edition still says what it was built from after the release is pruned.
    release = models.ForeignKey(
        "sirene.Release", verbose_name=_("SIRENE release"), on_delete=models.SET_NULL, null=True, blank=True
    )
    release_vintage = models.DateField(_("release vintage"), null=True, blank=True)
    release_fingerprint = models.CharField(_("release fingerprint"), max_length=64, blank=True)
    campaigns = models.ManyToManyField(
        "surveys.Campaign", verbose_name=_("survey campaigns"), blank=True, related_name="study_editions"
    )
    authorities = models.JSONField(
        _("authorities with a fact sheet"),
        default=list,
        blank=True,
        help_text=_("Territory identifiers (epci:…); empty: the 22 métropoles."),
    )
    snapshot = models.JSONField(_("frozen figures"), default=dict, blank=True)
    snapshot_fingerprint = models.CharField(_("fingerprint of the frozen figures"), max_length=64, blank=True)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    corrections_fr = models.TextField(_("corrections log (French)"), blank=True)
    corrections_en = models.TextField(_("corrections log (English)"), blank=True)
    is_demo = models.BooleanField(_("demonstration content"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["study", "created_at", "version"]
        constraints = [
            models.UniqueConstraint(fields=["study", "slug", "version"], name="one_edition_version"),
        ]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")

    def __str__(self):
        return f"{self.title_fr} (v{self.version})"

    def get_absolute_url(self):
        return reverse(
            "study:edition", kwargs={"study": self.study.slug, "edition": self.slug, "version": self.version}
        )

    @property
    def is_published(self) -> bool:
        return self.status == EditionStatus.PUBLISHED

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" and self.title_en else self.title_fr


class Chapter(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="chapters", verbose_name=_("edition")
    )
    code = models.SlugField(
        _("code"), max_length=80, help_text=_("Stable across editions (for differences).")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_fr = models.CharField(_("title (French)"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="one_chapter_code")]
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")

    def __str__(self):
        return self.title_fr


class Block(models.Model):
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="blocks")
    code = models.SlugField(
        _("code"), max_length=80, help_text=_("Stable across editions (for differences).")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=BlockKind.choices, default=BlockKind.TEXT)
    title_fr = models.CharField(_("title (French)"), max_length=250, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    body_fr = models.TextField(_("text (French, Markdown)"), blank=True)
    body_en = models.TextField(_("text (English, Markdown)"), blank=True)
    attribution = models.CharField(_("quote attribution"), max_length=250, blank=True)
    experience = models.ForeignKey(
        "resources.Experience",
        verbose_name=_("experience of the inventory"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    figure = models.CharField(
        _("figure"), max_length=120, blank=True, help_text=_("A figure kind, e.g. benchmark_ess_share.")
    )

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["chapter", "code"], name="one_block_code")]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")

    def __str__(self):
        return f"{self.get_kind_display()} {self.code}"


class Reference(models.Model):
    """An entry of the edition's bibliography."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="references")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    citation = models.CharField(_("citation"), max_length=500)
    url = models.URLField(_("address"), blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("bibliography entry")
        verbose_name_plural = _("bibliography")

    def __str__(self):
        return self.citation
