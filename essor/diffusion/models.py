"""API keys of partner platforms: a higher request quota than anonymous clients (docs/adr, API keys)."""

import hashlib
import hmac
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

KEY_PREFIX = "essor_"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def matching(self, presented: str):
        """The active key a client presented (`essor_<id>_<secret>`), or None. The secret is stored hashed and
        compared in constant time; the public id finds the row with one indexed lookup."""
        if not presented.startswith(KEY_PREFIX):
            return None
        public_id, _sep, secret = presented.removeprefix(KEY_PREFIX).partition("_")
        if not public_id or not secret:
            return None
        key = self.filter(public_id=public_id, is_active=True).first()
        if key is None or not hmac.compare_digest(key.secret_hash, hash_secret(secret)):
            return None
        return key


class ApiKey(models.Model):
    name = models.CharField(
        _("partner"), max_length=200, help_text=_("Who uses this key (platform, organisation).")
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    public_id = models.CharField(max_length=12, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    rate = models.CharField(
        _("quota"),
        max_length=20,
        blank=True,
        help_text=_("Requests per period, e.g. 6000/h; empty: the default quota of API keys."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({KEY_PREFIX}{self.public_id}_…)"

    @classmethod
    def issue(cls, name: str, rate: str = "", contact_email: str = "") -> tuple["ApiKey", str]:
        """A new key and its full value, shown once (only its hash is kept)."""
        public_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(24)
        key = cls.objects.create(
            name=name,
            rate=rate,
            contact_email=contact_email,
            public_id=public_id,
            secret_hash=hash_secret(secret),
        )
        return key, f"{KEY_PREFIX}{public_id}_{secret}"
