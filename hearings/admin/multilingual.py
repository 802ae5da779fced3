"""The records' text in the admin: English on the record screens, the other five languages beside it or apart.

The admin speaks the editor's own language, and reading a translated field by
its plain name (`hearing.title`) gives the text in that language. A form must
never show an editor the French title in the box that saves the English one:

- the hearing screen, its segments and speakers edit the English text only
  (`hearing.EnglishColumnsMixin`), and link to a translation screen per language;
- groups, processes, venues and organizations show each translated field in
  the six languages, English first and required (`RecordLanguagesAdmin`).
"""

from django.utils.translation import get_language_info
from modeltranslation.admin import TranslationAdmin

from hearings.domain.record_text import SOURCE_LANGUAGE, column, field_label, languages, translated_fields


def language_attrs(code):
    """The `lang` and `dir` attributes of an input holding text in `code`."""
    return {"lang": code, "dir": "rtl" if get_language_info(code)["bidi"] else "ltr"}


class RecordLanguagesAdmin(TranslationAdmin):
    """A record's change form with each translated field in the six languages, field by field, English first.

    English is required where the field is; the other languages are optional and
    an emptied box removes that translation. Labels name the language
    ("Name (French)"), inputs carry its `lang` and `dir`, and the six boxes of a
    field are drawn as one group (`hearings/admin-languages.css`). No script and
    no stylesheet from elsewhere: the plain `TranslationAdmin` brings none.
    """

    class Media:
        css = {"all": ["hearings/admin-languages.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        original = getattr(db_field, "translated_field", None)
        if original is None:
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        language = db_field.language
        if language == SOURCE_LANGUAGE:
            # English as any other text of the record: required where the field is, empty as "" (not NULL).
            formfield = super().formfield_for_dbfield(original, request, **kwargs)
            if formfield is None:
                return None
            formfield.required = not original.blank
        else:
            formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
            if formfield is None:
                return None
        formfield.label = field_label(original.verbose_name, language)
        widget = getattr(formfield.widget, "widget", formfield.widget)
        widget.attrs.update(language_attrs(language))
        classes = widget.attrs.get("class", "").split()
        widget.attrs["class"] = " ".join([*classes, "language-input", f"language-{language}"])
        return formfield

    def get_fieldsets(self, request, obj=None):
        # Each translated field's six rows are marked, so the stylesheet can draw them as one group.
        fieldsets = super().get_fieldsets(request, obj)
        marked = []
        for name, options in fieldsets:
            classes = list(options.get("classes", ()))
            if any(_is_translation(self.model, field) for field in _flatten(options.get("fields", ()))):
                classes.append("with-languages")
            marked.append((name, {**options, "classes": classes}))
        return marked


def _flatten(fields):
    for field in fields:
        if isinstance(field, (list, tuple)):
            yield from field
        else:
            yield field


def _is_translation(model, name):
    return any(name == column(field, code) for field in translated_fields(model) for code in languages())
