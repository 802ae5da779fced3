"""The read API's representations. Slugs are the identifiers; every object carries its `url` (API) and `html_url`.

A record's translated text shows in the plain fields (`title`, `name`, …) in
the answer's language, or in English where that language has none; its
`translations` hold every language's text (see `TranslationsField`).

These serializers are the one description of a record's public shape: the CSV
downloads (`opendata.downloads`) take their columns from them, and the hearing
import (`hearings.domain.importing`) reads a file of the hearing detail's shape by
their fields (`own_fields`, `translated_names`). So a new field of a record is
listed once, here. An appearance's own fields are `AppearanceFieldsSerializer`'s,
shared by the hearing detail's speakers and the researchers' table.

An export (`export_hearings`) is the hearing detail as an editor edits it and
imports it back: each text once per language, the plain fields in English and
`translations` holding only the other languages.
"""

from functools import cache, cached_property

from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hearings.domain.record_text import SOURCE_LANGUAGE, languages, translated_fields, translations
from hearings.models import (
    Appearance,
    Hearing,
    HearingLink,
    Organization,
    Person,
    Process,
    Segment,
    StakeholderGroup,
    Venue,
)

# The serializer context's key of an export: plain fields in English, `translations` without English.
EXPORT = "export"


class HtmlUrlField(serializers.Field):
    """The object's public page (its path alone where the context has no request, as in a command's export)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


extend_schema_field(OpenApiTypes.URI)(HtmlUrlField)


class TranslationsField(serializers.Field):
    """The record's text in every language that has any: {language: {field: text}}, English first.

    Only the non-empty texts; the fields are named as the serializer names them
    (an appearance's `position_title` is its `position`). Read from the columns
    already loaded with the record: no query. In an export (`EXPORT` in the
    context) English is left out: the plain fields give it, once.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            format_lazy(
                _(
                    "The record's text in each language that has any, keyed by language code ({codes}): "
                    "each holds only the fields that have text in that language. The plain fields show the "
                    "answer's language, or English where it has no text."
                ),
                codes=", ".join(languages()),
            ),
        )
        super().__init__(source="*", read_only=True, **kwargs)

    @cached_property
    def names(self):
        """{model field: the name it is shown under} for the parent's model's translated fields."""
        renamed = {field.source: name for name, field in self.parent.fields.items() if field.source != name}
        return {field: renamed.get(field, field) for field in translated_fields(self.parent.Meta.model)}

    def to_representation(self, record):
        names = self.names
        exported = self.context.get(EXPORT, False)
        return {
            language: {names[field]: text for field, text in texts.items()}
            for language, texts in translations(record, tuple(names)).items()
            if not (exported and language == SOURCE_LANGUAGE)
        }


def api_url(view_name):
    return serializers.HyperlinkedIdentityField(view_name=f"api:{view_name}-detail", lookup_field="slug")


def api_link(view_name, **kwargs):
    return serializers.HyperlinkedRelatedField(
        view_name=f"api:{view_name}-detail", lookup_field="slug", read_only=True, **kwargs
    )


class GroupRefSerializer(serializers.ModelSerializer):
    url = api_url("stakeholdergroup")

    class Meta:
        model = StakeholderGroup
        fields = ["slug", "name", "url"]


class StakeholderGroupSerializer(serializers.ModelSerializer):
    url = api_url("stakeholdergroup")
    translations = TranslationsField()
    html_url = HtmlUrlField()
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    children = serializers.SerializerMethodField()

    class Meta:
        model = StakeholderGroup
        fields = ["slug", "name", "description", "parent", "children", "position", "translations", "url", "html_url"]

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_children(self, group):
        return self.context.get("children", {}).get(group.pk, [])


class OrganizationRefSerializer(serializers.ModelSerializer):
    url = api_url("organization")
    stakeholder_group = GroupRefSerializer(read_only=True)
    # An organization's name in every language goes with it, so that an exported hearing imported elsewhere keeps
    # them (and an export in another language is told apart from an English one).
    translations = TranslationsField()

    class Meta:
        model = Organization
        fields = ["slug", "name", "short_name", "stakeholder_group", "translations", "url"]


