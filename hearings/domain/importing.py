"""Hearings imported from JSON, in the shape of the read API's hearing detail (`/api/hearings/<slug>/`).

A file holds one hearing object or a list of them. Each hearing is created as
a draft with its links, participating groups, segments and speakers. The
records it refers to are matched, never overwritten:

- people and organizations by slug, then by folded name (“LAJČÁK” is
  “Lajčák”); one not found is created;
- processes and venues by slug, then by name; one not found is created;
- stakeholder groups by slug, then by name in any of their languages; they
  are the site's vocabulary, so a group not found is an error.

`hearings.domain.matching` matches them, as it does the rows of the people and
organizations spreadsheets. The fields read, and their names, are the read
API's (`opendata.api.serializers`): a field added to a serializer is imported
too.

A matched record whose field is empty takes the file's value (reported as
“completed”); a field that differs is left as the records have it.

The plain fields (`title`, `name`, …) give the English text, whatever language
the import runs in. A record's `translations`, as the API gives them
(`{"fr": {"title": …}, "ar": {…}}`), give the other languages' text: a created
record takes them, a matched one only where it has none in that language.
`translations.en` may be given, but only with the plain fields' text: an
English text that differs from them is an error, as are a language the site
does not speak and a field that is not translated.

A file is refused whole, before any record is validated, when it is larger,
nested deeper or holds more hearings or records than its limits
(`hearings.domain.limits`: the admin screen's, or the command's larger ones) allow.
An import reports its first hundred errors and counts the rest.

Import is all or nothing: every record is validated as the admin validates it
(dates, choices, unique slugs, an ordinal once per process, a person once per
role in a segment); one error anywhere stops the whole import, which writes
nothing, and each error names the file, the record and the field. A dry run
does everything inside a transaction and rolls it back, so its report is
exactly what the import would do.
"""

import json
from dataclasses import dataclass, field
from functools import cache

import reversion
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS
from django.db.models import CharField, TextField
from django.utils.translation import gettext as _

from hearings.domain import changes, maintenance, matching
from hearings.domain.limits import ErrorList, check_hearing_items, check_hearing_types, check_json_text, too_large
from hearings.domain.matching import english
from hearings.domain.record_text import SOURCE_LANGUAGE, column, languages
from hearings.domain.text import ascii_slug, fold
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

CREATED, MATCHED, COMPLETED = "created", "matched", "completed"


class ImportFailed(Exception):
    """The import stopped and wrote nothing; `errors` says where and why."""

    def __init__(self, errors):
        super().__init__("\n".join(errors))
        self.errors = errors


class _RolledBack(Exception):
    pass


@dataclass
class RecordOutcome:
    kind: str
    label: str
    outcome: str
    detail: str = ""


@dataclass
class HearingOutcome:
    source: str
    slug: str
    title: str
    segments: int = 0
    speakers: int = 0
    links: int = 0
    groups: int = 0
    records: list = field(default_factory=list)


@dataclass
class Report:
    dry_run: bool
    hearings: list = field(default_factory=list)

    @property
    def records(self):
        return [record for hearing in self.hearings for record in hearing.records]

    def count(self, outcome):
        return sum(1 for record in self.records if record.outcome == outcome)


def read_file(source, content, *, limits):
    """The hearing objects of one file's text (bytes or str).

    Raises ImportFailed when it is not such JSON, or holds more than `limits`
    (`hearings.domain.limits.FileLimits`) allow: bytes, nesting and objects are checked
    before the text is parsed, hearings and records before any is validated.
    """
    size = len(content) if isinstance(content, bytes) else len(content.encode())
    if size > limits.bytes:
        raise ImportFailed([too_large(source, size, limits)])
    try:
        text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
        refused = check_json_text(source, text, limits)
        if refused:
            raise ImportFailed(refused)
        # NaN and Infinity are not JSON, though Python's reader takes them.
        data = json.loads(text, parse_constant=_not_json)
    except ValueError as error:  # UnicodeDecodeError and json.JSONDecodeError alike
        message = _("%(source)s: not a JSON file in UTF-8 (%(error)s).") % {"source": source, "error": error}
        raise ImportFailed([message]) from error
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(item, dict) for item in items):
        message = _("%(source)s: expected a hearing object or a list of hearing objects.") % {"source": source}
        raise ImportFailed([message])
    refused = check_hearing_items(source, items, limits) or check_hearing_types(source, items)
    if refused:
        raise ImportFailed(refused)
    return [(source, item) for item in items]


def _not_json(constant):
    raise ValueError(_("%(constant)s is not a JSON value") % {"constant": constant})


