"""The records' text in each language: which languages a field has, which one a page shows, what is left to do.

Which fields have a column per language is said here (`TRANSLATED_FIELDS`),
django-modeltranslation registers them from `hearings.translation`, and the
language rules come from `hearings.domain.languages`. This module is what the pages,
the open data, search and the editors' screens ask.
"""

from dataclasses import dataclass

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext
from modeltranslation.utils import build_localized_fieldname

from hearings.domain.languages import LANGUAGES, RECORD_LANGUAGES, SOURCE_LANGUAGE

# The text of each record kept in every language, by model label, in the order screens and open data list it.
TRANSLATED_FIELDS = {
    "hearings.Hearing": ("title", "summary", "convener", "mandate"),
    "hearings.Segment": ("title", "theme", "summary"),
    "hearings.Appearance": ("position_title", "summary"),
    "hearings.StakeholderGroup": ("name", "description"),
    "hearings.Process": ("name", "short_name", "mandate", "description"),
    "hearings.Venue": ("name", "site", "city", "country"),
    "hearings.Organization": ("name", "short_name"),
}


def languages():
    """The language codes of the records, English first, then the others in the site's order."""
    return list(RECORD_LANGUAGES)


def column(field, language):
    """The name of `field`'s column in `language`: `title`, "zh-hans" gives `title_zh_hans`."""
    return build_localized_fieldname(field, language)


def translated_fields(model):
    """The names of `model`'s translated fields, in their registered order (empty when it has none)."""
    return TRANSLATED_FIELDS.get(model._meta.label, ())


def english(field):
    """The column that holds `field`'s English text, the record's source: `title_en`."""
    return column(field, SOURCE_LANGUAGE)


def language_name(code):
    """The language's name as the site names it, in the reader's language ("French", "Français")."""
    return dict(LANGUAGES)[code]


def _field_label(verbose_name, code):
    return gettext("%(field)s (%(language)s)") % {"field": capfirst(verbose_name), "language": language_name(code)}


field_label = lazy(_field_label, str)
field_label.__doc__ = """A translated field's label in one language: "Name (French)"."""


def every_language(model, paths):
    """Field paths with every translated field replaced by its column in each language, English first.

    `("name", "process__name", "slug")` on a hearing's process gives
    `name_en … name_es`, `process__name_en … process__name_es`, `slug`: what
    search indexes and the open data read.
    """
    expanded = []
    for path in paths:
        *relations, field = path.split("__")
        target = model
        for relation in relations:
            target = target._meta.get_field(relation).related_model
        if field in translated_fields(target):
            prefix = "".join(f"{relation}__" for relation in relations)
            expanded.extend(prefix + column(field, language) for language in languages())
        else:
            expanded.append(path)
    return expanded


def text_order(field, language):
    """What `field` is ordered by for readers of `language`: its text in that language, the English text
    where it has none. A translation with no text is NULL (`hearings.translation`: `empty_values = None`),
    so the expression has no parameter and an index on it serves the ordering (`Organization`'s indexes)."""
    if language == SOURCE_LANGUAGE:
        return F(english(field))
    return Coalesce(F(column(field, language)), F(english(field)))


def in_language_order(field, language=None):
    """An ordering on `field` as readers of `language` (the active one) see it (`text_order`)."""
    return text_order(field, language or translation.get_language() or SOURCE_LANGUAGE)


@dataclass(frozen=True)
class ShownText:
    """A field's text as a page in the active language shows it; `lang` is set when it is another language's."""

    text: str
    lang: str | None = None

    @property
    def fallback(self):
        return self.lang is not None

    def __str__(self):
        return self.text


def in_language(record, field, language=None):
    """`record.field` in `language` (the active one by default), or the English text marked as English."""
    language = language or translation.get_language() or SOURCE_LANGUAGE
    source = getattr(record, column(field, SOURCE_LANGUAGE), None) or ""
    if not source:
        return ShownText("")  # no text; a translation of a removed English text is not shown
    own = getattr(record, column(field, language), None)
    if own or language == SOURCE_LANGUAGE:
        return ShownText(own or source)
    return ShownText(source, SOURCE_LANGUAGE)


def translations(record, fields=None):
    """{language: {field: text}} of what `record` has, English first; a language with no text is left out."""
    fields = translated_fields(type(record)) if fields is None else fields
    found = {}
    for language in languages():
        texts = {field: value for field in fields if (value := getattr(record, column(field, language), None))}
        if texts:
            found[language] = texts
    return found


COMPLETE, PARTIAL, MISSING = "complete", "partial", "missing"


def completeness(records, language):
    """How far `records` are translated into `language`: (state, texts translated, texts to translate).

    A text counts when its English is not empty. The state is `complete` when
    every such text has its translation, `missing` when none has, `partial`
    between; records without any English text are `complete`.
    """
    done = total = 0
    for record in records:
        for field in translated_fields(type(record)):
            if getattr(record, column(field, SOURCE_LANGUAGE), None):
                total += 1
                done += bool(getattr(record, column(field, language), None))
    if done == total:
        state = COMPLETE
    elif done == 0:
        state = MISSING
    else:
        state = PARTIAL
    return state, done, total


def untranslated(records):
    """What a page in the active language says of `records`' text: None when all of it is in that language
    (or the page is English), `partial` or `missing` when some or all of it is shown in English instead."""
    language = translation.get_language() or SOURCE_LANGUAGE
    if language == SOURCE_LANGUAGE:
        return None
    state, _done, _total = completeness(records, language)
    return None if state == COMPLETE else state
