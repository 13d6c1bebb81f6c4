from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "essor.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from essor.accounts import signals  # noqa: F401 — connects the role -> admin access sync
