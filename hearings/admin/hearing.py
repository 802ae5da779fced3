"""The hearing screen: a whole hearing, its links, groups, segments and speakers, on one screen."""

import nested_admin
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect, RelatedFieldWidgetWrapper
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hearings.admin.common import (
    HTTPS_URLS,
    MULTILINE,
    SHORT_TEXTAREA,
    ChangesOnceMixin,
    CountColumnsMixin,
    FoldedSearchMixin,
    PublicOnSiteMixin,
    StakeholderGroupListFilter,
    YearListFilter,
    count_column,
)
from hearings.admin.forms import (
    HearingForm,
    HearingPartForm,
    HearingPartFormSet,
    PostedChoiceField,
    PostedChoices,
)
from hearings.admin.history import HistoryMixin
from hearings.admin.importing import HearingImportMixin
from hearings.admin.translation_screen import HearingTranslationsMixin
from hearings.domain.publishing import publish_hearings, unpublish_hearings
from hearings.domain.record_text import SOURCE_LANGUAGE, column, translated_fields
from hearings.models import (
    Appearance,
    Hearing,
    HearingLink,
    HearingParticipation,
    Segment,
)


def english(name):
    """The English column of a translated field (`title_en`): what the hearing screen edits of it."""
    return column(name, SOURCE_LANGUAGE)


class EnglishColumnsMixin:
    """The English column of each translated field (`title_en`) edited as the field itself, whatever language
    the admin speaks: labelled "Title", required where the field is, empty as "" (not NULL), its box marked
    `lang="en"`. So a French-speaking editor sees the English title in the box that saves it, and their save
    writes English into `title_en` and nothing into `title_fr`; the translation screens edit the others.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        source = self.english_source(db_field)
        if source is None:
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        formfield = super().formfield_for_dbfield(source, request, **kwargs)
        if formfield is not None:
            widget = getattr(formfield.widget, "widget", formfield.widget)  # inside the related-object wrapper
            widget.attrs["lang"] = SOURCE_LANGUAGE
        return formfield

    def english_source(self, db_field):
        """The translated field whose English column `db_field` is, or None."""
        model = db_field.model
        for name in translated_fields(model):
            if db_field.name == english(name):
                return model._meta.get_field(name)
        return None


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


class AddAndChangeLinksMixin:
    """A choice of record in a table row offers to add or change the record, not to delete it or view it apart.

    Four icons beside each autocomplete box would push the speakers' row past the window's edge; the records are
    deleted from their own screens, and the change link shows them.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, RelatedFieldWidgetWrapper):
            formfield.widget.can_delete_related = False
            formfield.widget.can_view_related = False
        return formfield


