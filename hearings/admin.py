"""The editors' admin: a whole hearing, its segments and speakers, on one screen."""

import contextlib

import nested_admin
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import changes
from .forms import (
    ConstraintMessageFormSet,
    HearingForm,
    HearingPartForm,
    PostedChoiceField,
    SlugFromNameForm,
    VenueForm,
    posted_choices,
)
from .models import (
    Appearance,
    Hearing,
    HearingLink,
    HearingParticipation,
    Organization,
    Person,
    Process,
    Segment,
    StakeholderGroup,
    Venue,
)
from .services import publish_hearings, unpublish_hearings
from .text import fold

admin.site.site_header = _("Hearings records")
admin.site.site_title = _("Hearings records")

SHORT_TEXTAREA = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 60})}}
# An address typed without a scheme is a web address of today: https.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


# --- Search and filters -------------------------------------------------------


class FoldedSearchMixin:
    """Searches the folded `search_text`, so “lajcak”, “LAJČÁK” and “Lajčák” find the same rows on every database.

    Also answers the autocomplete boxes of the hearing screen.
    """

    search_fields = ["search_text"]

    def get_search_results(self, request, queryset, search_term):
        if not fold(search_term):
            return queryset, False
        return queryset.search(search_term), False


class SlugSearchMixin:
    """Django's search on `search_fields`, plus the ASCII slug for typed text without its accents."""

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        slug_term = slugify(fold(search_term))
        if slug_term:
            results |= queryset.filter(slug__contains=slug_term)
        return results, may_have_duplicates


class StakeholderGroupListFilter(admin.SimpleListFilter):
    """By stakeholder group, by slug; a parent group also matches the records of its subgroups."""

    title = _("stakeholder group")
    parameter_name = "stakeholder_group"

    def lookups(self, request, model_admin):
        tree = StakeholderGroup.objects.tree()
        self._ids_by_slug = {group.slug: group.pk for group, _depth in tree}
        return [(group.slug, "— " * depth + group.name) for group, depth in tree]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        group_id = self._ids_by_slug.get(self.value())
        if group_id is None:
            # An unknown slug in a shared address finds nothing rather than everything.
            return queryset.none()
        return self.filter_by_group(queryset, group_id)

    def filter_by_group(self, queryset, group_id):
        return queryset.for_stakeholder_groups([group_id])


class PersonStakeholderGroupListFilter(StakeholderGroupListFilter):
    title = _("spoke for stakeholder group")

    def filter_by_group(self, queryset, group_id):
        # Editors see drafts too.
        return queryset.for_stakeholder_groups([group_id], public_only=False)


class YearListFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        return [(str(day.year), str(day.year)) for day in Hearing.objects.dates("date", "year", order="DESC")]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(date__year=int(value))


def count_of(model, lookup):
    """How many `model` rows point at the outer row through `lookup`, as a correlated subquery.

    Unlike a join with GROUP BY over the whole table, it runs only for the rows a changelist page shows.
    """
    counted = model.objects.filter(**{lookup: OuterRef("pk")}).order_by().values(lookup).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")[:1]), 0)


class CountColumnsMixin:
    """Counts for the list columns, as `{"annotation": (model, "lookup to this row")}`, in the changelist's query."""

    counts = {}

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not self.counts:
            return queryset
        return queryset.annotate(**{name: count_of(*counted) for name, counted in self.counts.items()})


