"""Resource bundle and experiences inventory.

Content is translatable field by field: each translatable field is a `<name>_fr` / `<name>_en` pair; pages show the
active language's value and fall back to French (see essor.core.i18n_fields). Every row keeps where it came from
(`origin`, `source_file`, `source_line`); demonstration rows are flagged `is_demo` and labelled wherever shown.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from essor.core.i18n_fields import translated
from essor.resources.search import search_document


class Origin(models.TextChoices):
    CATALOGUE = "catalogue", _("Real catalogue")
    DEMO = "demo", _("Demonstration")
    EDITOR = "editor", _("Entered by the programme team")


class ProvenanceMixin(models.Model):
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices, default=Origin.EDITOR)
    is_demo = models.BooleanField(_("demonstration content"), default=False, db_index=True)
    source_file = models.CharField(_("source file"), max_length=200, blank=True)
    source_line = models.PositiveIntegerField(_("source line"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Vocabulary(models.Model):
    """A controlled term (audience, theme) with its label in both languages."""

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "slug"]

    def __str__(self):
        return self.name

    name = translated("name")


class Audience(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")


class Theme(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class ResourceKind(models.TextChoices):
    GUIDE = "guide", _("Guide")
    SHEET = "sheet", _("Sheet")
    REPORT = "report", pgettext_lazy("resource kind", "Report")
    STUDY = "study", _("Study")
    VIDEO = "video", _("Video")
    WEBINAR = "webinar", _("Webinar replay")
    TOOL = "tool", _("Tool")
    DATASET = "dataset", _("Dataset")


class ResourceFormat(models.TextChoices):
    DOCUMENT = "document", _("Document (PDF)")
    WEB_PAGE = "web", _("Web page")
    VIDEO = "video", _("Video")
    DATA = "data", _("Data file")
    SOFTWARE = "software", _("Online tool")


class Level(models.TextChoices):
    INTRODUCTION = "introduction", _("Introduction")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class Resource(ProvenanceMixin):
    slug = models.SlugField(_("identifier"), max_length=120, unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ResourceKind.choices, db_index=True)
    format = models.CharField(_("format"), max_length=10, choices=ResourceFormat.choices, blank=True)
    # ISO 639-1 codes, comma-separated ("fr" or "fr,en"): few values, filtered with a containment lookup.
    languages = models.CharField(_("languages"), max_length=40, default="fr")
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    author = models.CharField(_("author or publisher"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    licence = models.CharField(_("licence"), max_length=120, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="resources/", blank=True)
    seen_at = models.TextField(_("where it was seen"), blank=True)
    audiences = models.ManyToManyField(
        Audience, verbose_name=_("audiences"), related_name="resources", blank=True
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), related_name="resources", blank=True)
    published = models.BooleanField(_("published"), default=True, db_index=True)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["title_fr"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self):
        return self.title_fr

    title = translated("title")

    summary = translated("summary")

    def save(self, *args, **kwargs):
        self.search_text = search_document(
            self.title_fr, self.title_en, self.summary_fr, self.summary_en, self.author
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("resources:detail", args=[self.slug])

    @property
    def language_list(self):
        return [code for code in self.languages.split(",") if code]


class Collection(ProvenanceMixin):
    """A curated, ordered set of resources (e.g. "Start with the ESS in QPVs")."""

    slug = models.SlugField(_("identifier"), max_length=120, unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    published = models.BooleanField(_("published"), default=True, db_index=True)
    resources = models.ManyToManyField(Resource, through="CollectionItem", related_name="collections")

    class Meta:
        ordering = ["position", "title_fr"]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    def __str__(self):
        return self.title_fr

    title = translated("title")

    description = translated("description")

    def get_absolute_url(self):
        return reverse("resources:collection", args=[self.slug])


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="collection_items")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    note_fr = models.CharField(_("note (French)"), max_length=300, blank=True)
    note_en = models.CharField(_("note (English)"), max_length=300, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "resource"], name="unique_collection_resource")
        ]
        verbose_name = _("collection item")
        verbose_name_plural = _("collection items")

    def __str__(self):
        return f"{self.collection_id}#{self.position}: {self.resource_id}"

    note = translated("note")


class ExperienceFormat(models.TextChoices):
    TRAINING = "training", _("Training or training-action")
    EXCHANGE = "exchange", _("Exchange day, seminar or club")
    CONTRACT = "contract", _("Contract, agreement or local policy")
    CALL = "call", _("Call for projects")
    PROGRAMME = "programme", _("Support programme")
    LOCAL_PROJECT = "local_project", _("Local ESS project in a neighbourhood")
    STUDY = "study", _("Study or mapping tool")


class Experience(ProvenanceMixin):
    slug = models.SlugField(_("identifier"), max_length=120, unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    territory_label = models.CharField(_("territory (as described)"), max_length=400, blank=True)
    # `kind:code` of the matched territory (see essor.territories.identifiers), and its région for filters.
    territory_id = models.CharField(_("territory identifier"), max_length=30, blank=True, db_index=True)
    region_code = models.CharField(_("région code"), max_length=3, blank=True, db_index=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    period_label = models.CharField(_("period (as described)"), max_length=100, blank=True)
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True, db_index=True)
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    carrier = models.CharField(_("carrying organisation"), max_length=400, blank=True)
    partners = models.TextField(_("partner organisations"), blank=True)
    carrying_organisations = models.ManyToManyField(
        "accounts.Organisation",
        verbose_name=_("carrying organisations (linked)"),
        related_name="carried_experiences",
        blank=True,
    )
    partner_organisations = models.ManyToManyField(
        "accounts.Organisation",
        verbose_name=_("partner organisations (linked)"),
        related_name="partner_experiences",
        blank=True,
    )
    audiences = models.ManyToManyField(
        Audience, verbose_name=_("audiences"), related_name="experiences", blank=True
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), related_name="experiences", blank=True)
    format = models.CharField(_("format"), max_length=15, choices=ExperienceFormat.choices, blank=True)
    format_label = models.CharField(_("format (as described)"), max_length=300, blank=True)
    duration = models.CharField(_("duration"), max_length=120, blank=True)
    people_trained = models.PositiveIntegerField(_("people trained"), null=True, blank=True)
    funding = models.TextField(_("funding"), blank=True)
    evaluation_fr = models.TextField(_("evaluation results (French)"), blank=True)
    evaluation_en = models.TextField(_("evaluation results (English)"), blank=True)
    lessons_fr = models.TextField(_("lessons learnt (French)"), blank=True)
    lessons_en = models.TextField(_("lessons learnt (English)"), blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    document = models.FileField(_("document"), upload_to="experiences/", blank=True)
    seen_at = models.TextField(_("where it was seen"), blank=True)
    resources = models.ManyToManyField(
        Resource, verbose_name=_("resources"), related_name="experiences", blank=True
    )
    published = models.BooleanField(_("published"), default=True, db_index=True)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["title_fr"]
        verbose_name = _("experience")
        verbose_name_plural = _("experiences")

    def __str__(self):
        return self.title_fr

    title = translated("title")

    summary = translated("summary")

    evaluation = translated("evaluation")

    lessons = translated("lessons")

    def save(self, *args, **kwargs):
        self.search_text = search_document(
            self.title_fr,
            self.title_en,
            self.summary_fr,
            self.summary_en,
            self.territory_label,
            self.carrier,
            self.partners,
            self.format_label,
            self.evaluation_fr,
            self.evaluation_en,
            self.lessons_fr,
            self.lessons_en,
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("resources:experience", args=[self.slug])

    @property
    def has_point(self):
        return self.longitude is not None and self.latitude is not None


class CriterionKind(models.TextChoices):
    SCORE = "score", _("Score")
    QUALITY = "quality", _("Qualification (choice of options)")


class Criterion(models.Model):
    """One criterion of the analysis grid, defined by the programme team."""

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=8, choices=CriterionKind.choices, default=CriterionKind.SCORE
    )
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=4)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_demo = models.BooleanField(_("demonstration content"), default=False)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("analysis criterion")
        verbose_name_plural = _("analysis criteria")

    def __str__(self):
        return self.name_fr

    name = translated("name")

    description = translated("description")


class CriterionOption(models.Model):
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="options", verbose_name=_("criterion")
    )
    value = models.SlugField(_("value"), max_length=60)
    label_fr = models.CharField(_("label (French)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["criterion", "value"], name="unique_criterion_option")]
        verbose_name = _("criterion option")
        verbose_name_plural = _("criterion options")

    def __str__(self):
        return self.label_fr

    label = translated("label")


class Assessment(models.Model):
    """How one experience fares on one criterion: a score or a chosen option, with a comment."""

    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="assessments")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="assessments")
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    option = models.ForeignKey(CriterionOption, on_delete=models.PROTECT, null=True, blank=True)
    comment_fr = models.TextField(_("comment (French)"), blank=True)
    comment_en = models.TextField(_("comment (English)"), blank=True)
    is_demo = models.BooleanField(_("demonstration content"), default=False)

    class Meta:
        ordering = ["criterion__position", "criterion__slug"]
        constraints = [models.UniqueConstraint(fields=["experience", "criterion"], name="unique_assessment")]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self):
        return f"{self.experience_id} / {self.criterion_id}"

    comment = translated("comment")

    def clean(self):
        if self.criterion_id is None:
            return
        criterion = self.criterion
        if criterion.kind == CriterionKind.SCORE:
            if self.score is None or not 0 <= self.score <= criterion.scale_max:
                raise ValidationError(
                    {"score": _("Give a score between 0 and %(max)d.") % {"max": criterion.scale_max}}
                )
            if self.option_id:
                raise ValidationError({"option": _("A scored criterion takes a score, not an option.")})
        else:
            if self.option_id is None or self.option.criterion_id != criterion.pk:
                raise ValidationError({"option": _("Choose one of this criterion's options.")})
            if self.score is not None:
                raise ValidationError({"score": _("A qualified criterion takes an option, not a score.")})


class CatalogueImport(models.Model):
    """Provenance of each load of the real catalogue: files with sha256, counts, whether anything changed."""

    loaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("loaded at"))
    source_dir = models.CharField(max_length=500, verbose_name=_("source folder"))
    files = models.JSONField(default=list, verbose_name=_("files"))  # [{"name", "sha256", "size", "rows"}]
    counts = models.JSONField(
        default=dict, verbose_name=_("counts")
    )  # {"resources": {"created", "updated", "unchanged"}, ...}
    changed = models.BooleanField(default=True, verbose_name=_("changed"))

    class Meta:
        ordering = ["-loaded_at"]
        verbose_name = _("catalogue import")
        verbose_name_plural = _("catalogue imports")

    def __str__(self):
        return f"{self.loaded_at:%Y-%m-%d %H:%M} {self.source_dir}"
