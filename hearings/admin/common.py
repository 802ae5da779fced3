"""What the admin screens share: folded search, group and year filters, count columns, one write path."""

import contextlib

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from hearings.admin.forms import MultilineTextField
from hearings.domain import changes
from hearings.domain.text import fold
from hearings.models import (
    Hearing,
    StakeholderGroup,
)

# Long texts keep plain line breaks, whatever the browser sends.
MULTILINE = {models.TextField: {"form_class": MultilineTextField}}
SHORT_TEXTAREA = {
    models.TextField: {"form_class": MultilineTextField, "widget": forms.Textarea(attrs={"rows": 3, "cols": 60})}
}
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
        # A year no date can have (0, 10000, a hundred digits) finds nothing, as a year without hearings does.
        if not (value.isascii() and value.isdigit() and len(value) <= 4 and 1 <= int(value) <= 9999):
            return queryset.none()
        return queryset.filter(date__year=int(value))


def count_of(model, lookup):
    """How many `model` rows point at the outer row through `lookup`, as a correlated subquery.

    Unlike a join with GROUP BY over the whole table, it runs only for the rows a changelist page shows.
    """
    counted = model.objects.filter(**{lookup: OuterRef("pk")}).order_by().values(lookup).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")[:1]), 0)


def count_column(annotation, description):
    """A changelist column showing the count `CountColumnsMixin` annotated as `annotation`, sortable by it."""

    @admin.display(description=description, ordering=annotation)
    def column(self, obj):
        return getattr(obj, annotation)

    return column


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