class ChangesOnceMixin:
    """A POST (save, delete, action, list edit) applies its record changes to the derived data once, at its end.

    See `changes`: the request's writes, their search text and group index and
    the new data version commit together.
    """

    def changeform_view(self, request, *args, **kwargs):
        with self._changes(request):
            return super().changeform_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        with self._changes(request):
            return super().delete_view(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        with self._changes(request):
            return super().changelist_view(request, *args, **kwargs)

    def _changes(self, request):
        return changes.atomic() if request.method == "POST" else contextlib.nullcontext()


class PublicOnSiteMixin:
    """“View on site” only for records the public site shows; drafts and their people have no public page."""

    def view_on_site(self, obj):
        if self.model._default_manager.public().filter(pk=obj.pk).exists():
            return obj.get_absolute_url()
        return None


# --- The hearing screen ------------------------------------------------------


class SortableInlineMixin:
    """The order field is kept by drag and drop, so it is not typed."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == self.sortable_field_name:
            kwargs["widget"] = forms.HiddenInput()
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class NamedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete box whose empty state says what it is for, which also gives it an accessible name."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        attrs["data-placeholder"] = capfirst(self.field.verbose_name)
        return attrs


class NamedCellsMixin:
    """Table rows show labels only as column headings; name each field so screen readers announce it."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = NamedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and not formfield.widget.is_hidden:
            widget = getattr(formfield.widget, "widget", formfield.widget)  # inside the related-object wrapper
            widget.attrs.setdefault("aria-label", formfield.label)
        return formfield


class PostedChoicesMixin:
    """On the hearing screen's POST, each foreign-key field finds the records it names in one query for all rows.

    Otherwise every speaker row would fetch its person and its organization one by one.
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", PostedChoiceField)
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if isinstance(formfield, PostedChoiceField) and request.method == "POST":
            formfield.posted = posted_choices(request, db_field.name, formfield.queryset)
        return formfield


class HearingLinkInline(NamedCellsMixin, SortableInlineMixin, nested_admin.NestedTabularInline):
    model = HearingLink
    form = HearingPartForm
    formset = ConstraintMessageFormSet
    fields = ["position", "kind", "title", "url"]
    sortable_field_name = "position"
    formfield_overrides = HTTPS_URLS
    extra = 0


class HearingParticipationInline(PostedChoicesMixin, NamedCellsMixin, nested_admin.NestedTabularInline):
    model = HearingParticipation
    form = HearingPartForm
    formset = ConstraintMessageFormSet
    fields = ["group"]
    autocomplete_fields = ["group"]
    extra = 0


class AppearanceInline(PostedChoicesMixin, NamedCellsMixin, SortableInlineMixin, nested_admin.NestedTabularInline):
    model = Appearance
    form = HearingPartForm
    formset = ConstraintMessageFormSet
    fields = ["position", "person", "role", "position_title", "organization", "summary"]
    autocomplete_fields = ["person", "organization"]
    sortable_field_name = "position"
    formfield_overrides = SHORT_TEXTAREA
    extra = 0


class SegmentInline(SortableInlineMixin, nested_admin.NestedStackedInline):
    model = Segment
    form = HearingPartForm
    formset = ConstraintMessageFormSet
    fields = ["position", ("kind", "title"), "theme", "summary"]
    sortable_field_name = "position"
    formfield_overrides = SHORT_TEXTAREA
    inlines = [AppearanceInline]
    extra = 0


@admin.register(Hearing)
class HearingAdmin(
    ChangesOnceMixin,
    PostedChoicesMixin,
    CountColumnsMixin,
    FoldedSearchMixin,
    PublicOnSiteMixin,
    nested_admin.NestedModelAdmin,
):
    form = HearingForm
    counts = {"segment_total": (Segment, "hearing"), "speaker_total": (Appearance, "segment__hearing")}
    inlines = [HearingLinkInline, HearingParticipationInline, SegmentInline]
    list_display = ["title", "date", "process_name", "ordinal", "status", "venue", "segment_count", "speaker_count"]
    list_display_links = ["title"]
    list_filter = ["status", "process", YearListFilter, StakeholderGroupListFilter]
    list_select_related = ["process", "venue"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created", "updated"]
    actions = ["publish", "unpublish"]
    save_on_top = True

    class Media:
        js = ["hearings/admin-field-names.js"]

    fieldsets = [
        (None, {"fields": ["process", "ordinal", "title", "slug", "status"]}),
        (_("When and where"), {"fields": ["date", ("start_time", "end_time"), "venue"]}),
        (_("Description"), {"fields": ["convener", "mandate", "summary"]}),
        (_("Record"), {"classes": ["collapse"], "fields": ["created", "updated"]}),
    ]

    @admin.display(description=_("process"), ordering="process__name")
    def process_name(self, obj):
        return obj.process.short_name or obj.process.name

    @admin.display(description=_("segments"), ordering="segment_total")
    def segment_count(self, obj):
        return obj.segment_total

    @admin.display(description=_("appearances"), ordering="speaker_total")
    def speaker_count(self, obj):
        return obj.speaker_total

    @admin.action(description=_("Publish selected hearings"), permissions=["change"])
    def publish(self, request, queryset):
        changed = publish_hearings(hearings=queryset)
        self.message_user(
            request,
            ngettext("%(count)d hearing published.", "%(count)d hearings published.", len(changed))
            % {"count": len(changed)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected hearings"), permissions=["change"])
    def unpublish(self, request, queryset):
        changed = unpublish_hearings(hearings=queryset)
        self.message_user(
            request,
            ngettext("%(count)d hearing taken back to draft.", "%(count)d hearings taken back to draft.", len(changed))
            % {"count": len(changed)},
            messages.SUCCESS,
        )


# --- The records hearings refer to ------------------------------------------


@admin.register(StakeholderGroup)
class StakeholderGroupAdmin(ChangesOnceMixin, CountColumnsMixin, SlugSearchMixin, PublicOnSiteMixin, admin.ModelAdmin):
    form = SlugFromNameForm
    counts = {"organization_total": (Organization, "stakeholder_group")}
    list_display = ["name", "parent", "position", "slug", "organization_count"]
    list_editable = ["position"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created", "updated"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "parent", "position"]}),
        (_("More"), {"classes": ["collapse"], "fields": ["description", "created", "updated"]}),
    ]

    @admin.display(description=_("organizations"), ordering="organization_total")
    def organization_count(self, obj):
        return obj.organization_total


@admin.register(Organization)
class OrganizationAdmin(ChangesOnceMixin, CountColumnsMixin, FoldedSearchMixin, PublicOnSiteMixin, admin.ModelAdmin):
    form = SlugFromNameForm
    counts = {"appearance_total": (Appearance, "organization")}
    list_display = ["name", "short_name", "stakeholder_group", "country", "appearance_count"]
    list_filter = ["stakeholder_group"]
    list_select_related = ["stakeholder_group"]
    formfield_overrides = HTTPS_URLS
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created", "updated"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "stakeholder_group"]}),
        (_("More"), {"classes": ["collapse"], "fields": ["country", "website", "created", "updated"]}),
    ]

    @admin.display(description=_("appearances"), ordering="appearance_total")
    def appearance_count(self, obj):
        return obj.appearance_total


@admin.register(Person)
class PersonAdmin(ChangesOnceMixin, CountColumnsMixin, FoldedSearchMixin, PublicOnSiteMixin, admin.ModelAdmin):
    form = SlugFromNameForm
    counts = {"appearance_total": (Appearance, "person")}
    list_display = ["name", "sort_name", "honorific_prefix", "slug", "appearance_count"]
    list_filter = [PersonStakeholderGroupListFilter]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created", "updated"]
    fieldsets = [
        (None, {"fields": ["honorific_prefix", "name", "sort_name", "slug"]}),
        (_("More"), {"classes": ["collapse"], "fields": ["other_names", "biography", "created", "updated"]}),
    ]

    @admin.display(description=_("appearances"), ordering="appearance_total")
    def appearance_count(self, obj):
        return obj.appearance_total


@admin.register(Process)
class ProcessAdmin(ChangesOnceMixin, CountColumnsMixin, SlugSearchMixin, PublicOnSiteMixin, admin.ModelAdmin):
    form = SlugFromNameForm
    counts = {"hearing_total": (Hearing, "process")}
    list_display = ["name", "short_name", "slug", "hearing_count"]
    search_fields = ["name", "short_name", "slug", "mandate"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created", "updated"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "mandate"]}),
        (_("More"), {"classes": ["collapse"], "fields": ["description", "created", "updated"]}),
    ]

    @admin.display(description=_("hearings"), ordering="hearing_total")
    def hearing_count(self, obj):
        return obj.hearing_total


@admin.register(Venue)
class VenueAdmin(ChangesOnceMixin, SlugSearchMixin, admin.ModelAdmin):
    form = VenueForm
    view_on_site = False  # venues have no public page of their own
    list_display = ["name", "site", "city", "country", "slug"]
    list_filter = ["city"]
    search_fields = ["name", "site", "city", "country", "slug"]
    prepopulated_fields = {"slug": ["name", "city"]}
    readonly_fields = ["created", "updated"]
    fieldsets = [
        (None, {"fields": ["name", "site", "city", "country", "slug"]}),
        (_("Record"), {"classes": ["collapse"], "fields": ["created", "updated"]}),
    ]
