"""The editors' admin: a whole hearing, its segments and speakers, on one screen."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from hearings.admin import hearing, records  # noqa: F401  (registers the model admins)

admin.site.site_header = _("Hearings records")
admin.site.site_title = _("Hearings records")
