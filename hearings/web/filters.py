"""Public filters. Every filter is a GET parameter, so every state is a shareable URL.

The FilterSets validate the parameters (a bad value is a form error, which the
pages answer with a 400) and their forms render the filter panels: each field's
widget is the control on the page.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from hearings.domain.text import fold
from hearings.models import Appearance, Hearing, Organization, Person, Process, StakeholderGroup

MAX_QUERY_LENGTH = 200
# The years a hearing list can be filtered by; another year is a form error (a 400), not an empty list.
FIRST_YEAR, LAST_YEAR = 1900, 2999
# A slug as the records' slugs are written (Django's `validate_slug`), or nothing (no filter). The API schema
# gives it as each slug filter's pattern; a well-formed slug of no public record is a form error all the same.
SLUG_PATTERN = r"^[-a-zA-Z0-9_]*$"
SLUG_SCHEMA = {"type": "string", "pattern": SLUG_PATTERN}


@extend_schema_field(
    {"type": "string", "maxLength": MAX_QUERY_LENGTH, "pattern": r"^[^\x00]*$",
     "description": f"Free text, case- and accent-insensitive. Longer than {MAX_QUERY_LENGTH} characters, or with a "
     "NUL character: a 400."}
)  # fmt: skip
class SearchFilter(django_filters.CharFilter):
    """Free text, case- and accent-insensitive, through the model's `search()` queryset method."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "search"}))
        super().__init__(**kwargs)

    def filter(self, qs, value):
        return qs.search(value) if value else qs


class GroupChoiceField(django_filters.fields.ModelMultipleChoiceField):
    """Stakeholder groups by slug, offered as a tree. An empty value (“All groups”) means no choice, not a bad one."""

    def clean(self, value):
        return super().clean([item for item in value or () if item])

    def set_tree(self, rows, *, counts=None, selected=()):
        """Offer `rows` ((group, depth) pairs in display order); with `counts`, only groups that count or are chosen."""
        options = [
            (group, depth, counts.get(group.pk, 0) if counts is not None else None)
            for group, depth in rows
            if counts is None or counts.get(group.pk) or group.slug in selected
        ]
        indent = "\u2013 " if self.widget.indent_labels else ""
        # On the widget alone: validation keeps to the field's queryset, the control offers these.
        self.widget.choices = [
            *([("", self.widget.blank_label)] if self.widget.blank_label else []),
            *((group.slug, indent * depth + group.name) for group, depth, _count in options),
        ]
        self.widget.details = {group.slug: (depth, count) for group, depth, count in options}


class GroupTreeWidgetMixin:
    """Puts each option's depth in the tree (and its count, if any) into the option's context."""

    details = {}
    indent_labels = False
    blank_label = None

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        option["depth"], option["count"] = self.details.get(str(value), (0, None))
        return option


class GroupCheckboxes(GroupTreeWidgetMixin, forms.CheckboxSelectMultiple):
    template_name = "widgets/group_checkboxes.html"
    option_template_name = "widgets/group_checkbox_option.html"


class GroupSelect(GroupTreeWidgetMixin, forms.Select):
    """One group in a drop-down list; a shared address may still carry several, and all of them apply."""

    indent_labels = True
    blank_label = _("All groups")

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def format_value(self, value):
        return [str(item) for item in value or () if item]


@extend_schema_field(
    {**SLUG_SCHEMA, "description": "The slug of a public stakeholder group; repeat for several. A parent includes its "
     "children. A slug of no public group is a 400."}
)  # fmt: skip
class GroupFilter(django_filters.ModelMultipleChoiceFilter):
    """One or more public stakeholder groups by slug; a parent group includes its children."""

    field_class = GroupChoiceField

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Stakeholder group"))
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("queryset", StakeholderGroup.objects.public())
        super().__init__(**kwargs)

    def filter(self, qs, value):
        return qs.for_stakeholder_groups(value) if value else qs


