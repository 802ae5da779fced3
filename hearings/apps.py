from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HearingsConfig(AppConfig):
    name = "hearings"
    verbose_name = _("Hearings records")

    def ready(self):
        from hearings.domain import history, signals  # noqa: F401  (signals connects its receivers)

        # Revisions store every field of a record, the translated columns too: django-modeltranslation adds
        # those in its own ready(), which runs before this one (it comes first in INSTALLED_APPS).
        history.register()
