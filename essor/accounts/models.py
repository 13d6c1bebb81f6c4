"""People and the organisations they belong to, with one role each.

Django's `auth.User` is kept (username = the email address, lower-cased); everything specific to essor lives in
`Profile` (organisation, role, audience, preferred language).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from essor.territories.identifiers import parse_identifier


class Audience(models.TextChoices):
    """The three audiences the programme trains, plus the rest of the world."""

    RESOURCE_CENTRE = "resource_centre", _("City-policy resource centre")
    PREFECT_DELEGATE = "prefect_delegate", _("Prefect's delegate")
    LOCAL_AUTHORITY = "local_authority", _("Local-authority services")
    OTHER = "other", _("Other")


class OrganisationKind(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    CRESS = "cress", _("Regional ESS chamber (CRESS)")
    RESOURCE_CENTRE = "resource_centre", _("City-policy resource centre")
    PREFECTURE = "prefecture", _("Prefecture")
    STATE_AGENCY = "state_agency", _("State agency")
    NETWORK = "network", _("Network")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    PROGRAMME_ADMIN = "programme_admin", _("Programme admin")
    EDITOR = "editor", _("Editor")
    OPERATOR = "operator", _("Operator")
    MEMBER = "member", _("Member")


def validate_territory(value: str) -> None:
    """A `kind:code` identifier, checked by the territories app's parser."""
    if not value:
        return
    try:
        parse_identifier(value)
    except (ValueError, ValidationError) as exc:
        raise ValidationError(
            _("%(value)s is not a valid territory identifier (e.g. epci:243100518, region:76)."),
            params={"value": value},
        ) from exc


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    territory = models.CharField(
        _("territory"),
        max_length=40,
        blank=True,
        validators=[validate_territory],
        help_text=_("Territory identifier, e.g. epci:243100518 or region:76."),
    )
    region_code = models.CharField(
        _("région code"), max_length=3, blank=True, help_text=_("INSEE code of the région (for a CRESS).")
    )
    website = models.URLField(_("website"), blank=True)
    is_demo = models.BooleanField(_("demonstration content"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="profiles",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.OTHER
    )
    language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    email_confirmed_at = models.DateTimeField(_("email confirmed at"), null=True, blank=True)
    is_demo = models.BooleanField(_("demonstration account"), default=False)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        indexes = [models.Index(fields=["role"])]

    def __str__(self):
        return f"{self.user.get_username()} ({self.get_role_display()})"
