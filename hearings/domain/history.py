"""The records' history: which models keep revisions, and what changed between two of them.

Every save of a record inside a revision (an admin save, a publish, an
import, the seed loader) stores the whole record; a hearing's revision also
holds its segments, their speakers, its links and its participating groups
(`follow`), so one save of the hearing screen is one revision, and reverting it
brings the hearing back whole. django-reversion keeps the revisions.
"""

import contextlib
import json
from dataclasses import dataclass, field

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models.signals import post_save
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from hearings.domain.record_text import SOURCE_LANGUAGE, column, field_label, translated_fields
from hearings.models import (
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

# Derived from the other fields and rebuilt on every save: not part of the record's history.
DERIVED = ("search_text", "shown_token")
# Moved by every save: shown by the history list itself, not as a change.
BOOKKEEPING = {"created", "updated", "search_text", "shown_token"}

HEARING_PARTS = {
    Segment: "hearing_id",
    HearingLink: "hearing_id",
    HearingParticipation: "hearing_id",
}

# The relations a revision follows, under names of their own (see `_follow`).
FOLLOWED = {
    Hearing: ("revision_segments", "revision_links", "revision_groups"),
    Segment: ("revision_speakers",),
}
# Every model whose records keep a history, in the order they are registered.
RECORD_MODELS = (
    Hearing,
    Segment,
    Appearance,
    HearingLink,
    HearingParticipation,
    Venue,
    Person,
    Organization,
    StakeholderGroup,
    Process,
)


@dataclass(frozen=True)
class RevisionOptions:
    """What a model's revisions hold, as `register()` gave it to django-reversion."""

    fields: tuple
    follow: tuple = ()
    format: str = "json"


# Filled by `register()`: {model: RevisionOptions}. Kept here because django-reversion has no public way to read
# back a model's registration (its registry is private), and what we registered is ours to know.
REGISTERED = {}


def _followed(accessor, *related):
    """A hearing's parts as a revision follows them, with what their names need in the same query.

    A revision stores each row's name (`str()`): a speaker's is its person's,
    a participation's its group's; fetched row by row, that is a query per row.
    """

    def rows(obj):
        return getattr(obj, accessor).select_related(*related)

    return property(rows)


def _follow():
    # django-reversion follows attributes (a property returning a queryset is documented as followable).
    Hearing.revision_segments = _followed("segments")
    Hearing.revision_links = _followed("links")
    Hearing.revision_groups = _followed("hearingparticipation_set", "group")
    Segment.revision_speakers = _followed("appearances", "person")


def _stored_fields(model):
    """Every field of `model` but the derived ones: what django-reversion stores when given no `fields`.

    It is called once the translated columns exist (`title_en`, `title_fr`…), so a revision holds every language.
    """
    names = [model_field.name for model_field in (*model._meta.concrete_fields, *model._meta.many_to_many)]
    return tuple(name for name in names if name not in DERIVED)


def register():
    """Register the record models with django-reversion; `HearingsConfig.ready()` calls it, once the models and
    their translated fields (added by django-modeltranslation's own `ready()`, which runs first) exist."""
    if REGISTERED:
        return
    for model in RECORD_MODELS:
        for name in translated_fields(model):
            try:
                model._meta.get_field(column(name, SOURCE_LANGUAGE))
            except FieldDoesNotExist:
                raise ImproperlyConfigured(
                    f"{model.__name__}.{name} has no column per language yet: django-modeltranslation must come "
                    "before this app in INSTALLED_APPS, so that revisions hold every language."
                ) from None
    _follow()
    for model in RECORD_MODELS:
        options = RevisionOptions(fields=_stored_fields(model), follow=FOLLOWED.get(model, ()))
        reversion.register(model, fields=options.fields, follow=options.follow, format=options.format)
        REGISTERED[model] = options


@contextlib.contextmanager
def loaded_revision(source):
    """A revision of the records a load (`loaddata`, the seed) brings or changes, with `source` as its comment.

    Records loaded exactly as the latest revision already holds them are left
    out, so loading the same file again adds no revision.
    """
    loaded = []

    def collect(sender, instance, raw=False, **kwargs):
        if raw and reversion.is_registered(sender):
            loaded.append(instance)

    with reversion.create_revision(manage_manually=True):
        post_save.connect(collect, weak=False, dispatch_uid="hearings-history-loaded")
        try:
            yield
        finally:
            post_save.disconnect(dispatch_uid="hearings-history-loaded")
        for obj in loaded:
            if _differs_from_latest(obj):
                reversion.add_to_revision(obj)
        reversion.set_comment(gettext("Loaded from %(source)s") % {"source": source})


def _differs_from_latest(obj):
    options = REGISTERED[type(obj)]
    latest = Version.objects.get_for_object(obj).first()
    if latest is None:
        return True
    # A translated field's plain column is read in the active language (django-modeltranslation: its stored
    # value is not to be relied on): its columns per language hold the text, and are what is compared.
    plain = set(translated_fields(type(obj)))
    fields = [name for name in options.fields if name not in plain]
    loaded = json.loads(serializers.serialize(options.format, [obj], fields=fields))[0]["fields"]
    stored = json.loads(latest.serialized_data)[0]["fields"]
    return loaded != {name: value for name, value in stored.items() if name not in plain}


def latest_revision(obj):
    """The newest revision holding `obj`, with its user, or None."""
    version = Version.objects.get_for_object(obj).select_related("revision__user").first()
    return version.revision if version else None


# --- Comparing two revisions --------------------------------------------------


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class PartChanges:
    """The rows of one kind (segments, speakers…) added, removed or changed between two revisions."""

    title: str
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list = field(default_factory=list)  # (row label, [FieldChange])

    def __bool__(self):
        return bool(self.added or self.removed or self.changed)


@dataclass
class Comparison:
    fields: list
    parts: list

    def __bool__(self):
        return bool(self.fields) or any(self.parts)


def compare(model, older, newer):
    """What changed from Version `older` to Version `newer` of one record (and, for a hearing, its parts)."""
    names = _Names()
    before, after = older.field_dict, newer.field_dict
    names.collect(model, [before, after])
    parts = []
    if model is Hearing:
        object_id = int(older.object_id)
        old_rows, new_rows = _hearing_parts(older.revision, object_id), _hearing_parts(newer.revision, object_id)
        for part_model in (Segment, Appearance, HearingLink, HearingParticipation):
            names.collect(part_model, [*old_rows[part_model].values(), *new_rows[part_model].values()])
        segment_titles = {
            pk: row["title"] or f"#{pk}" for rows in (old_rows, new_rows) for pk, row in rows[Segment].items()
        }
        labels = {
            Segment: lambda row: row["title"] or _("Segment %(position)s") % {"position": row["position"]},
            Appearance: lambda row: "{} — {} ({})".format(
                names.label(Appearance, "person_id", row["person_id"]),
                names.label(Appearance, "role", row["role"]),
                segment_titles.get(row["segment_id"], ""),
            ),
            HearingLink: lambda row: row["title"] or row["url"],
            HearingParticipation: lambda row: names.label(HearingParticipation, "group_id", row["group_id"]),
        }
        titles = {
            Segment: _("Segments"),
            Appearance: _("Speakers"),
            HearingLink: _("Links"),
            HearingParticipation: _("Participating stakeholder groups"),
        }
        for part_model in (Segment, Appearance, HearingLink, HearingParticipation):
            old, new = old_rows[part_model], new_rows[part_model]
            parts.append(_compare_rows(part_model, titles[part_model], old, new, labels[part_model], names))
    return Comparison(fields=_field_changes(model, before, after, names), parts=parts)


def _hearing_parts(revision, hearing_id):
    """The hearing's segments, speakers, links and groups as stored in `revision`: {model: {pk: field dict}}."""
    by_model = {model: {} for model in (Segment, Appearance, HearingLink, HearingParticipation)}
    appearances = {}
    for version in revision.version_set.all():
        model = ContentType.objects.db_manager(version._state.db).get_for_id(version.content_type_id).model_class()
        if model in HEARING_PARTS:
            row = version.field_dict
            if row[HEARING_PARTS[model]] == hearing_id:
                by_model[model][int(version.object_id)] = row
        elif model is Appearance:
            appearances[int(version.object_id)] = version.field_dict
    segment_ids = set(by_model[Segment])
    by_model[Appearance] = {pk: row for pk, row in appearances.items() if row["segment_id"] in segment_ids}
    return by_model


def _compare_rows(model, title, old_rows, new_rows, label, names):
    changes = PartChanges(title=title)
    for pk in sorted(new_rows.keys() - old_rows.keys(), key=lambda pk: _order(new_rows[pk], pk)):
        changes.added.append(label(new_rows[pk]))
    for pk in sorted(old_rows.keys() - new_rows.keys(), key=lambda pk: _order(old_rows[pk], pk)):
        changes.removed.append(label(old_rows[pk]))
    for pk in sorted(old_rows.keys() & new_rows.keys(), key=lambda pk: _order(new_rows[pk], pk)):
        differences = _field_changes(model, old_rows[pk], new_rows[pk], names)
        if differences:
            changes.changed.append((label(new_rows[pk]), differences))
    return changes


def _order(row, pk):
    return (row.get("segment_id") or 0, row.get("position") or 0, pk)


def _field_changes(model, before, after, names):
    changes = []
    for model_field in model._meta.concrete_fields:
        name = model_field.attname
        if model_field.primary_key or model_field.name in BOOKKEEPING or name not in before or name not in after:
            continue
        if model_field.name in translated_fields(model):
            continue  # the plain column repeats the English one, which is compared under its own label
        if before[name] != after[name]:
            language = getattr(model_field, "language", None)
            label = model_field.verbose_name
            changes.append(
                FieldChange(
                    label=str(field_label(model_field.translated_field.verbose_name, language) if language else label),
                    before=names.label(model, name, before[name]),
                    after=names.label(model, name, after[name]),
                )
            )
    return changes


class _Names:
    """Readable values for stored ones: names for foreign keys (one query per related model), labels for choices."""

    def __init__(self):
        self.wanted = {}
        self.found = {}

    def collect(self, model, rows):
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.ForeignKey):
                ids = {row.get(model_field.attname) for row in rows} - {None}
                self.wanted.setdefault(model_field.related_model, set()).update(ids)

    def label(self, model, name, value):
        model_field = next(f for f in model._meta.concrete_fields if f.attname == name)
        if value is None or value == "":
            return "—"
        if isinstance(model_field, models.ForeignKey):
            related = model_field.related_model
            if related not in self.found:
                self.found[related] = related._base_manager.in_bulk(self.wanted.get(related, set()))
            obj = self.found[related].get(value)
            return str(obj) if obj is not None else f"#{value}"
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        return str(value)
