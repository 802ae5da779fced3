from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import signals  # noqa: F401  (connects the sign-in log)


class HearingsAdminConfig(admin_apps.AdminConfig):
    """The Django admin with the site of `accounts.admin_site` as `admin.site`, so every `@admin.register` uses it."""

    default = False  # named in INSTALLED_APPS in django.contrib.admin's place; AccountsConfig is this module's app
    default_site = "accounts.admin_site.HearingsAdminSite"
