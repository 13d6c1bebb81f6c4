"""Who changed what and when on the roadmap, conventions and indicators (written by steering.audit)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Changed")
    DELETED = "deleted", _("Deleted")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.SET_NULL, null=True, blank=True
    )
    # Kept when the account is deleted, so that the trail still says who it was.
    actor = models.CharField(_("by"), max_length=200)
    source = models.CharField(_("through"), max_length=40)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("content type"))
    object_id = models.CharField(max_length=40, verbose_name=_("object id"))
    object_repr = models.CharField(_("object"), max_length=300)
    action = models.CharField(_("change"), max_length=10, choices=AuditAction.choices)
    changes = models.JSONField(_("fields changed"), default=dict, blank=True)  # {field: [before, after]}

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"

    @property
    def kind_label(self) -> str:
        model = self.content_type.model_class()
        return str(model._meta.verbose_name) if model else self.content_type.model
