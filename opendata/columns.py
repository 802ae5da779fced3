"""The CSV downloads' columns, read from the read API's serializers, which describe each record's public shape once.

A download's columns are its serializer's fields in their order, each under the
field's name and with the value its `source` names, except where the download
says otherwise: a field left out, renamed (`("speaking_order", "order")`),
shown by a nested record's fields (`("person_slug", "person.slug")`), or
joined by a column the API does not have (`CsvOnly`: a count, a name the API
gives as a slug). A field the download says nothing of is a column of its own
name; one that no column can show (a nested record) stops the site at start,
so that a field added to a serializer is never left out of its download
unawares.

A column of translated text holds it in the answer's language, or in English
where that language has none; its text in every language, English first,
follows all the other columns (`opendata.multilingual`).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from rest_framework import serializers

from hearings.domain.record_text import every_language, languages, translated_fields
from opendata.api.serializers import HtmlUrlField
from opendata.multilingual import csv_columns, joined, shown, shown_joined, texts

# What every download does with the fields every serializer has: the text in every language has columns of its
# own; `url` is the record's page, not its API address.
COMMON = {"translations": [], "url": [], "html_url": [("url", "html_url")]}


@dataclass(frozen=True)
class CsvOnly:
    """A column the API does not have: `path` is the model's (`segment.hearing.title`) or an annotation's name."""

    name: str
    path: str


@dataclass(frozen=True)
class Joined:
    """A column joining a related record's texts, in each language: a venue's `name, site, city`."""

    name: str
    relation: str
    parts: tuple


@dataclass(frozen=True)
class Column:
    name: str
    attrs: tuple = ()  # the attributes from the row's record to the value: ("segment", "hearing", "title")
    translated: bool = False
    many: bool = False  # a list of related records, shown by `attrs[-1]` of each and joined with ";"
    page: bool = False  # the record's public page, as the API's `html_url`
    parts: tuple = ()  # a `Joined` column's texts

    @property
    def path(self):
        """The lookup path of the value, for `values_list()`."""
        if self.page or self.parts or self.many:
            raise ImproperlyConfigured(f"The column “{self.name}” has no single value in the database.")
        return "__".join(self.attrs)


def _source_attrs(field):
    return () if field.source == "*" else tuple(field.source.split("."))


def _resolve(serializer, path):
    """The column parts of a serializer field's path: `person.slug`, `organization.stakeholder_group.name`."""
    attrs, field = (), None
    fields = serializer.fields
    for step in path.split("."):
        if fields is None or step not in fields:
            raise ImproperlyConfigured(f"{type(serializer).__name__} has no field “{path}”.")
        field = fields[step]
        attrs += _source_attrs(field)
        if isinstance(field, serializers.ListSerializer):
            raise ImproperlyConfigured(f"“{path}” is a list of records: a column cannot show it.")
        fields = field.fields if isinstance(field, serializers.Serializer) else None
    if isinstance(field, serializers.Serializer):
        raise ImproperlyConfigured(f"“{path}” is a record: name the fields of it that columns show.")
    if isinstance(field, HtmlUrlField):
        return {"attrs": attrs, "page": True}
    if isinstance(field, serializers.ManyRelatedField):
        return {"attrs": (*attrs, field.child_relation.slug_field), "many": True}
    if isinstance(field, serializers.SlugRelatedField):
        return {"attrs": (*attrs, field.slug_field)}
    if isinstance(field, serializers.RelatedField):
        raise ImproperlyConfigured(f"“{path}” is a link: a column cannot show it.")
    return {"attrs": attrs}


def _translated(model, attrs):
    """Whether the value `attrs` reach from a `model` record is a translated field's text."""
    if not attrs:
        return False
    *relations, name = attrs
    for relation in relations:
        try:
            model = model._meta.get_field(relation).related_model
        except FieldDoesNotExist:
            return False
    return name in translated_fields(model)


def columns_of(serializer_class, changes, *, after=()):
    """The columns of a download of `serializer_class`'s records: its fields, with `changes` ({field: the
    columns that show it, in order; [] for none}) and COMMON's, then `after`'s."""
    serializer = serializer_class()
    model = serializer_class.Meta.model
    changes = {**COMMON, **changes}
    columns = []
    for name in serializer.fields:
        for entry in changes.get(name, [name]):
            if isinstance(entry, CsvOnly):
                attrs = tuple(entry.path.split("."))
                columns.append(Column(entry.name, attrs, translated=_translated(model, attrs)))
            elif isinstance(entry, Joined):
                columns.append(Column(entry.name, (entry.relation,), translated=True, parts=entry.parts))
            else:
                column_name, path = (entry, entry) if isinstance(entry, str) else entry
                found = _resolve(serializer, path)
                columns.append(Column(column_name, translated=_translated(model, found["attrs"]), **found))
    columns.extend(after)
    return columns


def header(columns):
    """The header row: the columns, then each translated one's column per language, English first."""
    return [column.name for column in columns] + csv_columns([column.name for column in columns if column.translated])


def cell(value):
    """A value as a CSV cell: a date in ISO form, a time to the minute, a list joined with ";", nothing for None."""
    if value is None:
        return ""
    if isinstance(value, datetime.time):
        return value.isoformat("minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(str(item) for item in value)
    return value


def record_row(columns, record, language, request):
    """The row of one record (with its related records loaded): the cells, then the texts in every language."""
    cells, every_text = [], []
    for column in columns:
        if column.page:
            cells.append(request.build_absolute_uri(record.get_absolute_url()))
            continue
        *relations, last = column.attrs[:-1] if column.many else column.attrs
        owner = record
        for relation in relations:
            owner = None if owner is None else getattr(owner, relation)
        if column.parts:
            related = getattr(owner, last)
            cells.append(shown_joined(related, column.parts, language) if related else "")
            every_text.extend(joined(related, column.parts) if related else [""] * len(languages()))
        elif column.many:
            cells.append(cell([getattr(item, column.attrs[-1]) for item in getattr(owner, last).all()]))
        elif column.translated:
            by_language = [""] * len(languages()) if owner is None else texts(owner, last)
            cells.append(shown(by_language, language))
            every_text.extend(by_language)
        else:
            cells.append(cell(None if owner is None else getattr(owner, last)))
    return cells + every_text


def value_paths(model, columns):
    """The `values_list()` paths of `columns` (each translated one in every language's column), and each
    column's slice of a row of them."""
    paths, places = [], []
    for column in columns:
        expanded = every_language(model, [column.path]) if column.translated else [column.path]
        places.append((slice(len(paths), len(paths) + len(expanded)), column.translated))
        paths.extend(expanded)
    return paths, places


def values_row(places, values, language):
    """The row of one `values_list()` tuple read by `value_paths`: the cells, then the texts in every language."""
    cells, every_text = [], []
    for place, translated in places:
        if translated:
            by_language = ["" if value is None else value for value in values[place]]
            cells.append(shown(by_language, language))
            every_text.extend(by_language)
        else:
            cells.append(cell(values[place][0]))
    return cells, every_text