class OrganizationSerializer(serializers.ModelSerializer):
    url = api_url("organization")
    translations = TranslationsField()
    html_url = HtmlUrlField()
    stakeholder_group = GroupRefSerializer(read_only=True)

    class Meta:
        model = Organization
        fields = [
            "slug", "name", "short_name", "stakeholder_group", "country", "website", "translations", "url", "html_url",
        ]  # fmt: skip


class PersonRefSerializer(serializers.ModelSerializer):
    url = api_url("person")

    class Meta:
        model = Person
        fields = ["slug", "name", "sort_name", "honorific_prefix", "url"]


class PersonSerializer(serializers.ModelSerializer):
    url = api_url("person")
    html_url = HtmlUrlField()
    other_names = serializers.ListField(source="other_names_list", child=serializers.CharField(), read_only=True)

    class Meta:
        model = Person
        fields = ["slug", "name", "sort_name", "honorific_prefix", "other_names", "biography", "url", "html_url"]


class ProcessSerializer(serializers.ModelSerializer):
    url = api_url("process")
    translations = TranslationsField()
    html_url = HtmlUrlField()

    class Meta:
        model = Process
        fields = ["slug", "name", "short_name", "mandate", "description", "translations", "url", "html_url"]


class VenueSerializer(serializers.ModelSerializer):
    url = api_url("venue")
    translations = TranslationsField()

    class Meta:
        model = Venue
        fields = ["slug", "name", "site", "city", "country", "translations", "url"]


# An appearance's own fields, under their public names: the one list of them. The hearing detail's speakers
# (`SegmentAppearanceSerializer`), the researchers' table (`AppearanceSerializer`), `appearances.csv` and the
# hearing import all read it, so a new field of an appearance is added here (besides the model, the admin and
# the page). The model's `position` is the speaking order, shown as `order`; `position` here is the job title the
# person held (the model's `position_title`): public names that clients use. (No docstring: the schema would
# show it as the subclasses' description.)
class AppearanceFieldsSerializer(serializers.ModelSerializer):
    order = serializers.IntegerField(
        source="position", read_only=True, help_text="The speaking order within the segment."
    )
    person = PersonRefSerializer(read_only=True)
    position = serializers.CharField(
        source="position_title",
        read_only=True,
        help_text="The position (job title) the person held at the time, as the source gives it: “Chairperson”.",
    )
    organization = OrganizationRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Appearance
        fields = ["order", "person", "role", "position", "organization"]


class SegmentAppearanceSerializer(AppearanceFieldsSerializer):
    """A speaker of a segment: who, in which role and position, for which organization, and what they said."""

    translations = TranslationsField()

    class Meta(AppearanceFieldsSerializer.Meta):
        fields = [*AppearanceFieldsSerializer.Meta.fields, "summary", "translations"]


class SegmentSerializer(serializers.ModelSerializer):
    appearances = SegmentAppearanceSerializer(many=True, read_only=True)
    order = serializers.IntegerField(source="position", read_only=True)
    translations = TranslationsField()

    class Meta:
        model = Segment
        fields = ["order", "kind", "title", "theme", "summary", "translations", "appearances"]


class HearingLinkSerializer(serializers.ModelSerializer):
    # Text, as before: as a choice field, its enum would take the name "KindEnum" the schema gives the segments' kind.
    kind = serializers.CharField(read_only=True)

    class Meta:
        model = HearingLink
        fields = ["kind", "title", "url"]


class HearingSerializer(serializers.ModelSerializer):
    url = api_url("hearing")
    html_url = HtmlUrlField()
    process = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    venue = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    participating_groups = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    translations = TranslationsField()

    class Meta:
        model = Hearing
        fields = [
            "slug", "title", "process", "ordinal", "date", "start_time", "end_time", "venue", "convener", "mandate",
            "participating_groups", "translations", "url", "html_url",
        ]  # fmt: skip


class HearingDetailSerializer(HearingSerializer):
    process = ProcessSerializer(read_only=True)
    venue = VenueSerializer(read_only=True, allow_null=True)
    participating_groups = GroupRefSerializer(many=True, read_only=True)
    segments = SegmentSerializer(many=True, read_only=True)
    links = HearingLinkSerializer(many=True, read_only=True)

    class Meta(HearingSerializer.Meta):
        fields = [*HearingSerializer.Meta.fields, "summary", "links", "segments"]


