"""Training paths, modules, sessions, registrations and evaluations.

Content is bilingual (`_fr` / `_en` pairs read through `essor.core.i18n_fields.translated`). Registrations keep a
snapshot of the person's audience and organisation kind so that reports survive account deletion.
"""

import functools
import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from essor.accounts.models import Audience, Organisation, OrganisationKind
from essor.accounts.permissions import can_manage_content, is_operator, organisation_id_of
from essor.core.i18n_fields import translated

AUDIENCE_VALUES = {value for value, _label in Audience.choices}


def validate_audiences(value) -> None:
    if not isinstance(value, list) or any(item not in AUDIENCE_VALUES for item in value):
        raise ValidationError(
            _("Audiences must be a list of: %(choices)s."),
            params={"choices": ", ".join(sorted(AUDIENCE_VALUES))},
        )


@functools.cache
def known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in known_timezones():
        raise ValidationError(
            _("%(value)s is not a known time zone (e.g. Europe/Paris)."), params={"value": value}
        )


def audience_labels(values) -> list[str]:
    labels = dict(Audience.choices)
    return [str(labels.get(value, value)) for value in values]


class TrainingPath(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    audiences = models.JSONField(_("audiences"), default=list, blank=True, validators=[validate_audiences])
    is_published = models.BooleanField(_("published"), default=True)
    is_demo = models.BooleanField(_("demonstration content"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    title = translated("title")
    summary = translated("summary")

    class Meta:
        ordering = ["title_fr"]
        verbose_name = _("training path")
        verbose_name_plural = _("training paths")

    def __str__(self):
        return self.title_fr

    def get_absolute_url(self):
        return reverse("trainings:path_detail", args=[self.slug])

    def audience_labels(self):
        return audience_labels(self.audiences)


class Module(models.Model):
    path = models.ForeignKey(
        TrainingPath, verbose_name=_("training path"), on_delete=models.PROTECT, related_name="modules"
    )
    position = models.PositiveSmallIntegerField(_("position in the path"), default=1)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    objectives_fr = models.TextField(_("objectives (French)"), help_text=_("One objective per line."))
    objectives_en = models.TextField(
        _("objectives (English)"), blank=True, help_text=_("One objective per line.")
    )
    prerequisites_fr = models.TextField(_("prerequisites (French)"), blank=True)
    prerequisites_en = models.TextField(_("prerequisites (English)"), blank=True)
    evaluation_questions_fr = models.TextField(
        _("extra evaluation questions (French)"), blank=True, help_text=_("One question per line.")
    )
    evaluation_questions_en = models.TextField(
        _("extra evaluation questions (English)"), blank=True, help_text=_("One question per line.")
    )
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), validators=[MinValueValidator(5)])
    resources = models.ManyToManyField("resources.Resource", verbose_name=_("resources"), blank=True)
    is_demo = models.BooleanField(_("demonstration content"), default=False)

    title = translated("title")
    summary = translated("summary")
    prerequisites = translated("prerequisites")

    class Meta:
        ordering = ["path", "position"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self):
        return self.title_fr

    def get_absolute_url(self):
        return reverse("trainings:module_detail", args=[self.slug])

    @property
    def objectives(self) -> list[str]:
        from essor.core.i18n_fields import pick

        return [line.strip() for line in pick(self, "objectives").splitlines() if line.strip()]

    @property
    def evaluation_questions(self) -> list[str]:
        from essor.core.i18n_fields import pick

        return [line.strip() for line in pick(self, "evaluation_questions").splitlines() if line.strip()]


class SessionFormat(models.TextChoices):
    WEBINAR = "webinar", _("Webinar")
    IN_PERSON = "in_person", _("In person")


class SessionQuerySet(models.QuerySet):
    """Named, chainable filters on sessions, used alike by pages, the API, the feed and the reports:
    `Session.objects.public().upcoming().reachable_from("76")`, `Session.objects.run_by(user)`."""

    def published(self):
        """Sessions of published paths (a draft path's sessions are not shown)."""
        return self.filter(module__path__is_published=True)

    def public(self):
        """What the public sees: published, with the confirmed registrations counted in the same query."""
        confirmed = Q(registrations__status=RegistrationStatus.CONFIRMED)
        return (
            self.published()
            .select_related("module__path", "operator")
            .annotate(confirmed=models.Count("registrations", filter=confirmed))
        )

    def upcoming(self, now=None):
        """Not started yet and not cancelled."""
        return self.filter(starts_at__gt=now or timezone.now(), is_cancelled=False)

    def reachable_from(self, region_code: str | None):
        """Sessions someone working in this région can attend: those held there, and every webinar."""
        reachable = Q(format=SessionFormat.WEBINAR)
        if region_code:
            reachable |= Q(cress_region=region_code)
        return self.filter(reachable)

    def run_by(self, user):
        """Sessions the user runs: all for the programme team, their organisation's for an operator, none else."""
        if can_manage_content(user):
            return self
        organisation_id = organisation_id_of(user) if is_operator(user) else None
        return self.filter(operator_id=organisation_id) if organisation_id is not None else self.none()


class Session(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.PROTECT, related_name="sessions"
    )
    format = models.CharField(_("format"), max_length=10, choices=SessionFormat.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    timezone = models.CharField(
        _("time zone"), max_length=40, default="Europe/Paris", validators=[validate_timezone]
    )
    place = models.CharField(
        _("place"), max_length=300, blank=True, help_text=_("Address, for in-person sessions.")
    )
    link = models.URLField(_("link"), blank=True, help_text=_("Connection link, for webinars."))
    operator = models.ForeignKey(
        Organisation, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="sessions"
    )
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    waiting_list = models.BooleanField(_("waiting list"), default=True)
    audiences = models.JSONField(_("audiences"), default=list, blank=True, validators=[validate_audiences])
    cress_region = models.CharField(_("CRESS région (code)"), max_length=3, blank=True)
    experimentation = models.BooleanField(_("experimentation"), default=False)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    is_demo = models.BooleanField(_("demonstration content"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [
            models.Index(fields=["starts_at"]),
            models.Index(fields=["experimentation", "cress_region"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.module.title_fr} — {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("trainings:session_detail", args=[self.pk])

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The session must end after it starts.")})
        if self.format == SessionFormat.WEBINAR and not self.link:
            raise ValidationError({"link": _("A webinar needs a connection link.")})
        if self.format == SessionFormat.IN_PERSON and not self.place:
            raise ValidationError({"place": _("An in-person session needs a place.")})

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.timezone)

    def local_start(self):
        return self.starts_at.astimezone(self.tzinfo)

    def local_end(self):
        return self.ends_at.astimezone(self.tzinfo)

    def audience_labels(self):
        return audience_labels(self.audiences)

    @property
    def places_left(self) -> int:
        """Free places; uses the `confirmed` annotation when the queryset has it (one query for a list)."""
        confirmed = getattr(self, "confirmed", None)
        if confirmed is None:
            confirmed = self.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
        return max(self.capacity - confirmed, 0)


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="registrations"
    )
    # Null once the person deleted their account: the row stays, anonymised, for the reports.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )
    status = models.CharField(
        pgettext_lazy("registration", "status"), max_length=10, choices=RegistrationStatus.choices
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.OTHER
    )
    organisation_kind = models.CharField(
        _("organisation kind"), max_length=20, choices=OrganisationKind.choices, blank=True
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("promoted from the waiting list at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    evaluation_invited_at = models.DateTimeField(_("evaluation invitation sent at"), null=True, blank=True)
    is_demo = models.BooleanField(_("demonstration content"), default=False)

    class Meta:
        ordering = ["session", "created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(user__isnull=False) & ~Q(status="cancelled"),
                name="one_active_registration_per_person",
            )
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"])]

    def __str__(self):
        who = self.user.get_username() if self.user_id else _("deleted account")
        return f"{who} — {self.session}"


SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Evaluation(models.Model):
    registration = models.OneToOneField(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="evaluation"
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="evaluations"
    )
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), validators=SCORE_VALIDATORS)
    usefulness = models.PositiveSmallIntegerField(_("usefulness (1–5)"), validators=SCORE_VALIDATORS)
    # [{"objective": "...", "before": 1..5, "after": 1..5}, ...] and their means, kept for fast aggregates.
    knowledge = models.JSONField(_("knowledge self-assessment"), default=list, blank=True)
    knowledge_before = models.FloatField(_("knowledge before (mean)"), null=True, blank=True)
    knowledge_after = models.FloatField(_("knowledge after (mean)"), null=True, blank=True)
    answers = models.JSONField(_("answers to the module's questions"), default=list, blank=True)
    comments = models.TextField(_("comments"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    is_demo = models.BooleanField(_("demonstration content"), default=False)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self):
        return f"{self.session} — {self.satisfaction}/5"
