"""Who reads the steering dashboard besides the programme team: board members (all of it) and funders (the
conventions their organisation funds)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReaderRole(models.TextChoices):
    BOARD_MEMBER = "board_member", _("Board member")
    FUNDER = "funder", _("Funder")


class SteeringReader(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="steering_reader",
    )
    role = models.CharField(_("role"), max_length=20, choices=ReaderRole.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("funding organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("For a funder: the conventions it funds are the ones this person reads."),
    )

    class Meta:
        verbose_name = _("steering reader")
        verbose_name_plural = _("steering readers")

    def __str__(self):
        return f"{self.user.get_username()} ({self.get_role_display()})"
