"""API keys in the back office: the full key is shown once, when it is created."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from essor.diffusion.models import KEY_PREFIX, ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "key_id", "rate", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "contact_email", "public_id")
    fields = ("name", "contact_email", "rate", "is_active")

    @admin.display(description=gettext_lazy("key"))
    def key_id(self, obj):
        return f"{KEY_PREFIX}{obj.public_id}_…"

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        key, value = ApiKey.issue(obj.name, rate=obj.rate, contact_email=obj.contact_email)
        obj.pk, obj.public_id, obj.secret_hash, obj.created_at = (
            key.pk,
            key.public_id,
            key.secret_hash,
            key.created_at,
        )
        obj.is_active = key.is_active
        if not form.cleaned_data.get("is_active", True):
            ApiKey.objects.filter(pk=key.pk).update(is_active=False)
        messages.warning(
            request,
            _("API key for %(name)s (shown once, copy it now): %(key)s") % {"name": obj.name, "key": value},
        )
