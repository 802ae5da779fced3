"""The records' text in every language, as the open data gives it: the API's `translations`, the CSV columns.

Built on `hearings.domain.record_text`, whose fields come in the order `hearings.translation`
registers them, so that every answer lists them the same way.
"""

from hearings.domain.record_text import SOURCE_LANGUAGE, column, languages


def csv_column(name, language):
    """The CSV column of `name` in `language`: `title_fr`, `title_zh_hans`."""
    return f"{name}_{language.replace('-', '_')}"


def csv_columns(names):
    """One column per language for each of `names`, English first: `title_en`, `title_ar`, … `title_es`."""
    return [csv_column(name, language) for name in names for language in languages()]


def texts(record, field):
    """`field`'s text of `record` in each language, English first ("" where a language has none)."""
    return [getattr(record, column(field, language), None) or "" for language in languages()]


def shown(by_language, language):
    """Of the texts in each language (as `texts` gives them), the one `language` shows: its own, else English."""
    order = languages()
    own = by_language[order.index(language)] if language in order else ""
    return own or by_language[order.index(SOURCE_LANGUAGE)]


def joined(record, fields, separator=", "):
    """The non-empty texts of `fields` joined, in each language, English first: a venue's `name, site, city`."""
    per_field = [texts(record, field) for field in fields]
    return [separator.join(text for text in in_one if text) for in_one in zip(*per_field, strict=True)]


def shown_joined(record, fields, language, separator=", "):
    """`fields` joined as `language` shows them, each in its own text or else the English one."""
    shown_texts = (shown(texts(record, field), language) for field in fields)
    return separator.join(text for text in shown_texts if text)
