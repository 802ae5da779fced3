"""Public filters. Every filter is a GET parameter, so every state is a shareable URL."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from .models import Appearance, Hearing, Organization, Person, Process, StakeholderGroup

MAX_QUERY_LENGTH = 200


class SearchFilter(django_filters.CharFilter):
    """Free text, case- and accent-insensitive, through the model's `search()` queryset method."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        super().__init__(**kwargs)

    def filter(self, qs, value):
        return qs.search(value) if value else qs


class BlankTolerantMultipleChoiceField(django_filters.fields.ModelMultipleChoiceField):
    """A form's "All groups" option sends `stakeholder_group=`: an empty value means no choice, not a bad one."""

    def clean(self, value):
        return super().clean([item for item in value or () if item])


class GroupFilter(django_filters.ModelMultipleChoiceFilter):
    """One or more stakeholder groups by slug; a parent group includes its children."""

    field_class = BlankTolerantMultipleChoiceField

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Stakeholder group"))
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("queryset", StakeholderGroup.objects.all())
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(**kwargs)

    def filter(self, qs, value):
        return qs.for_stakeholder_groups(value) if value else qs


class YearFilter(django_filters.NumberFilter):
    """A whole year: “2017.5” is an error, not 2017."""

    field_class = forms.IntegerField


class HearingFilter(django_filters.FilterSet):
    q = SearchFilter()
    stakeholder_group = GroupFilter()
    process = django_filters.ModelChoiceFilter(
        label=_("Process"),
        to_field_name="slug",
        queryset=Process.objects.filter(Exists(Hearing.objects.published().filter(process=OuterRef("pk")))),
        empty_label=_("All processes"),
    )
    year = YearFilter(label=_("Year"), field_name="date", lookup_expr="year", min_value=1900, max_value=2999)
    date_after = django_filters.DateFilter(
        label=_("From"),
        field_name="date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_before = django_filters.DateFilter(
        label=_("Until"),
        field_name="date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Hearing
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset if queryset is not None else Hearing.objects.published(), **kwargs)
        # Date inputs send ISO dates; show only that format in errors and hints.
        for name in ("date_after", "date_before"):
            self.form.fields[name].input_formats = ["%Y-%m-%d"]


class PersonFilter(django_filters.FilterSet):
    q = SearchFilter()
    stakeholder_group = GroupFilter()
    organization = django_filters.ModelChoiceFilter(
        label=_("Organization"),
        to_field_name="slug",
        queryset=Organization.objects.public(),
        method="filter_organization",
        widget=forms.HiddenInput,
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Appearance.Role.choices, method="filter_role", empty_label=_("Any role")
    )

    class Meta:
        model = Person
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset if queryset is not None else Person.objects.public(), **kwargs)

    @staticmethod
    def _published_appearances():
        return Appearance.objects.filter(person=OuterRef("pk"), segment__hearing__status=Hearing.Status.PUBLISHED)

    def filter_organization(self, qs, name, value):
        return qs.filter(Exists(self._published_appearances().filter(organization=value)))

    def filter_role(self, qs, name, value):
        return qs.filter(Exists(self._published_appearances().filter(role=value)))


class OrganizationFilter(django_filters.FilterSet):
    q = SearchFilter()
    stakeholder_group = GroupFilter()

    class Meta:
        model = Organization
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset if queryset is not None else Organization.objects.public(), **kwargs)