def import_hearings(files, *, limits, dry_run=False, user=None, using=DEFAULT_DB_ALIAS):
    """Import `files`, a list of (name, content), each within `limits`.

    Returns a `Report`; raises `ImportFailed` having written nothing.
    """
    items = [item for source, content in files for item in read_file(source, content, limits=limits)]
    report = Report(dry_run=dry_run)
    try:
        with changes.atomic(using), reversion.create_revision(using=using):
            importer = _Importer(using)
            for number, (source, data) in enumerate(items, start=1):
                outcome = importer.hearing(source, number, data)
                if outcome is not None:
                    report.hearings.append(outcome)
            if importer.errors:
                raise ImportFailed(importer.errors.messages())
            if user is not None:
                reversion.set_user(user)
            reversion.set_comment(
                _("Imported from %(files)s") % {"files": ", ".join(dict.fromkeys(name for name, _c in files))}
            )
            if dry_run:
                raise _RolledBack
    except (_RolledBack, ImportFailed) as stop:
        # Nothing was written: what the import noted for the derived data goes with it.
        changes.forget(using)
        if isinstance(stop, ImportFailed):
            raise
        return report
    maintenance.analyze(using)
    return report


def _text(value):
    return "" if value is None else value


@cache
def _shapes():
    """What the import reads of each record, from the read API's serializers of the hearing detail: {kind:
    ({file name: model field}, {file name of a translated field: model field})}. An organization may give all
    the fields of the organizations' endpoint (the detail gives a reference to it)."""
    from opendata.api import serializers  # the outputs' app, whose serializers import the models

    shapes = {
        "hearing": serializers.HearingDetailSerializer,
        "segment": serializers.SegmentSerializer,
        "appearance": serializers.SegmentAppearanceSerializer,
        "link": serializers.HearingLinkSerializer,
        "process": serializers.ProcessSerializer,
        "venue": serializers.VenueSerializer,
        "person": serializers.PersonRefSerializer,
        "organization": serializers.OrganizationSerializer,
        "group": serializers.GroupRefSerializer,
    }
    return {
        kind: (serializers.own_fields(serializer), serializers.translated_names(serializer))
        for kind, serializer in shapes.items()
    }


def _takes_text(model, name):
    field = model._meta.get_field(name)
    return isinstance(field, CharField | TextField) and not field.null


