"""The records' text in six languages, registered with django-modeltranslation (which reads this module).

Each field of `hearings.domain.record_text.TRANSLATED_FIELDS` gets a column per
language (`title_en`, `title_fr`, …, `title_zh_hans`); English is required,
the others optional and NULL when empty, so two records without a French name
never collide on it. The library's rules then hold for the plain name
(`hearing.title`): reading it gives the active language's text, or the English
one where that language has none; writing it, or a query on it, means the
active language's column; and the plain column's own value is not to be relied
on. So the project's code names the column it means: `title_en` where it means
the English source (imports, matching, orderings, the editors' English boxes),
`hearings.domain.record_text` for the text a page shows.
"""

from django.apps import apps
from modeltranslation.translator import TranslationOptions, translator

from hearings.domain.record_text import SOURCE_LANGUAGE, TRANSLATED_FIELDS


class RecordTextOptions(TranslationOptions):
    required_languages = (SOURCE_LANGUAGE,)
    empty_values = None


for label, names in TRANSLATED_FIELDS.items():
    translator.register(
        apps.get_model(label), type(f"{label.split('.')[1]}Text", (RecordTextOptions,), {"fields": names})
    )
