from django.db.models.signals import post_save
from django.dispatch import receiver

from essor.accounts.models import Profile
from essor.accounts.roles import sync_admin_access


@receiver(post_save, sender=Profile, dispatch_uid="essor.accounts.sync_admin_access")
def profile_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        sync_admin_access(instance)
