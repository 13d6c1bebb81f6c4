"""Questionnaires (frozen versions), campaigns (waves), invitations, shared responses, answers, and the needs board.

A campaign sends one questionnaire version to a set of local authorities. Each authority gets one invitation (a
signed link, no account needed); everyone holding the link contributes to the same response. Each answer keeps
what essor prefilled, what the respondent answered, and where the prefilled value came from (source, vintage).
"""

import secrets
from functools import cached_property

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from essor.core.i18n_fields import translated
from essor.surveys import definition as definition_module


def new_key() -> str:
    return secrets.token_urlsafe(12)


class Questionnaire(models.Model):
    slug = models.SlugField(_("code"), max_length=80, unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("demonstration content"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    title = translated("title")

    class Meta:
        ordering = ["slug"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self):
        return self.title


class QuestionnaireVersion(models.Model):
    """One immutable state of a questionnaire once frozen (a campaign uses it); editing makes a new version."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions", verbose_name=_("questionnaire")
    )
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    source = models.CharField(_("source file"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["questionnaire", "number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="unique_version_number")
        ]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")

    def __str__(self):
        return f"{self.questionnaire.slug} v{self.number}"

    @cached_property
    def parsed(self) -> definition_module.Definition:
        return definition_module.load(self.definition)

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Campaign(models.Model):
    slug = models.SlugField(_("code"), max_length=80, unique=True)
    version = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("questionnaire version"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    introduction_fr = models.TextField(_("introduction (French)"), blank=True)
    introduction_en = models.TextField(_("introduction (English)"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous wave"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_waves",
        help_text=_("Answers of this wave can prefill questions bound to 'previous'."),
    )
    open_data = models.BooleanField(
        _("anonymised open-data export allowed"),
        default=False,
        help_text=_("Respondents were told their answers may be published without the authority's name."),
    )
    is_demo = models.BooleanField(_("demonstration content"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    title = translated("title")
    introduction = translated("introduction")

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # A questionnaire in use is frozen: any later edit goes into a new version.
        QuestionnaireVersion.objects.filter(pk=self.version_id, frozen_at__isnull=True).update(
            frozen_at=timezone.now()
        )

    def get_absolute_url(self):
        return reverse("surveys:campaign", args=[self.slug])

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"


class InvitationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    OPENED = "opened", _("Opened")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class InvitationQuerySet(models.QuerySet):
    def for_region(self, region_code: str):
        return self.filter(region_code=region_code)

    def submitted(self):
        return self.filter(status=InvitationStatus.SUBMITTED)


class Invitation(models.Model):
    """One authority invited to a campaign. The authority's facts are copied at invitation time (analysis by
    nature, région and population band needs no join, and stays as it was when the wave ran)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("campaign")
    )
    territory = models.CharField(_("territory"), max_length=40)
    authority_name = models.CharField(_("authority"), max_length=200)
    nature = models.CharField(_("nature"), max_length=10, blank=True)
    region_code = models.CharField(_("région code"), max_length=3, blank=True, db_index=True)
    region_name = models.CharField(_("région"), max_length=120, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    language = models.CharField(
        _("language of the emails"), max_length=5, choices=settings.LANGUAGES, default="fr"
    )
    key = models.CharField(max_length=32, default=new_key, editable=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=InvitationStatus.choices,
        default=InvitationStatus.INVITED,
        db_index=True,
    )
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    emailed_at = models.DateTimeField(_("invitation emailed at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("first opened at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder at"), null=True, blank=True)
    is_demo = models.BooleanField(_("demonstration content"), default=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "authority_name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "territory"], name="one_invitation_per_authority")
        ]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.authority_name} — {self.campaign.slug}"


class Response(models.Model):
    """The one response of an invited authority, shared by all its contributors."""

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="response")
    language = models.CharField(_("language"), max_length=5, default="fr")
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    receipt = models.CharField(_("receipt number"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self):
        return str(self.invitation)

    def values(self) -> dict:
        """{code: answer} of the answered questions (prefilled values count only once confirmed)."""
        return {
            answer.code: answer.value for answer in self.answers.all() if answer.value not in (None, "", [])
        }


class Answer(models.Model):
    """One variable of a response: what was prefilled (and from where), and what the respondent answered."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    code = models.CharField(_("question code"), max_length=80)
    value = models.JSONField(_("answer"), null=True, blank=True)
    prefilled_value = models.JSONField(_("prefilled value"), null=True, blank=True)
    prefill_source = models.CharField(_("prefill source"), max_length=200, blank=True)
    prefill_vintage = models.CharField(_("prefill vintage"), max_length=40, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.CharField(_("updated by"), max_length=120, blank=True)

    class Meta:
        ordering = ["response", "code"]
        constraints = [models.UniqueConstraint(fields=["response", "code"], name="one_answer_per_code")]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self):
        return f"{self.code}={self.value!r}"

    @property
    def corrected(self) -> bool:
        """The respondent changed the value essor prefilled."""
        return self.prefill_source != "" and self.value is not None and self.value != self.prefilled_value


class Contribution(models.Model):
    """Who saved which page of a shared response, and when (a name typed by the person, optional)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="contributions")
    contributor = models.CharField(_("contributor"), max_length=120, blank=True)
    section = models.CharField(_("page"), max_length=80)
    changed = models.JSONField(_("changed questions"), default=list)
    saved_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        ordering = ["response", "saved_at"]

    def __str__(self):
        return f"{self.section} {self.saved_at:%Y-%m-%d %H:%M}"


def upload_path(instance, filename):
    return f"surveys/{instance.response.invitation.campaign_id}/{instance.response_id}/{secrets.token_hex(8)}-{filename}"


class ResponseFile(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="files")
    code = models.CharField(_("question code"), max_length=80)
    file = models.FileField(_("file"), upload_to=upload_path)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    def __str__(self):
        return self.name


class NeedStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for validation")
    VALIDATED = "validated", _("Published")
    DECLINED = "declined", _("Declined")


class NeedQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status=NeedStatus.VALIDATED)


class Need(models.Model):
    """An engineering need declared in a survey; once validated by the programme team, a public project proposal
    for students (INET, IRA, Masters, Sciences Po)."""

    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="needs", verbose_name=_("invitation")
    )
    title = models.CharField(_("need"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    deliverable = models.CharField(_("expected deliverable"), max_length=300, blank=True)
    period = models.CharField(_("period"), max_length=120, blank=True)
    schools = models.JSONField(_("schools"), default=list, blank=True)
    theme = models.CharField(_("theme"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=5, default="fr")
    status = models.CharField(
        _("status"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.PROPOSED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    is_demo = models.BooleanField(_("demonstration content"), default=False)

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("surveys:need", args=[self.pk])


class NeedMessage(models.Model):
    """A message from a student or school to the authority behind a need; forwarded by email, never showing it."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="messages")
    name = models.CharField(_("your name"), max_length=120)
    email = models.EmailField(_("your email"))
    school = models.CharField(_("school or programme"), max_length=200, blank=True)
    message = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)

    def __str__(self):
        return f"{self.need} ({self.created_at:%Y-%m-%d})"
