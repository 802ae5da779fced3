from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Open data")

    def ready(self):
        # drf-spectacular finds its extensions by their import, as its documentation says: before any schema.
        from .api import schema  # noqa: F401