class PostedChoicesMixin:
    """On the hearing screen's POST, an inline's foreign-key field finds the records it names in one query for
    all its rows: otherwise every speaker row would fetch its person and its organization one by one.

    The lookups are kept on the inline, which Django makes anew for each request (`get_inline_instances()`):
    the speakers' rows of every segment of one POST share them, and no other request sees them.
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", PostedChoiceField)
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if isinstance(formfield, PostedChoiceField) and request.method == "POST":
            if db_field.name not in self.posted_choices:
                self.posted_choices[db_field.name] = PostedChoices(formfield.queryset, request.POST, db_field.name)
            formfield.posted = self.posted_choices[db_field.name]
        return formfield

    @cached_property
    def posted_choices(self):
        return {}


class HearingLinkInline(NamedCellsMixin, SortableInlineMixin, nested_admin.NestedTabularInline):
    model = HearingLink
    form = HearingPartForm
    formset = HearingPartFormSet
    fields = ["position", "kind", "title", "url"]
    sortable_field_name = "position"
    formfield_overrides = HTTPS_URLS
    extra = 0


class HearingParticipationInline(PostedChoicesMixin, NamedCellsMixin, nested_admin.NestedTabularInline):
    model = HearingParticipation
    form = HearingPartForm
    formset = HearingPartFormSet
    fields = ["group"]
    autocomplete_fields = ["group"]
    extra = 0


class AppearanceInline(
    EnglishColumnsMixin,
    PostedChoicesMixin,
    AddAndChangeLinksMixin,
    NamedCellsMixin,
    SortableInlineMixin,
    nested_admin.NestedTabularInline,
):
    model = Appearance
    form = HearingPartForm
    formset = HearingPartFormSet
    fields = ["position", "person", "role", english("position_title"), "organization", english("summary")]
    autocomplete_fields = ["person", "organization"]
    sortable_field_name = "position"
    formfield_overrides = SHORT_TEXTAREA
    extra = 0
    # What they said goes on its own line under the speaker's row, so the row fits the screen.
    template = "admin/edit_inline/nested_tabular_wide_fields.html"
    wide_fields = [english("summary")]


class SegmentInline(EnglishColumnsMixin, SortableInlineMixin, nested_admin.NestedStackedInline):
    model = Segment
    form = HearingPartForm
    formset = HearingPartFormSet
    fields = ["position", ("kind", english("title")), english("theme"), english("summary")]
    sortable_field_name = "position"
    formfield_overrides = SHORT_TEXTAREA
    inlines = [AppearanceInline]
    extra = 0


@admin.register(Hearing)
class HearingAdmin(
    EnglishColumnsMixin,
    ChangesOnceMixin,
    CountColumnsMixin,
    FoldedSearchMixin,
    PublicOnSiteMixin,
    HearingImportMixin,
    HearingTranslationsMixin,
    HistoryMixin,
    nested_admin.NestedModelAdmin,
):
    form = HearingForm
    formfield_overrides = MULTILINE
    counts = {"segment_total": (Segment, "hearing"), "speaker_total": (Appearance, "segment__hearing")}
    inlines = [HearingLinkInline, HearingParticipationInline, SegmentInline]
    list_display = ["title", "date", "process_name", "ordinal", "status", "venue", "segment_count", "speaker_count"]
    list_display_links = ["title"]
    list_filter = ["status", "process", YearListFilter, StakeholderGroupListFilter]
    list_select_related = ["process", "venue"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": [english("title")]}
    readonly_fields = ["preview", "translations", "created", "updated"]
    actions = ["publish", "unpublish", "export_json"]
    change_list_template = "admin/hearings/hearing/change_list.html"
    save_on_top = True

    class Media:
        css = {"all": ["hearings/admin-hearing.css", "hearings/admin-languages.css"]}
        js = ["hearings/admin-field-names.js"]

    fieldsets = [
        (None, {"fields": ["process", "ordinal", english("title"), "slug", "status", "preview"]}),
        (_("When and where"), {"fields": ["date", ("start_time", "end_time"), "venue"]}),
        (_("Description"), {"fields": [english("convener"), english("mandate"), english("summary")]}),
        (_("Translations"), {"fields": ["translations"]}),
        (_("Record"), {"classes": ["collapse"], "fields": ["created", "updated"]}),
    ]

    @admin.display(description=_("preview"))
    def preview(self, obj):
        """The hearing's public page; for a draft, as the public will see it once published."""
        if obj.pk is None:
            return _("Save the hearing first.")
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("See the public page of this hearing"))

    @admin.display(description=_("process"), ordering="process__name")
    def process_name(self, obj):
        # A long name without a short one is cut to two lines on screen (the CSS); screen readers get it whole.
        return format_html('<span class="process-name">{}</span>', obj.process.short_name or obj.process.name)

    segment_count = count_column("segment_total", _("segments"))

    speaker_count = count_column("speaker_total", _("appearances"))

    @admin.action(description=_("Publish selected hearings"), permissions=["change"])
    def publish(self, request, queryset):
        changed = publish_hearings(hearings=queryset, user=request.user)
        self.message_user(
            request,
            ngettext("%(count)d hearing published.", "%(count)d hearings published.", len(changed))
            % {"count": len(changed)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected hearings"), permissions=["change"])
    def unpublish(self, request, queryset):
        changed = unpublish_hearings(hearings=queryset, user=request.user)
        self.message_user(
            request,
            ngettext("%(count)d hearing taken back to draft.", "%(count)d hearings taken back to draft.", len(changed))
            % {"count": len(changed)},
            messages.SUCCESS,
        )