class AppearanceSerializer(AppearanceFieldsSerializer):
    """One row per person per segment: the researchers' table."""

    hearing = serializers.SlugRelatedField(source="segment.hearing", slug_field="slug", read_only=True)
    hearing_url = api_link("hearing", source="segment.hearing")
    date = serializers.DateField(source="segment.hearing.date", read_only=True)
    process = serializers.SlugRelatedField(source="segment.hearing.process", slug_field="slug", read_only=True)
    segment_order = serializers.IntegerField(source="segment.position", read_only=True)
    segment_kind = serializers.CharField(source="segment.kind", read_only=True)
    segment_title = serializers.CharField(source="segment.title", read_only=True)
    translations = TranslationsField()

    class Meta(AppearanceFieldsSerializer.Meta):
        fields = [
            "hearing", "hearing_url", "date", "process", "segment_order", "segment_kind", "segment_title",
            *AppearanceFieldsSerializer.Meta.fields, "translations",
        ]  # fmt: skip


# --- What an import of the same shape reads ---------------------------------------------------------------


@cache
def own_fields(serializer_class):
    """{public name: model field} of the fields that show one of the model's own columns as it is: not a nested
    record, a relation, a link or a computed value. What an import of the serializer's shape writes."""
    model = serializer_class.Meta.model
    columns = {field.name for field in model._meta.concrete_fields if not field.is_relation}
    return {
        name: field.source
        for name, field in serializer_class().fields.items()
        if field.source in columns and not isinstance(field, serializers.BaseSerializer | serializers.RelatedField)
    }


@cache
def translated_names(serializer_class):
    """{public name: model field} of the model's translated fields, as the serializer's `translations` name them."""
    translations_field = serializer_class().fields.get("translations")
    if translations_field is None:
        return {}
    return {name: field for field, name in translations_field.names.items()}


def export_hearings(hearings, *, request=None):
    """`hearings` (with their records loaded, as `hearings.queries.selectors.hearings_for_detail` gives them) as
    an editor edits them and imports them back: the hearing detail's shape, each text once per language."""
    with translation.override(SOURCE_LANGUAGE):
        return HearingDetailSerializer(hearings, many=True, context={"request": request, EXPORT: True}).data


# --- Statistics: the numbers of /statistics/ (see `hearings.queries.statistics` for how they are counted) ---------


class StatisticsTotalsSerializer(serializers.Serializer):
    hearings = serializers.IntegerField()
    segments = serializers.IntegerField()
    appearances = serializers.IntegerField()
    people = serializers.IntegerField(help_text="Distinct people who spoke.")
    organizations = serializers.IntegerField(help_text="Distinct organizations spoken for.")


class StatisticsGroupSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text='A stakeholder group, or "no-organization" for appearances without one.')
    name = serializers.CharField(allow_null=True)
    parent = serializers.CharField(allow_null=True, help_text="The parent group's slug.")
    depth = serializers.IntegerField()
    appearances = serializers.IntegerField(help_text="Including those of the group's subgroups.")
    speakers = serializers.IntegerField(help_text="Distinct people, including the subgroups'.")
    share = serializers.FloatField(help_text="Percentage of all appearances.")


class StatisticsSeriesSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField(allow_null=True)


class StatisticsYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    appearances = serializers.IntegerField()
    speakers = serializers.IntegerField()
    series = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="Per top-level group (by slug): appearances and distinct speakers.",
    )


class StatisticsRoleSerializer(serializers.Serializer):
    role = serializers.CharField()
    appearances = serializers.IntegerField()
    series = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="Per top-level group (by slug): appearances.",
    )


class StatisticsProcessSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    hearings = serializers.IntegerField()


class StatisticsOrganizationSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    group = serializers.CharField(help_text="The organization's stakeholder group (slug).")
    group_name = serializers.CharField()
    appearances = serializers.IntegerField()
    speakers = serializers.IntegerField()


class StatisticsSerializer(serializers.Serializer):
    totals = StatisticsTotalsSerializer()
    groups = StatisticsGroupSerializer(many=True)
    years = StatisticsYearSerializer(many=True)
    roles = StatisticsRoleSerializer(many=True)
    processes = StatisticsProcessSerializer(many=True)
    organizations = StatisticsOrganizationSerializer(many=True, help_text="The ten that spoke most often.")
    series = StatisticsSeriesSerializer(
        many=True, help_text="The top-level groups the per-year and per-role numbers use."
    )