class _Importer:
    def __init__(self, using):
        self.using = using
        self.errors = ErrorList()  # the first hundred or so kept, the rest counted
        self.seen = {}  # (kind, key) -> the record, so each is matched, and reported, once
        self.shapes = _shapes()

    # --- Errors ---------------------------------------------------------------

    def _fail(self, where, error):
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                label = name if name != "__all__" else _("record")
                for message in messages:
                    self.errors.append(f"{where}: {label}: {message}")
        elif isinstance(error, ValidationError):
            self.errors.extend(f"{where}: {message}" for message in error.messages)
        else:
            self.errors.append(f"{where}: {error}")

    def _valid(self, where, obj, exclude=()):
        try:
            obj.full_clean(exclude=exclude)
        except ValidationError as error:
            self._fail(where, error)
            return False
        except (TypeError, ValueError, AttributeError):
            # A value of a kind no field takes (a list for a date, an object for a number).
            self.errors.append(f"{where}: " + _("a value has the wrong type (text, number, list or object)."))
            return False
        return True

    def _save(self, where, obj):
        if self._valid(where, obj):
            obj.save(using=self.using)
            return True
        return False

    # --- A record's own fields, as the read API names them ------------------------------------------------

    def _build(self, model, kind, data, defaults=None, **related):
        """A new `model` from `data`'s fields of `kind`: each translated one in its English column, a missing
        or null text empty, a field missing from `data` its value in `defaults` (given by model field)."""
        fields, _translated = self.shapes[kind]
        defaults = defaults or {}
        values = {}
        for name, model_field in fields.items():
            value = defaults[model_field] if model_field in defaults and name not in data else data.get(name)
            values[english(model, model_field)] = _text(value) if _takes_text(model, model_field) else value
        return model(**values, **related)

    # --- Hearings -------------------------------------------------------------

    def hearing(self, source, number, data):
        slug = _text(data.get("slug")) or ascii_slug(_text(data.get("title")))
        where = _("%(source)s, hearing %(number)s “%(slug)s”") % {"source": source, "number": number, "slug": slug}
        outcome = HearingOutcome(source=source, slug=slug, title=_text(data.get("title")))
        process = self.process(where, data.get("process"), outcome)
        venue = self.venue(where, data.get("venue"), outcome) if data.get("venue") else None
        if process is None:
            return outcome
        hearing = self._build(Hearing, "hearing", data, process=process, venue=venue, status=Hearing.Status.DRAFT)
        hearing.slug = slug
        self._translate(hearing, self._translations(where, data, "hearing"))
        # The groups and the speakers' references are checked even when the hearing itself is refused, so
        # that one report names every error of the file.
        groups = []
        for number_in_list, ref in enumerate(self._list(where, data, "participating_groups"), start=1):
            group_where = _("%(where)s, participating group %(n)s") % {"where": where, "n": number_in_list}
            groups.append((group_where, self.group(group_where, ref, outcome)))
        if not self._save(where, hearing):
            self._check_speakers(where, data, outcome)
            return outcome
        for order, link in enumerate(self._list(where, data, "links")):
            row = self._build(HearingLink, "link", link, hearing=hearing, position=order)
            outcome.links += self._save(_("%(where)s, link %(n)s") % {"where": where, "n": order + 1}, row)
        for group_where, group in groups:
            if group is not None:
                outcome.groups += self._save(group_where, HearingParticipation(hearing=hearing, group=group))
        for number_in_list, segment_data in enumerate(self._list(where, data, "segments"), start=1):
            self.segment(where, number_in_list, hearing, segment_data, outcome)
        return outcome

    def _check_speakers(self, where, data, outcome):
        """The people and organizations of a refused hearing's speakers, looked up for the errors they hold."""
        for number, segment in enumerate(self._list(where, data, "segments"), start=1):
            if not isinstance(segment, dict):
                continue
            for speaker_number, speaker in enumerate(self._list(where, segment, "appearances"), start=1):
                if not isinstance(speaker, dict):
                    continue
                speaker_where = _("%(where)s, segment %(n)s, speaker %(m)s") % {
                    "where": where,
                    "n": number,
                    "m": speaker_number,
                }
                self.person(speaker_where, speaker.get("person"), outcome)
                if speaker.get("organization"):
                    self.organization(speaker_where, speaker.get("organization"), outcome)

    # --- Translations -----------------------------------------------------------

    def _translations(self, where, data, kind):
        """{column: text} of `data`'s `translations` in the languages other than English (`title_fr`: …).

        The translated fields are named as the read API names them (an
        appearance's `position`). An unknown language or field, a text that is
        not text, and an English text other than the plain field's are errors:
        a file gives each text once, or twice alike (the read API gives the
        English text in `translations.en` too).
        """
        given = data.get("translations")
        if not given:
            return {}
        names = self.shapes[kind][1]
        if not isinstance(given, dict):
            self.errors.append(f"{where}: translations: " + _("expected an object with a key per language."))
            return {}
        columns = {}
        for language, texts in given.items():
            key = f"translations.{language}"
            if language not in languages():
                self.errors.append(
                    f"{where}: {key}: "
                    + _("“%(code)s” is not one of the languages: %(codes)s.")
                    % {"code": language, "codes": ", ".join(languages())}
                )
                continue
            if not isinstance(texts, dict):
                self.errors.append(f"{where}: {key}: " + _("expected an object with a key per field."))
                continue
            for name, text in texts.items():
                field = names.get(name)
                if field is None:
                    self.errors.append(
                        f"{where}: {key}.{name}: "
                        + _("not a translated field of this record (it has %(fields)s).") % {"fields": ", ".join(names)}
                    )
                elif text is not None and not isinstance(text, str):
                    self.errors.append(f"{where}: {key}.{name}: " + _("expected text."))
                elif not text:
                    continue
                elif language == SOURCE_LANGUAGE:
                    if text != _text(data.get(name)):
                        self.errors.append(
                            f"{where}: {key}.{name}: "
                            + _(
                                "differs from “%(name)s”, which gives the English text: give the same text in both, "
                                "or leave it out. (An export in another language has that language's text in the "
                                "plain fields: export in English, with ?lang=en.)"
                            )
                            % {"name": name}
                        )
                else:
                    columns[column(field, language)] = text
        return columns

    @staticmethod
    def _translate(obj, columns):
        for name, text in columns.items():
            setattr(obj, name, text)

    def _list(self, where, data, key):
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(item, (dict, str)) for item in value):
            self.errors.append(f"{where}: {key}: " + _("expected a list."))
            return []
        return value

    def segment(self, where, number, hearing, data, outcome):
        if not isinstance(data, dict):
            self.errors.append(f"{where}: " + _("segment %(n)s: expected an object.") % {"n": number})
            return
        where = _("%(where)s, segment %(n)s") % {"where": where, "n": number}
        # A segment without its order takes its place in the file.
        segment = self._build(Segment, "segment", data, defaults={"position": number}, hearing=hearing)
        self._translate(segment, self._translations(where, data, "segment"))
        if not self._save(where, segment):
            return
        outcome.segments += 1
        for speaker_number, speaker in enumerate(self._list(where, data, "appearances"), start=1):
            speaker_where = _("%(where)s, speaker %(n)s") % {"where": where, "n": speaker_number}
            if not isinstance(speaker, dict):
                self.errors.append(f"{speaker_where}: " + _("expected an object."))
                continue
            person = self.person(speaker_where, speaker.get("person"), outcome)
            organization = (
                self.organization(speaker_where, speaker.get("organization"), outcome)
                if speaker.get("organization")
                else None
            )
            columns = self._translations(speaker_where, speaker, "appearance")
            if person is None:
                continue
            appearance = self._build(
                Appearance,
                "appearance",
                speaker,
                defaults={"position": speaker_number},  # the speaking order: its place in the segment
                segment=segment,
                person=person,
                organization=organization,
            )
            self._translate(appearance, columns)
            outcome.speakers += self._save(speaker_where, appearance)

    # --- The records hearings refer to ------------------------------------------

    def _ref(self, where, ref, kind):
        """A reference as a dict with at least a slug or a name; a bare string is a slug."""
        if isinstance(ref, str):
            ref = {"slug": ref}
        if not isinstance(ref, dict) or not (_text(ref.get("slug")) or _text(ref.get("name"))):
            self.errors.append(f"{where}: {kind}: " + _("expected an object with a slug or a name."))
            return None
        return ref

    def _remember(self, outcome, kind, key, obj, result, detail=""):
        self.seen[(kind, key)] = obj
        outcome.records.append(RecordOutcome(kind=kind, label=str(obj), outcome=result, detail=detail))
        return obj

    def _complete(self, where, obj, values):
        """Fill the matched record's empty fields from the file; never overwrite what the records hold."""
        model = type(obj)
        filled = [name for name, value in values.items() if value and getattr(obj, english(model, name)) in ("", None)]
        for name in filled:
            setattr(obj, english(model, name), values[name])
        if filled and self._save(where, obj):
            return COMPLETED, ", ".join(filled)
        return MATCHED, ""

    def _get_or_create(self, where, model, kind, label, ref, outcome, *, create=True, **related):
        """The record `ref` names (`kind`: its shape in `_shapes`), matched (`hearings.domain.matching`) and completed,
        or else created; `related` are the records it refers to, found already (an organization's group)."""
        ref = self._ref(where, ref, label)
        if ref is None:
            return None
        key = _text(ref.get("slug")) or fold(_text(ref.get("name")))
        if (label, key) in self.seen:
            return self.seen[(label, key)]
        fields, _translated = self.shapes[kind]
        # {model field, or another language's column: value}; a field's English text is written to its English
        # column (`matching.english`).
        values = {field: ref[name] for name, field in fields.items() if ref.get(name) is not None}
        values.update(related)
        values.update(self._translations(f"{where}: {label}", ref, kind))
        found = matching.find(model, slug=_text(ref.get("slug")), name=_text(ref.get("name")), using=self.using)
        if found is not None:
            result, detail = self._complete(where, found, values)
            return self._remember(outcome, label, key, found, result, detail)
        if not create:
            self.errors.append(
                f"{where}: {label}: "
                + _("“%(ref)s” is not one of the stakeholder groups; add it first or use an existing one.")
                % {"ref": ref.get("slug") or ref.get("name")}
            )
            return None
        obj = model(**{english(model, name): value for name, value in values.items()})
        matching.complete_new(obj)
        if self._save(f"{where}: {label} “{obj.slug}”", obj):
            return self._remember(outcome, label, key, obj, CREATED)
        return None

    def group(self, where, ref, outcome):
        return self._get_or_create(where, StakeholderGroup, "group", _("stakeholder group"), ref, outcome, create=False)

    def process(self, where, ref, outcome):
        return self._get_or_create(where, Process, "process", _("process"), ref, outcome)

    def venue(self, where, ref, outcome):
        return self._get_or_create(where, Venue, "venue", _("venue"), ref, outcome)

    def person(self, where, ref, outcome):
        return self._get_or_create(where, Person, "person", _("person"), ref, outcome)

    def organization(self, where, ref, outcome):
        ref = self._ref(where, ref, _("organization"))
        if ref is None:
            return None
        related = {}
        if ref.get("stakeholder_group"):
            group = self.group(where, ref["stakeholder_group"], outcome)
            if group is None:
                return None
            related["stakeholder_group"] = group
        return self._get_or_create(where, Organization, "organization", _("organization"), ref, outcome, **related)
