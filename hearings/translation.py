"""Which text of the records is kept in the six languages (django-modeltranslation registers it from here).

Each translated field `title` gets a column per language (`title_en`,
`title_fr`, …); English is required, the others are optional. One rule for the
plain name, whatever language the request speaks:

- reading `hearing.title` gives the text in the active language, or the English
  one when that language has none (`hearings.translated` tells which it was);
- writing `hearing.title = …`, `Hearing(title=…)`, a filter, an ordering or a
  `values()` on `title` mean English, which the plain column also holds.

So queries, imports, fixtures and revisions behave the same in every language,
and only the explicit `title_fr` reaches another language's text.
"""

from django.db.models.signals import post_save, pre_save
from django.utils import translation
from modeltranslation.fields import TranslationFieldDescriptor
from modeltranslation.translator import TranslationOptions, translator

from .models import Appearance, Hearing, Organization, Process, Segment, StakeholderGroup, Venue

SOURCE_LANGUAGE = "en"

TRANSLATED_FIELDS = {
    Hearing: ("title", "summary", "convener", "mandate"),
    Segment: ("title", "theme", "summary"),
    Appearance: ("position_title", "summary"),
    StakeholderGroup: ("name", "description"),
    Process: ("name", "short_name", "mandate", "description"),
    Venue: ("name", "site", "city", "country"),
    Organization: ("name", "short_name"),
}


SAVING = "_saving_source_language"


class SourceLanguageDescriptor(TranslationFieldDescriptor):
    """Reads in the active language (with the English fallback), but in English while the row is saved; writes
    the English text. So the plain column always holds the English text, whatever language the save ran in."""

    def __get__(self, instance, owner):
        if instance is not None and instance.__dict__.get(SAVING):
            value = getattr(instance, f"{self.field.name}_{SOURCE_LANGUAGE}")
            return self.field.get_default() if value is None else value
        return super().__get__(instance, owner)

    def __set__(self, instance, value):
        instance.__dict__[self.field.name] = value
        if getattr(instance, "_mt_init", False) or getattr(instance, "_mt_disable", False):
            return
        setattr(instance, f"{self.field.name}_{SOURCE_LANGUAGE}", value)


def _saving(sender, instance, raw=False, **kwargs):
    # Django reads each field's value for the database through its attribute (raw saves too: a revision's
    # revert, `loaddata`): while the row is written, the plain names answer in English.
    instance.__dict__[SAVING] = True


def _saved(sender, instance, **kwargs):
    instance.__dict__.pop(SAVING, None)


def _construct_in_source_language(model):
    """`Model(title=…)` fills `title_en` whatever language is active (deserialized revisions and fixtures too)."""
    construct = model.__init__

    def __init__(self, *args, **kwargs):
        if not kwargs:
            construct(self, *args)
            return
        with translation.override(SOURCE_LANGUAGE):
            construct(self, *args, **kwargs)

    model.__init__ = __init__


def register():
    for model, fields in TRANSLATED_FIELDS.items():
        options = type(
            f"{model.__name__}TranslationOptions",
            (TranslationOptions,),
            {"fields": fields, "required_languages": (SOURCE_LANGUAGE,), "empty_values": None},
        )
        translator.register(model, options)
        for name in fields:
            setattr(model, name, SourceLanguageDescriptor(model._meta.get_field(name)))
        _construct_in_source_language(model)
        pre_save.connect(_saving, sender=model, weak=False, dispatch_uid=f"source-language-{model.__name__}")
        post_save.connect(_saved, sender=model, weak=False, dispatch_uid=f"source-language-{model.__name__}")


register()
