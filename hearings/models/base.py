"""What every record model shares: slugs, timestamps, folded search text, natural keys, validation."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualQuerySet

from hearings.domain.languages import TRANSLATIONS
from hearings.domain.record_text import column, english, every_language, translated_fields
from hearings.domain.text import fold


def new_token():
    return secrets.token_hex(16)


class TranslatedQuerySet(MultilingualQuerySet):
    """The queryset of a model with text in six languages (`hearings.translation`).

    django-modeltranslation's own, as it documents it: a filter, ordering or
    `values()` on a translated field's plain name (`title`) means the active
    language's column. The project's queries name the column they mean
    (`title_en` for the English source, `hearings.domain.record_text.in_language_order`
    for the reader's language), so they give the same rows in every language.
    """


def natural_key_manager(*lookups, queryset=models.QuerySet):
    """A manager whose `get_by_natural_key(*key)` looks a row up by `lookups`, in order: fixtures use it."""

    def get_by_natural_key(self, *key):
        return self.get(**dict(zip(lookups, key, strict=True)))

    def get_queryset(self):
        # Built as Django's documentation builds a custom queryset. django-modeltranslation's manager would make
        # a multilingual class of the queryset's class anew on every query; a `TranslatedQuerySet` already is one.
        return queryset(self.model, using=self._db)

    methods = {"get_by_natural_key": get_by_natural_key}
    if issubclass(queryset, MultilingualQuerySet):
        methods["get_queryset"] = get_queryset
    return type(f"{queryset.__name__}Manager", (models.Manager.from_queryset(queryset),), methods)()


class BaseModel(models.Model):
    """What every record model shares: validation that trusts related objects already in hand, and loaded values.

    `clean_fields()` skips the existence query for a foreign key whose object was
    loaded from the database in this request (a form's choice field fetched it);
    the database's own foreign-key constraint still guards it. `loaded` holds the
    values of `tracked_fields` as read from the database, so a change of parent
    is known without reading the row again.
    """

    tracked_fields = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._drop_orphan_translations(kwargs)
        super().save(*args, **kwargs)
        if self.tracked_fields:
            # What the database holds now, for the next save of this same instance.
            self.loaded = {name: getattr(self, name) for name in self.tracked_fields}

    def _drop_orphan_translations(self, save_kwargs):
        """A translation of an English text that is no longer there goes with it (its revision keeps it)."""
        update_fields = save_kwargs.get("update_fields")
        dropped = []
        for name in translated_fields(type(self)):
            source = english(name)
            if getattr(self, source) or (update_fields is not None and not {name, source} & set(update_fields)):
                continue
            for language in TRANSLATIONS:
                if getattr(self, column(name, language)) is not None:
                    setattr(self, column(name, language), None)
                    dropped.append(column(name, language))
        if dropped and update_fields is not None:
            save_kwargs["update_fields"] = {*update_fields, *dropped}

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if cls.tracked_fields:
            loaded = dict(zip(field_names, values, strict=True))
            # Only what was read: a deferred field is left out, and `signals` reads it before a save.
            instance.loaded = {name: loaded[name] for name in cls.tracked_fields if name in loaded}
        return instance

    def clean_fields(self, exclude=None):
        exclude = set(exclude or ())
        for field in self._meta.concrete_fields:
            if field.many_to_one and field.is_cached(self):
                related = field.get_cached_value(self)
                if related is not None and not related._state.adding:
                    exclude.add(field.name)
        super().clean_fields(exclude=exclude)


class SearchableModel(BaseModel):
    """A record with a folded `search_text` made from `search_source_fields`, the one formula for it."""

    search_source_fields = ()
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = self.make_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & {*self.search_source_fields, *self._search_columns()}:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    @classmethod
    def _search_columns(cls):
        """`search_source_fields` with a translated field's column in each language: search finds any of them."""

        return every_language(cls, cls.search_source_fields)

    def make_search_text(self):
        return fold(" ".join(getattr(self, name) or "" for name in self._search_columns()))


class RecordModel(BaseModel):
    """A record with a public address: an ASCII slug as natural key, and when it was created and changed."""

    slug = models.SlugField(_("slug"), max_length=200, unique=True, help_text=_("Used in addresses; ASCII only."))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def natural_key(self):
        return (self.slug,)


def search_folded(queryset, query):
    """Rows whose folded `search_text` holds every word of `query`, folded alike: case- and accent-insensitive."""
    for word in fold(query).split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset
