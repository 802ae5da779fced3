"""The records hearings refer to: groups, organizations, people, processes, venues."""

import reversion
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin

from hearings.admin.common import (
    HTTPS_URLS,
    MULTILINE,
    ChangesOnceMixin,
    CountColumnsMixin,
    FoldedSearchMixin,
    PersonStakeholderGroupListFilter,
    PublicOnSiteMixin,
    SlugSearchMixin,
    count_column,
)
from hearings.admin.forms import (
    SlugFromNameForm,
    VenueForm,
)
from hearings.admin.history import HistoryMixin
from hearings.admin.importing import SpreadsheetImportForm
from hearings.admin.multilingual import RecordLanguagesAdmin
from hearings.domain import changes
from hearings.domain.record_text import every_language
from hearings.domain.spreadsheets import OrganizationResource, PersonResource
from hearings.models import (
    Appearance,
    Hearing,
    Organization,
    Person,
    Process,
    StakeholderGroup,
    Venue,
)


class SpreadsheetImportMixin(ImportMixin):
    """Import from CSV or spreadsheet files: the file is checked and shown row by row, then imported on confirmation.

    The confirmed import is one revision, with the file's name as its comment,
    and its derived data follow once, at the end, like any admin save. A file
    over the limits, or without a column its rows need, is refused by the form
    before it is read (`SpreadsheetImportForm`); errors show their message,
    never a traceback.
    """

    import_form_class = SpreadsheetImportForm
    import_template_name = "admin/hearings/spreadsheet_import.html"

    def import_action(self, request, **kwargs):
        try:
            return super().import_action(request, **kwargs)
        finally:
            changes.forget()  # the check ran in a transaction that was rolled back

    def process_dataset(self, dataset, form, request, **kwargs):
        with changes.atomic(), reversion.create_revision():
            reversion.set_user(request.user)
            name = kwargs.get("file_name") or form.cleaned_data.get("original_file_name") or ""
            reversion.set_comment(gettext("Imported from %(files)s") % {"files": name})
            return super().process_dataset(dataset, form, request, **kwargs)


@admin.register(StakeholderGroup)
class StakeholderGroupAdmin(
    ChangesOnceMixin, CountColumnsMixin, SlugSearchMixin, PublicOnSiteMixin, HistoryMixin, RecordLanguagesAdmin
):
    form = SlugFromNameForm
    formfield_overrides = MULTILINE
    counts = {"organization_total": (Organization, "stakeholder_group")}
    list_display = ["name", "parent", "position", "slug", "organization_count"]
    list_editable = ["position"]
    list_select_related = ["parent"]
    search_fields = every_language(StakeholderGroup, ["name", "slug", "description"])
    prepopulated_fields = {"slug": ["name_en"]}
    readonly_fields = ["created", "updated"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "parent", "position"]}),
        (_("More"), {"classes": ["collapse"], "fields": ["description", "created", "updated"]}),
    ]

    organization_count = count_column("organization_total", _("organizations"))


@admin.register(Organization)
class OrganizationAdmin(
    SpreadsheetImportMixin,
    ChangesOnceMixin,
    CountColumnsMixin,
    FoldedSearchMixin,
    PublicOnSiteMixin,
    HistoryMixin,
    RecordLanguagesAdmin,
):
    form = SlugFromNameForm
    resource_classes = [OrganizationResource]
    counts = {"appearance_total": (Appearance, "organization")}
    list_display = ["name", "short_name", "stakeholder_group", "country", "appearance_count"]
    list_filter = ["stakeholder_group"]
    list_select_related = ["stakeholder_group"]
    formfield_overrides = {**HTTPS_URLS, **MULTILINE}
    prepopulated_fields = {"slug": ["name_en"]}
    readonly_fields = ["created", "updated"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "stakeholder_group"]}),
        (_("More"), {"classes": ["collapse"], "fields": ["country", "website", "created", "updated"]}),
    ]

    appearance_count = count_column("appearance_total", _("appearances"))


@admin.register(Person)
class PersonAdmin(
    SpreadsheetImportMixin, ChangesOnceMixin, CountColumnsMixin, FoldedSearchMixin, PublicOnSiteMixin, HistoryMixin
):
    form = SlugFromNameForm
    formfield_overrides = MULTILINE
    resource_classes = [PersonResource]
    counts = {"appearance_total": (Appearance, "person")}
    list_display = ["name", "sort_name", "honorific_prefix", "slug", "appearance_count"]
    list_filter = [PersonStakeholderGroupListFilter]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created", "updated"]
    fieldsets = [
        (None, {"fields": ["honorific_prefix", "name", "sort_name", "slug"]}),
        (_("More"), {"classes": ["collapse"], "fields": ["other_names", "biography", "created", "updated"]}),
    ]

    appearance_count = count_column("appearance_total", _("appearances"))


@admin.register(Process)
class ProcessAdmin(
    ChangesOnceMixin, CountColumnsMixin, SlugSearchMixin, PublicOnSiteMixin, HistoryMixin, RecordLanguagesAdmin
):
    form = SlugFromNameForm
    formfield_overrides = MULTILINE
    counts = {"hearing_total": (Hearing, "process")}
    list_display = ["name", "short_name", "slug", "hearing_count"]
    search_fields = every_language(Process, ["name", "short_name", "slug", "mandate"])
    prepopulated_fields = {"slug": ["name_en"]}
    readonly_fields = ["created", "updated"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "mandate"]}),
        (_("More"), {"classes": ["collapse"], "fields": ["description", "created", "updated"]}),
    ]

    hearing_count = count_column("hearing_total", _("hearings"))


class VenueCityListFilter(admin.SimpleListFilter):
    """The venues' cities by their English names, the same list whatever language the admin speaks."""

    title = _("city")
    parameter_name = "city"

    def lookups(self, request, model_admin):
        cities = model_admin.get_queryset(request).exclude(city_en="").values_list("city_en", flat=True)
        return [(city, city) for city in cities.order_by("city_en").distinct()]

    def queryset(self, request, queryset):
        return queryset.filter(city_en=self.value()) if self.value() else queryset


@admin.register(Venue)
class VenueAdmin(ChangesOnceMixin, SlugSearchMixin, HistoryMixin, RecordLanguagesAdmin):
    form = VenueForm
    formfield_overrides = MULTILINE
    view_on_site = False  # venues have no public page of their own
    list_display = ["name", "site", "city", "country", "slug"]
    list_filter = [VenueCityListFilter]
    search_fields = every_language(Venue, ["name", "site", "city", "country", "slug"])
    prepopulated_fields = {"slug": ["name_en", "city_en"]}
    readonly_fields = ["created", "updated"]
    fieldsets = [
        (None, {"fields": ["name", "site", "city", "country", "slug"]}),
        (_("Record"), {"classes": ["collapse"], "fields": ["created", "updated"]}),
    ]
