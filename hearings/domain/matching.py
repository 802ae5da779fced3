"""How an import finds the record a file means, and what a record it creates takes by default.

The hearing import (`hearings.domain.importing`) and the people and organizations
import from spreadsheets (`hearings.domain.spreadsheets`) both match a record by its slug,
then by its name:

- a person or an organization by its name folded (“LAJČÁK” is “Lajčák”);
- a process or a venue by its name as written;
- a stakeholder group by its name in any of its languages, in any case
  ("Trade unions", "syndicats"): the groups are the site's vocabulary.

The name compared is the record's English text, whatever language the editor's
screen speaks, and so is the name a record created by an import takes.
"""

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q

from hearings.domain.record_text import SOURCE_LANGUAGE, column, languages, translated_fields
from hearings.domain.text import ascii_slug, fold
from hearings.models import Organization, Person, StakeholderGroup, Venue

FOLDED = (Person, Organization)  # matched by their name written any way
SLUG_SOURCES = {Venue: ("name", "city")}  # what a new record's slug is made of, when not its name alone


def english(model, name):
    """The column of `name`'s English text: `name_en` for a translated field, `name` itself for any other."""
    return column(name, SOURCE_LANGUAGE) if name in translated_fields(model) else name


def english_text(record, name):
    """`record`'s English text of `name` (its value, for a field that is not translated)."""
    return getattr(record, english(type(record), name))


def same_name(record, name):
    """Whether `name` is `record`'s English name, written the same or otherwise (capitals, no accents)."""
    return fold(str(name or "")) == fold(english_text(record, "name") or "")


def find(model, *, slug="", name="", using=DEFAULT_DB_ALIAS):
    """The record of `model` with this slug, else the first (the oldest) with this name; None when none has."""
    manager = model._default_manager.db_manager(using)
    if slug:
        found = manager.filter(slug=slug).first()
        if found is not None:
            return found
    if not name:
        return None
    if model is StakeholderGroup:
        in_any_language = Q()
        for language in languages():
            in_any_language |= Q(**{f"{column('name', language)}__iexact": name})
        return manager.filter(in_any_language).order_by("pk").first()
    if model in FOLDED:
        wanted = fold(name)
        candidates = manager.search(name).order_by("pk")  # every word of the name, folded: few rows to compare
        return next((record for record in candidates if fold(english_text(record, "name")) == wanted), None)
    return manager.filter(**{english(model, "name"): name}).order_by("pk").first()


def complete_new(record):
    """Give a record about to be created what the file left out: a slug made from its name (a venue's from its
    room and city), and a person's sort name, the name as written until an editor gives the sort form
    (“Lajčák, Miroslav”)."""
    if isinstance(record, Person) and not record.sort_name:
        record.sort_name = record.name
    if not record.slug:
        parts = (english_text(record, name) for name in SLUG_SOURCES.get(type(record), ("name",)))
        record.slug = ascii_slug(" ".join(part for part in parts if part))