@extend_schema_field(
    {**SLUG_SCHEMA, "description": "The slug of a public record, as its `slug` gives it. A slug of none is a 400."}
)
class SlugFilter(django_filters.ModelChoiceFilter):
    """A record chosen by its slug."""

    def __init__(self, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(**kwargs)


@extend_schema_field(
    {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR,
     "description": f"A year, {FIRST_YEAR} to {LAST_YEAR}. Another number, or not a whole number: a 400."}
)  # fmt: skip
class YearFilter(django_filters.NumberFilter):
    """A whole year from FIRST_YEAR to LAST_YEAR: “2017.5” is an error, not 2017, and so is 1899."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(**kwargs)


def hearing_date_filters(field_name):
    """The year, "From" and "Until" filters on the date of the hearing that `field_name` reaches.

    Date inputs send ISO dates: only that format is accepted, and shown in errors and hints.
    """
    iso = {"input_formats": ["%Y-%m-%d"], "widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
    return (
        YearFilter(label=_("Year"), field_name=field_name, lookup_expr="year", widget=forms.Select),
        django_filters.DateFilter(label=_("From"), field_name=field_name, lookup_expr="gte", **iso),
        django_filters.DateFilter(label=_("Until"), field_name=field_name, lookup_expr="lte", **iso),
    )  # fmt: skip


class DateRangeForm(forms.Form):
    """A "From" date after the "Until" date is refused, rather than quietly finding nothing."""

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("date_after"), cleaned_data.get("date_before")
        if start and end and start > end:
            self.add_error("date_before", _("This date is before the “From” date."))
        return cleaned_data


class PublicFilterSet(django_filters.FilterSet):
    """A FilterSet over a model's public rows, whose valid state names one result set."""

    def get_form_class(self):
        form = super().get_form_class()
        return type(form.__name__, (DateRangeForm, form), {})

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = self._meta.model.objects.public()
        super().__init__(data, queryset, **kwargs)

    def searches_text(self):
        """Whether the (valid) filters search the records' text: their counts then follow every text edit."""
        return bool(self.form.cleaned_data.get("q"))

    def queryset_without(self, *excluded):
        """The queryset with every valid filter applied except `excluded` (for facet counts)."""
        qs = self.queryset
        for name, value in self.form.cleaned_data.items():
            if name not in excluded:
                qs = self.filters[name].filter(qs, value)
        return qs

    def state(self):
        """The valid filters as plain, order-free values: equal states select the same rows."""
        state = {}
        for name, value in self.form.cleaned_data.items():
            if value in (None, "", [], ()):
                continue
            if hasattr(value, "__iter__") and not isinstance(value, str):
                value = sorted(getattr(item, "slug", item) for item in value)
                if not value:
                    continue
            elif name == "q":
                value = fold(value)
            else:
                value = getattr(value, "slug", value)
            state[name] = value
        return state

    def offer_groups(self, counts=None):
        """Fill the stakeholder-group control with the public group tree (and the facet counts, if given)."""
        field = self.form.fields["stakeholder_group"]
        selected = set(self.data.getlist("stakeholder_group")) if hasattr(self.data, "getlist") else set()
        field.set_tree(StakeholderGroup.objects.public().tree(), counts=counts, selected=selected)


class HearingFilter(PublicFilterSet):
    q = SearchFilter()
    stakeholder_group = GroupFilter(widget=GroupCheckboxes)
    process = SlugFilter(label=_("Process"), queryset=Process.objects.public(), empty_label=_("All processes"))
    year, date_after, date_before = hearing_date_filters("date")

    class Meta:
        model = Hearing
        fields = []

    def offer_facets(self, facets):
        """Offer in each control only the values that find something, each with how many hearings it finds.

        Counts are disjunctive: each is taken with the other filters applied, so
        choosing an option gives exactly that many results. Without facets (the
        filters are invalid), every public group and process is offered.
        """
        fields = self.form.fields
        if facets is None:
            self.offer_groups()
            fields["year"].widget.choices = [("", _("All years"))]
            return
        self.offer_groups(facets["groups"])
        fields["process"].widget.choices = [
            ("", _("All processes")),
            *((slug, f"{name} ({count})") for slug, name, count in facets["processes"]),
        ]
        fields["year"].widget.choices = [
            ("", _("All years")),
            *((str(year), f"{year} ({count})") for year, count in facets["years"]),
        ]


class PersonFilter(PublicFilterSet):
    q = SearchFilter()
    stakeholder_group = GroupFilter(widget=GroupSelect)
    organization = SlugFilter(
        label=_("Organization"),
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

    def filter_organization(self, qs, name, value):
        return qs.filter(person_spoke(organization=value))

    def filter_role(self, qs, name, value):
        return qs.filter(person_spoke(role=value))


def person_spoke(**conditions):
    """The person of the outer row spoke in a published hearing under these conditions."""
    return Exists(Appearance.objects.public().filter(person=OuterRef("pk"), **conditions))


class OrganizationFilter(PublicFilterSet):
    q = SearchFilter()
    stakeholder_group = GroupFilter(widget=GroupSelect)

    class Meta:
        model = Organization
        fields = []


class AppearanceFilter(PublicFilterSet):
    """The hearing list's filters, applied to each appearance's hearing, and the people list's own."""

    q = SearchFilter()
    stakeholder_group = GroupFilter(widget=GroupSelect)
    process = SlugFilter(label=_("Process"), queryset=Process.objects.public(), field_name="segment__hearing__process")
    year, date_after, date_before = hearing_date_filters("segment__hearing__date")
    organization = SlugFilter(label=_("Organization"), queryset=Organization.objects.public())
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Appearance.Role.choices)

    class Meta:
        model = Appearance
        fields = []


# Parameters that change what a public page shows; anything else is left out of links and canonical URLs.
KNOWN_PARAMETERS = frozenset(
    {"page"}.union(*(filterset.base_filters for filterset in (HearingFilter, PersonFilter, OrganizationFilter)))
)
